// Accounts, sessions and the audit log as a core feature. Sign-in over HTTP (cookies) lives in
// http/auth-routes.ts and calls the same service; these handlers serve the desktop window
// (which signs in over IPC) and every signed-in window.
import type { MethodName } from '../../../src-shared/contract';
import { grantHas } from '../../../src-shared/contract/permissions';
import type { CoreContext, Feature } from '../core-context';
import { AppError } from '../errors';
import type { AuditRecord } from '../rpc/dispatcher';
import type { Caller, CallerMeta, Principal } from '../rpc/caller';
import { auditCsv, describeTarget } from './audit-format';
import { createPeopleService, type PeopleService, type SignedIn } from './people-service';

export type PeopleMethod = Extract<
  MethodName,
  | 'authStatus'
  | 'authSetup'
  | 'authSignIn'
  | 'authSignOut'
  | 'passwordChange'
  | 'totpBegin'
  | 'totpConfirm'
  | 'totpDisable'
  | 'sessionsList'
  | 'sessionRevoke'
  | 'peopleList'
  | 'personCreate'
  | 'personUpdate'
  | 'personResetPassword'
  | 'personDelete'
  | 'auditList'
  | 'auditExport'
>;

/** The signed-in person of a call; the dispatcher has already refused anonymous callers. */
function principalOf(caller: Caller): Principal {
  if (caller.kind === 'window' && caller.principal) return caller.principal;
  throw new AppError('unauthorized', 'Sign in first.');
}

function windowOf(caller: Caller) {
  if (caller.kind !== 'window') throw new AppError('invalid_request', 'Only a window signs in.');
  return caller;
}

const AUDIT_EXPORT_MAX = 100_000;

export function createPeopleFeature(
  context: CoreContext,
): Feature<PeopleMethod> & { people: PeopleService; recordAudit(record: AuditRecord): void } {
  const people = createPeopleService(context);
  let sweep: NodeJS.Timeout | undefined;

  /**
   * Signs a desktop window in: IPC keeps the session for that window. Browsers sign in over
   * HTTP (the cookie), so a socket has nowhere to keep one.
   */
  async function signInWindow(caller: Caller, open: (meta: CallerMeta) => Promise<SignedIn>) {
    const window = windowOf(caller);
    const bind = window.bindSession;
    if (!bind)
      throw new AppError(
        'invalid_request',
        'Sign in through the sign-in page (POST /api/auth/sign-in), not over the socket.',
      );
    const signedIn = await open(window.meta);
    bind(signedIn.secret);
    return people.status(people.authenticate(signedIn.secret));
  }

  return {
    people,
    recordAudit(record) {
      people.audit({
        principal: record.principal,
        action: record.method,
        target: describeTarget(record.request),
        result: record.result,
        detail: record.detail,
        address: record.address,
      });
    },
    start() {
      sweep = setInterval(() => people.sweepExpired(), 60_000);
      sweep.unref();
    },
    async close() {
      clearInterval(sweep);
    },
    handlers: {
      authStatus: (_request, caller) =>
        people.status(caller.kind === 'window' ? caller.principal : null),
      authSetup: (request, caller) => signInWindow(caller, (meta) => people.setup(request, meta)),
      authSignIn: (request, caller) => signInWindow(caller, (meta) => people.signIn(request, meta)),
      authSignOut: (_request, caller) => {
        const window = windowOf(caller);
        people.signOut(principalOf(caller), window.meta.address);
        window.bindSession?.(null);
        return { ok: true as const };
      },
      passwordChange: async ({ current, next }, caller) => {
        await people.changePassword(principalOf(caller), current, next);
        return { ok: true as const };
      },
      totpBegin: (_request, caller) => people.totpBegin(principalOf(caller)),
      totpConfirm: ({ code }, caller) => people.totpConfirm(principalOf(caller), code),
      totpDisable: ({ password }, caller) => people.totpDisable(principalOf(caller), password),
      sessionsList: ({ personId }, caller) => {
        const me = principalOf(caller);
        const target = personId ?? me.personId;
        if (target !== me.personId && !grantHas(me.grant, 'people.manage'))
          throw new AppError('forbidden', "Only an admin may list another person's sessions.");
        return { sessions: people.sessionsOf(target, me.sessionId) };
      },
      sessionRevoke: ({ id }, caller) => {
        const me = principalOf(caller);
        people.revokeSession(me, id, grantHas(me.grant, 'people.manage'));
        return { id };
      },
      peopleList: () => ({ people: people.list() }),
      personCreate: (request) => people.create(request),
      personUpdate: (request) => people.update(request),
      personResetPassword: ({ id, password }) => people.resetPassword(id, password),
      personDelete: ({ id }) => {
        people.remove(id);
        return { id };
      },
      auditList: ({ filter, before, limit }) => {
        const entries = people.store.auditList(filter, before, limit);
        const last = entries.at(-1);
        return { entries, nextBefore: entries.length === limit && last ? last.id : null };
      },
      auditExport: ({ filter }) => {
        const zone = context.settings.get().timeZone;
        const entries = people.store.auditList(filter, undefined, AUDIT_EXPORT_MAX);
        const day = new Date(context.clock.now()).toISOString().slice(0, 10);
        return { filename: `airdeck-audit-${day}.csv`, csv: auditCsv(entries, zone) };
      },
    },
  };
}
