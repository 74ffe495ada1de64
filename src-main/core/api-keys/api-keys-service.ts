// Integrator keys: issued by an admin, shown once, kept as a SHA-256 of the secret. A key is a
// caller like a person (a Principal whose rights come from its scopes), so the dispatcher's
// permission and channel checks and the audit log treat both alike.
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { ApiKeyCreateSchema } from '../../../src-shared/contract';
import {
  type ApiKey,
  type ApiKeyMode,
  type ApiKeyUsageDay,
  type ApiScope,
} from '../../../src-shared/contract';
import { apiScopePermissions, type Permission } from '../../../src-shared/contract/permissions';
import type { z } from 'zod';
import type { EventBus } from '../events/event-bus';
import { AppError } from '../errors';
import type { Principal } from '../rpc/caller';

type KeyRow = {
  id: number;
  name: string;
  mode: ApiKeyMode;
  prefix: string;
  hash: string;
  scopes: string;
  channels: string | null;
  requests_per_minute: number;
  event_streams: number;
  webhook_endpoints: number;
  expires_at: number | null;
  created_at: number;
  created_by: number | null;
  created_by_name: string;
  last_used_at: number | null;
  revoked_at: number | null;
};

/** A key that authenticated: what it is and who it acts as. */
export type KeyCaller = { key: ApiKey; principal: Principal };

export type KeyRefusal = 'unknown' | 'revoked' | 'expired';

