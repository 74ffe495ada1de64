import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type {
  AuditEntry,
  AuthStatus,
  Person,
  Role,
  Scope,
  SessionInfo,
  SetupRequest,
  SignInRequest,
} from '../../../src-shared/contract';
import { rolePermissions } from '../../../src-shared/contract/permissions';
import type { CoreContext } from '../core-context';
import { AppError } from '../errors';
import type { CallerMeta, Principal } from '../rpc/caller';
import { createAttemptLimiter } from './attempt-limiter';
import { burnVerify, hashPassword, verifyPassword } from './password';
import {
  createPeopleStore,
  publicPerson,
  type SessionRow,
  type StoredPerson,
} from './people-store';

/** A session ends after this long without use, and in any case after SESSION_MAX_MS. */
export const SESSION_IDLE_MS = 12 * 3600_000;
export const SESSION_MAX_MS = 14 * 86_400_000;
/** last_seen_at is written at most this often per session (a write per call would be waste). */
const TOUCH_EVERY_MS = 60_000;

export const SIGN_IN_LIMITS = {
  perAccount: { maxFailures: 5, windowMs: 15 * 60_000 },
  perAddress: { maxFailures: 20, windowMs: 15 * 60_000 },
} as const;

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterMs: number) {
    super(
      'rate_limited',
      `Too many failed sign-ins. Try again in ${Math.ceil(retryAfterMs / 1000)} seconds.`,
    );
  }
}

/** A desktop window's media ticket lives this long; the window asks for a new one well before. */
export const MEDIA_TICKET_MS = 10 * 60_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

export type SignedIn = { secret: string; person: Person; sessionId: number };

export type AuditInput = {
  principal: Principal | null;
  action: string;
  target: string;
  result: AuditEntry['result'];
  detail?: string;
  address: string;
  /** For events before anyone is signed in (a failed sign-in names the username tried). */
  personName?: string;
};