export type ApiKeysService = {
  list(): ApiKey[];
  get(id: number): ApiKey | undefined;
  create(
    request: z.output<typeof ApiKeyCreateSchema>,
    issuer: Principal | null,
  ): { key: ApiKey; secret: string };
  revoke(id: number): ApiKey;
  usage(id: number, days: number): ApiKeyUsageDay[];
  /** The key behind a bearer secret, or why there is none. */
  authenticate(secret: string | undefined): KeyCaller | { refused: KeyRefusal };
  /** Counts one request (or one refused for the rate) on today's usage; written in batches. */
  count(keyId: number, limited: boolean): void;
  /** Called with the id of every key revoked (open event streams end there). */
  onRevoked(listener: (keyId: number) => void): () => void;
  flush(): void;
  close(): void;
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const KEY_PATTERN = /^ak_(live|test)_[0-9a-f]{48}$/;
/** `ak_live_` and six characters of the secret: enough to tell keys apart in a list. */
const PREFIX_LENGTH = 'ak_live_'.length + 6;
const FLUSH_EVERY_MS = 5000;

export function permissionsOfScopes(scopes: readonly ApiScope[]): Permission[] {
  return [...new Set(scopes.flatMap((scope) => apiScopePermissions[scope]))];
}

function toKey(row: KeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    mode: row.mode,
    prefix: row.prefix,
    scopes: JSON.parse(row.scopes) as ApiScope[],
    channels: row.channels === null ? null : (JSON.parse(row.channels) as number[]),
    plan: {
      requestsPerMinute: row.requests_per_minute,
      eventStreams: row.event_streams,
      webhookEndpoints: row.webhook_endpoints,
    },
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    createdBy: row.created_by_name,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function principalOf(key: ApiKey, createdBy: number | null): Principal {
  return {
    // The admin who issued the key answers for it; the audit shows the key by name.
    personId: createdBy ?? 0,
    username: key.prefix,
    displayName: `API key ${key.prefix}… (${key.name})`,
    sessionId: 0,
    grant: {
      role: 'viewer',
      scope: { channels: key.channels, sources: null },
      disabled: false,
      permissions: permissionsOfScopes(key.scopes),
    },
  };
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function createApiKeysService(deps: {
  db: Database;
  bus: EventBus;
  now: () => number;
}): ApiKeysService {
  const { db, bus, now } = deps;
  const q = {
    all: db.prepare<[], KeyRow>('SELECT * FROM api_keys ORDER BY id DESC'),
    byId: db.prepare<[number], KeyRow>('SELECT * FROM api_keys WHERE id = ?'),
    byHash: db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE hash = ?'),
    insert: db.prepare<
      [
        string,
        ApiKeyMode,
        string,
        string,
        string,
        string | null,
        number,
        number,
        number,
        number | null,
        number,
        number | null,
        string,
      ],
      { id: number }
    >(
      `INSERT INTO api_keys (name, mode, prefix, hash, scopes, channels, requests_per_minute,
         event_streams, webhook_endpoints, expires_at, created_at, created_by, created_by_name)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    ),
    revoke: db.prepare<[number, number]>(
      'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
    ),
    touch: db.prepare<[number, number]>('UPDATE api_keys SET last_used_at = ? WHERE id = ?'),
    usageAdd: db.prepare<[number, string, number, number]>(
      `INSERT INTO api_key_usage (key_id, day, requests, limited) VALUES (?, ?, ?, ?)
       ON CONFLICT (key_id, day) DO UPDATE SET requests = requests + excluded.requests,
         limited = limited + excluded.limited`,
    ),
    usage: db.prepare<[number, number], ApiKeyUsageDay>(
      'SELECT day, requests, limited FROM api_key_usage WHERE key_id = ? ORDER BY day DESC LIMIT ?',
    ),
  };

  // Authenticated keys by hash; dropped on revoke so the next request reads the row again.
  const cache = new Map<string, { caller: KeyCaller; expiresAt: number | null }>();
  const pending = new Map<
    string,
    { keyId: number; day: string; requests: number; limited: number }
  >();
  const lastUsed = new Map<number, number>();
  const revokedListeners = new Set<(keyId: number) => void>();

  const emitChanged = () => bus.emit('apiKeysChanged', { keys: list() });
  function list(): ApiKey[] {
    return q.all.all().map(toKey);
  }

  function flush(): void {
    if (pending.size === 0 && lastUsed.size === 0) return;
    db.transaction(() => {
      for (const p of pending.values()) q.usageAdd.run(p.keyId, p.day, p.requests, p.limited);
      for (const [id, at] of lastUsed) q.touch.run(at, id);
    })();
    pending.clear();
    lastUsed.clear();
  }
  const timer = setInterval(flush, FLUSH_EVERY_MS);
  timer.unref();

  return {
    list,
    get: (id) => {
      const row = q.byId.get(id);
      return row ? toKey(row) : undefined;
    },
    create(request, issuer) {
      if (request.expiresAt !== null && request.expiresAt <= now())
        throw new AppError('invalid_request', 'The expiry is in the past.');
      const secret = `ak_${request.mode}_${randomBytes(24).toString('hex')}`;
      const prefix = secret.slice(0, PREFIX_LENGTH);
      const scopes = [...new Set(request.scopes)];
      const { id } = q.insert.get(
        request.name,
        request.mode,
        prefix,
        sha256(secret),
        JSON.stringify(scopes),
        request.channels === null ? null : JSON.stringify([...new Set(request.channels)]),
        request.plan.requestsPerMinute,
        request.plan.eventStreams,
        request.plan.webhookEndpoints,
        request.expiresAt,
        now(),
        issuer?.personId ?? null,
        issuer?.displayName ?? 'system',
      )!;
      emitChanged();
      return { key: toKey(q.byId.get(id)!), secret };
    },
    revoke(id) {
      const row = q.byId.get(id);
      if (!row) throw new AppError('not_found', `No API key ${id}.`);
      q.revoke.run(now(), id);
      for (const [hash, entry] of cache) if (entry.caller.key.id === id) cache.delete(hash);
      for (const listener of revokedListeners) listener(id);
      emitChanged();
      return toKey(q.byId.get(id)!);
    },
    usage(id, days) {
      if (!q.byId.get(id)) throw new AppError('not_found', `No API key ${id}.`);
      flush();
      return q.usage.all(id, days);
    },
    authenticate(secret) {
      if (!secret || !KEY_PATTERN.test(secret)) return { refused: 'unknown' };
      const hash = sha256(secret);
      const at = now();
      let entry = cache.get(hash);
      if (!entry) {
        const row = q.byHash.get(hash);
        if (!row) return { refused: 'unknown' };
        if (row.revoked_at !== null) return { refused: 'revoked' };
        const key = toKey(row);
        entry = {
          caller: { key, principal: principalOf(key, row.created_by) },
          expiresAt: row.expires_at,
        };
        cache.set(hash, entry);
      }
      if (entry.expiresAt !== null && at >= entry.expiresAt) return { refused: 'expired' };
      lastUsed.set(entry.caller.key.id, at);
      return entry.caller;
    },
    count(keyId, limited) {
      const day = utcDay(now());
      const slot = `${keyId}|${day}`;
      let p = pending.get(slot);
      if (!p) pending.set(slot, (p = { keyId, day, requests: 0, limited: 0 }));
      p.requests += 1;
      if (limited) p.limited += 1;
    },
    onRevoked(listener) {
      revokedListeners.add(listener);
      return () => revokedListeners.delete(listener);
    },
    flush,
    close() {
      clearInterval(timer);
      flush();
    },
  };
}