export function createPeopleService(context: CoreContext) {
  const { db, bus, clock } = context;
  const store = createPeopleStore(db);
  const byAccount = createAttemptLimiter(SIGN_IN_LIMITS.perAccount);
  const byAddress = createAttemptLimiter(SIGN_IN_LIMITS.perAddress);
  /** secret hash → principal; dropped whole on any change to people or sessions. */
  const principals = new Map<
    string,
    { principal: Principal; touchedAt: number; expiresAt: number; lastSeen: number }
  >();
  const sessionEndListeners = new Set<(sessionIds: number[]) => void>();

  const now = () => clock.now();
  // Per process: a restart invalidates every ticket, which windows renew anyway.
  const ticketKey = randomBytes(32);
  const ticketMac = (body: string) =>
    createHmac('sha256', ticketKey).update(body).digest('base64url');

  function announcePeople(): void {
    principals.clear();
    bus.emit('peopleChanged', { people: store.list().map(publicPerson) });
  }

  function endSessions(ids: number[]): void {
    if (ids.length === 0) return;
    for (const id of ids) store.sessionDelete(id);
    principals.clear();
    for (const listener of sessionEndListeners) listener(ids);
  }

  function audit(input: AuditInput): AuditEntry {
    const entry = store.auditAppend({
      at: now(),
      personId: input.principal?.personId ?? null,
      personName: input.principal?.displayName ?? input.personName ?? 'system',
      action: input.action,
      target: input.target.slice(0, 500),
      result: input.result,
      detail: (input.detail ?? '').slice(0, 2000),
      address: input.address,
    });
    bus.emit('auditAppended', entry);
    return entry;
  }

  function requirePerson(id: number): StoredPerson {
    const person = store.get(id);
    if (!person) throw new AppError('not_found', `Person ${id} does not exist.`);
    return person;
  }

  /** The last enabled admin can be neither removed, disabled nor given another role. */
  function guardLastAdmin(person: StoredPerson, next: { role: Role; disabled: boolean } | null) {
    if (person.role !== 'admin' || person.disabled) return;
    if (next && next.role === 'admin' && !next.disabled) return;
    const others = store.activeAdminIds().filter((id) => id !== person.id);
    if (others.length === 0)
      throw new AppError(
        'conflict',
        `${person.displayName} is the last admin: make someone else admin first.`,
      );
  }

  function openSession(person: StoredPerson, meta: CallerMeta): SignedIn {
    const secret = randomBytes(32).toString('base64url');
    const at = now();
    const sessionId = store.sessionInsert({
      secretHash: sha256(secret),
      personId: person.id,
      at,
      expiresAt: at + SESSION_MAX_MS,
      address: meta.address,
      userAgent: meta.userAgent.slice(0, 300),
      transport: meta.transport,
    });
    store.markSignedIn(person.id, at);
    bus.emit('sessionsChanged', { personId: person.id });
    return { secret, sessionId, person: publicPerson({ ...person, lastSignInAt: at }) };
  }

  /** A new session, recorded in the audit log as the person's own act. */
  function openAuditedSession(
    person: StoredPerson,
    meta: CallerMeta,
    action: 'authSetup' | 'authSignIn',
  ): SignedIn {
    const signedIn = openSession(person, meta);
    audit({
      principal: toPrincipal(person, signedIn.sessionId),
      action,
      target: `person ${person.username}`,
      result: 'ok',
      detail: meta.transport,
      address: meta.address,
    });
    return signedIn;
  }

  function toPrincipal(person: StoredPerson, sessionId: number): Principal {
    return {
      personId: person.id,
      username: person.username,
      displayName: person.displayName,
      grant: { role: person.role, scope: person.scope, disabled: person.disabled },
      sessionId,
    };
  }

  function sessionInfo(row: SessionRow, current: number | null): SessionInfo {
    return {
      id: row.id,
      personId: row.person_id,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      expiresAt: Math.min(row.expires_at, row.last_seen_at + SESSION_IDLE_MS),
      address: row.address,
      userAgent: row.user_agent,
      transport: row.transport,
      current: row.id === current,
    };
  }

  function newTotp(person: StoredPerson, secret: Secret | string): TOTP {
    return new TOTP({
      issuer: 'Airdeck',
      label: person.username,
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      secret: typeof secret === 'string' ? Secret.fromBase32(secret) : secret,
    });
  }

  function totpMatches(person: StoredPerson, secret: string, code: string): boolean {
    // One step either side allows for a phone clock a little off.
    return newTotp(person, secret).validate({ token: code, timestamp: now(), window: 1 }) !== null;
  }

  const service = {
    store,
    audit,

    needsSetup: () => store.count() === 0,

    status(principal: Principal | null, lastUsername: string | null = null): AuthStatus {
      const person = principal ? store.get(principal.personId) : undefined;
      return {
        needsSetup: store.count() === 0,
        person: person ? publicPerson(person) : null,
        permissions: person && !person.disabled ? [...rolePermissions[person.role]] : [],
        lastUsername,
      };
    },

    /** First run: the first account is an admin, and only while no account exists. */
    async setup(request: SetupRequest, meta: CallerMeta): Promise<SignedIn> {
      if (store.count() > 0)
        throw new AppError('conflict', 'Airdeck is already set up: sign in instead.');
      const hash = await hashPassword(request.password);
      // Checked again after the slow hash: two set-up forms racing must not make two admins.
      const id = db.transaction(() => {
        if (store.count() > 0) return null;
        return store.insert(
          {
            username: request.username,
            displayName: request.displayName,
            hash,
            role: 'admin',
            scope: { channels: null, sources: null },
          },
          now(),
        );
      })();
      if (id === null)
        throw new AppError('conflict', 'Airdeck is already set up: sign in instead.');
      const person = store.get(id)!;
      announcePeople();
      return openAuditedSession(person, meta, 'authSetup');
    },

    /** Creates the first admin from a password file (serve --admin-password-file). */
    async ensureAdmin(username: string, password: string): Promise<boolean> {
      if (store.count() > 0) return false;
      await service.setup(
        { username, displayName: 'Administrator', password },
        { address: 'local', userAgent: 'airdeck serve', transport: 'browser' },
      );
      // That set-up opened a session nobody holds: close it.
      const admin = store.byUsername(username)!;
      endSessions(store.sessionIdsOf(admin.id));
      return true;
    },

    async signIn(request: SignInRequest, meta: CallerMeta): Promise<SignedIn> {
      const at = now();
      const accountKey = request.username.toLowerCase();
      const wait = Math.max(
        byAccount.retryAfterMs(accountKey, at),
        byAddress.retryAfterMs(meta.address, at),
      );
      if (wait > 0) {
        // Refusals while locked are not written one by one (a flood would grow the log); the
        // attempt that set the lock was.
        throw new RateLimitedError(wait);
      }
      // The attempt counts as a failure before the slow hash and is forgiven if it succeeds:
      // attempts sent at once must not all pass the check while the first are still hashing.
      byAccount.fail(accountKey, at);
      byAddress.fail(meta.address, at);
      const person = store.byUsername(request.username);
      const passwordOk = person
        ? await verifyPassword(person.passwordHash, request.password)
        : (await burnVerify(request.password), false);
      const refuse = (why: string, message: string): never => {
        const locked =
          byAccount.retryAfterMs(accountKey, at) > 0 ||
          byAddress.retryAfterMs(meta.address, at) > 0;
        audit({
          principal: null,
          personName: request.username,
          action: 'authSignIn',
          target: `person ${request.username}`,
          result: 'denied',
          detail: locked ? `${why}; further attempts refused for 15 minutes` : why,
          address: meta.address,
        });
        throw new AppError('unauthorized', message);
      };
      if (!person || !passwordOk)
        return refuse('wrong username or password', 'Wrong username or password.');
      if (person.disabled)
        return refuse('account disabled', 'This account is disabled; ask an admin.');
      if (person.totpSecret) {
        if (!request.totp) {
          // The password was right: asking for the code is not a failed guess.
          byAccount.forgive(accountKey);
          byAddress.forgive(meta.address);
          throw new AppError('unauthorized', 'Enter the 6-digit code from your authenticator app.');
        }
        if (!totpMatches(person, person.totpSecret, request.totp))
          return refuse(
            'wrong second-factor code',
            'That code is not right; check your authenticator app.',
          );
      }
      byAccount.clear(accountKey);
      byAddress.forgive(meta.address);
      return openAuditedSession(person, meta, 'authSignIn');
    },

    /** The person behind a session secret (cookie or desktop window), or null. */
    authenticate(secret: string | null | undefined): Principal | null {
      if (!secret || secret.length > 200) return null;
      const hash = sha256(secret);
      const at = now();
      const cached = principals.get(hash);
      if (cached) {
        if (at >= cached.expiresAt || at - cached.lastSeen >= SESSION_IDLE_MS) {
          endSessions([cached.principal.sessionId]);
          return null;
        }
        if (at - cached.touchedAt >= TOUCH_EVERY_MS) {
          store.sessionTouch(cached.principal.sessionId, at);
          cached.touchedAt = at;
        }
        cached.lastSeen = at;
        return cached.principal;
      }
      const row = store.sessionByHash(hash);
      if (!row) return null;
      if (at >= row.expires_at || at - row.last_seen_at >= SESSION_IDLE_MS) {
        endSessions([row.id]);
        return null;
      }
      const person = store.get(row.person_id);
      if (!person || person.disabled) return null;
      store.sessionTouch(row.id, at);
      const principal = toPrincipal(person, row.id);
      principals.set(hash, { principal, touchedAt: at, expiresAt: row.expires_at, lastSeen: at });
      return principal;
    },

    /**
     * A short-lived signed ticket for media requests from a page that cannot send the session
     * cookie (the desktop's app:// page reading the loopback server). It names the session, so
     * revoking the session voids it at once.
     */
    mediaTicket(principal: Principal): string {
      const body = `${principal.sessionId}.${now() + MEDIA_TICKET_MS}`;
      return `${body}.${ticketMac(body)}`;
    },

    verifyMediaTicket(ticket: unknown): Principal | null {
      if (typeof ticket !== 'string' || ticket.length > 200) return null;
      const match = /^(\d+)\.(\d+)\.([\w-]+)$/.exec(ticket);
      if (!match) return null;
      const body = `${match[1]}.${match[2]}`;
      const given = Buffer.from(match[3]!);
      const expected = Buffer.from(ticketMac(body));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      if (Number(match[2]) <= now()) return null;
      const row = store.sessionById(Number(match[1]));
      const person = row ? store.get(row.person_id) : undefined;
      if (!row || !person || person.disabled) return null;
      return toPrincipal(person, row.id);
    },

    signOut(principal: Principal, address: string): void {
      endSessions([principal.sessionId]);
      bus.emit('sessionsChanged', { personId: principal.personId });
      audit({
        principal,
        action: 'authSignOut',
        target: `session ${principal.sessionId}`,
        result: 'ok',
        address,
      });
    },

    /** Called with the ids of sessions that ended (revoked, expired, account disabled). */
    onSessionsEnded(listener: (sessionIds: number[]) => void): () => void {
      sessionEndListeners.add(listener);
      return () => sessionEndListeners.delete(listener);
    },

    sessionsOf(personId: number, current: number | null): SessionInfo[] {
      const at = now();
      return store
        .sessionsOf(personId)
        .filter((row) => at < row.expires_at && at - row.last_seen_at < SESSION_IDLE_MS)
        .map((row) => sessionInfo(row, current));
    },

    /** Own sessions for anyone; anybody's for people managers. */
    revokeSession(principal: Principal, id: number, mayManage: boolean): void {
      const row = store.sessionById(id);
      if (!row || (row.person_id !== principal.personId && !mayManage))
        throw new AppError('not_found', `Session ${id} does not exist.`);
      endSessions([id]);
      bus.emit('sessionsChanged', { personId: row.person_id });
    },

    /** Drops sessions past their time; run from a timer so their sockets close too. */
    sweepExpired(): void {
      const at = now();
      endSessions(store.sessionsExpired(at, at - SESSION_IDLE_MS));
    },

    list: () => store.list().map(publicPerson),

    async create(input: {
      username: string;
      displayName: string;
      password: string;
      role: Role;
      scope: Scope;
    }): Promise<Person> {
      if (store.byUsername(input.username))
        throw new AppError('conflict', `The username "${input.username}" is taken.`);
      const hash = await hashPassword(input.password);
      let id: number;
      try {
        id = store.insert({ ...input, hash }, now());
      } catch (error) {
        if (error instanceof Error && /UNIQUE/.test(error.message))
          throw new AppError('conflict', `The username "${input.username}" is taken.`);
        throw error;
      }
      announcePeople();
      return publicPerson(store.get(id)!);
    },

    update(input: {
      id: number;
      displayName?: string | undefined;
      role?: Role | undefined;
      scope?: Scope | undefined;
      disabled?: boolean | undefined;
    }): Person {
      const person = requirePerson(input.id);
      const next: StoredPerson = {
        ...person,
        displayName: input.displayName ?? person.displayName,
        role: input.role ?? person.role,
        scope: input.scope ?? person.scope,
        disabled: input.disabled ?? person.disabled,
      };
      guardLastAdmin(person, { role: next.role, disabled: next.disabled });
      store.update(next, now());
      announcePeople();
      // A disabled person's windows close now, not at their next call.
      if (next.disabled && !person.disabled) endSessions(store.sessionIdsOf(person.id));
      return publicPerson(store.get(person.id)!);
    },

    async resetPassword(id: number, password: string): Promise<Person> {
      requirePerson(id);
      store.setPassword(id, await hashPassword(password), now());
      // Whoever knew the old password is signed out everywhere.
      endSessions(store.sessionIdsOf(id));
      bus.emit('sessionsChanged', { personId: id });
      return publicPerson(store.get(id)!);
    },

    async changePassword(principal: Principal, current: string, next: string): Promise<void> {
      const person = requirePerson(principal.personId);
      if (!(await verifyPassword(person.passwordHash, current)))
        throw new AppError('unauthorized', 'The current password is not right.');
      store.setPassword(person.id, await hashPassword(next), now());
      // Other sessions end; the one that changed it stays.
      endSessions(store.sessionIdsOf(person.id).filter((id) => id !== principal.sessionId));
      bus.emit('sessionsChanged', { personId: person.id });
    },

    remove(id: number): void {
      const person = requirePerson(id);
      guardLastAdmin(person, null);
      const sessions = store.sessionIdsOf(id);
      store.remove(id);
      endSessions(sessions);
      announcePeople();
    },

    totpBegin(principal: Principal): { secret: string; uri: string } {
      const person = requirePerson(principal.personId);
      const secret = new Secret({ size: 20 });
      store.setTotp(person.id, person.totpSecret, secret.base32, now());
      return { secret: secret.base32, uri: newTotp(person, secret).toString() };
    },

    totpConfirm(principal: Principal, code: string): Person {
      const person = requirePerson(principal.personId);
      if (!person.totpPending)
        throw new AppError('conflict', 'Start the second-factor set-up first.');
      if (!totpMatches(person, person.totpPending, code))
        throw new AppError(
          'invalid_request',
          'That code is not right; check your authenticator app.',
        );
      store.setTotp(person.id, person.totpPending, null, now());
      announcePeople();
      return publicPerson(store.get(person.id)!);
    },

    async totpDisable(principal: Principal, password: string): Promise<Person> {
      const person = requirePerson(principal.personId);
      if (!(await verifyPassword(person.passwordHash, password)))
        throw new AppError('unauthorized', 'The password is not right.');
      store.setTotp(person.id, null, null, now());
      announcePeople();
      return publicPerson(store.get(person.id)!);
    },
  };
  return service;
}
export type PeopleService = ReturnType<typeof createPeopleService>;
