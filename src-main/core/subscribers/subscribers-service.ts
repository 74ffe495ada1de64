// Viewer subscriptions: plans, subscribers and the gate the public outputs ask. Plans and
// subscribers are few and read on every segment request, so both tables live in memory and are
// reloaded after each change; a key is found by the SHA-256 of its secret. Usage is added up in
// memory and written every few seconds, as the API keys' is.
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import type {
  Subscriber,
  SubscriberCreateSchema,
  SubscriberPlan,
  SubscriberPlanSaveSchema,
  SubscriberUsageDay,
} from '../../../src-shared/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events/event-bus';
import type { Principal } from '../rpc/caller';
import { STREAM_IDLE_MS, StreamSessions } from './stream-sessions';

type PlanRow = {
  id: number;
  name: string;
  channels: string;
  max_streams: number;
  expires_at: number | null;
};
type SubscriberRow = {
  id: number;
  name: string;
  plan_id: number;
  prefix: string;
  hash: string;
  enabled: number;
  expires_at: number | null;
  created_at: number;
  created_by_name: string;
  last_seen_at: number | null;
  revoked_at: number | null;
};

type Plan = {
  id: number;
  name: string;
  channels: ReadonlySet<number>;
  maxStreams: number;
  expiresAt: number | null;
};
type Entry = { row: SubscriberRow; plan: Plan };

/** Why a request with a subscriber key is not served: an HTTP status and words for a person. */
export type SubscriberRefusal = {
  status: 401 | 403 | 429;
  code:
    | 'unknown_subscriber'
    | 'subscription_revoked'
    | 'subscription_paused'
    | 'subscription_expired'
    | 'channel_not_in_plan'
    | 'too_many_streams';
  message: string;
  retryAfterS?: number;
};

/** A subscriber whose key opened a playlist or guide: who, and the channels of the package. */
export type SubscriberAccess = {
  subscriberId: number;
  name: string;
  channels: ReadonlySet<number>;
};

/** A live.ts stream counted against the cap until `release`; `signal` ends it on revoke. */
export type SubscriberStream = {
  subscriberId: number;
  signal: AbortSignal;
  /** False once the subscription no longer allows this channel (revoked, paused, ended). */
  stillAllowed(): boolean;
  release(): void;
};

export type SubscriberGate = {
  /** True for a value that is meant as a subscriber key (`sub_…`), valid or not. */
  isSubscriberKey(value: unknown): value is string;
  /** The personal playlist and guide: the key, and no channel yet. */
  access(secret: string): SubscriberAccess | SubscriberRefusal;
  /**
   * The master playlist: the key, the channel, and room for one more stream. Answers the
   * session id the variant URLs will carry.
   */
  openHls(
    secret: string,
    channelId: number,
    channelName: string,
  ): { session: string } | SubscriberRefusal;
  /** A media playlist or a segment of an HLS session: counts the session under the cap. */
  touchHls(
    secret: string,
    channelId: number,
    channelName: string,
    session: string,
  ): { subscriberId: number } | SubscriberRefusal;
  /** A live.ts connection: one stream until released. */
  holdLive(
    secret: string,
    channelId: number,
    channelName: string,
  ): SubscriberStream | SubscriberRefusal;
  /** A segment served (HLS or live.ts) of `durationMs`: today's usage. */
  countServed(subscriberId: number, durationMs: number): void;
};

export type SubscribersService = SubscriberGate & {
  plans(): SubscriberPlan[];
  savePlan(request: z.output<typeof SubscriberPlanSaveSchema>): SubscriberPlan;
  deletePlan(id: number): void;
  list(): Subscriber[];
  create(
    request: z.output<typeof SubscriberCreateSchema>,
    issuer: Principal | null,
  ): { subscriber: Subscriber; secret: string; playlistPath: string; xmltvPath: string };
  update(request: {
    id: number;
    name?: string | undefined;
    planId?: number | undefined;
    enabled?: boolean | undefined;
    expiresAt?: number | null | undefined;
  }): Subscriber;
  revoke(id: number): Subscriber;
  usage(id: number, days: number): { streamsNow: number; days: SubscriberUsageDay[] };
  flush(): void;
  close(): void;
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const KEY_PATTERN = /^sub_[0-9a-f]{40}$/;
/** `sub_` and six characters of the secret: enough to tell subscribers apart in a list. */
const PREFIX_LENGTH = 'sub_'.length + 6;
const FLUSH_EVERY_MS = 5000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoMinute = (ms: number) =>
  `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export const subscriberPaths = (secret: string) => ({
  playlistPath: `/sub/${secret}/playlist.m3u`,
  xmltvPath: `/sub/${secret}/xmltv.xml`,
});

export function createSubscribersService(deps: {
  db: Database;
  bus: EventBus;
  now: () => number;
  /** How long an idle HLS session still counts (tests shorten it). */
  streamIdleMs?: number;
}): SubscribersService {
  const { db, bus, now } = deps;
  const sessions = new StreamSessions(deps.streamIdleMs ?? STREAM_IDLE_MS);
  const q = {
    plans: db.prepare<[], PlanRow>('SELECT * FROM subscriber_plans ORDER BY name, id'),
    plan: db.prepare<[number], PlanRow>('SELECT * FROM subscriber_plans WHERE id = ?'),
    planInsert: db.prepare<[string, string, number, number | null, number], { id: number }>(
      `INSERT INTO subscriber_plans (name, channels, max_streams, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?) RETURNING id`,
    ),
    planUpdate: db.prepare<[string, string, number, number | null, number]>(
      'UPDATE subscriber_plans SET name = ?, channels = ?, max_streams = ?, expires_at = ? WHERE id = ?',
    ),
    planDelete: db.prepare<[number]>('DELETE FROM subscriber_plans WHERE id = ?'),
    channelIds: db.prepare<[], { id: number }>('SELECT id FROM channels'),
    onPlan: db.prepare<[number], { n: number }>(
      'SELECT COUNT(*) AS n FROM subscribers WHERE plan_id = ?',
    ),
    all: db.prepare<[], SubscriberRow>('SELECT * FROM subscribers ORDER BY id DESC'),
    byId: db.prepare<[number], SubscriberRow>('SELECT * FROM subscribers WHERE id = ?'),
    insert: db.prepare<
      [string, number, string, string, number | null, number, number | null, string],
      { id: number }
    >(
      `INSERT INTO subscribers (name, plan_id, prefix, hash, expires_at, created_at, created_by,
         created_by_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    ),
    update: db.prepare<[string, number, number, number | null, number]>(
      'UPDATE subscribers SET name = ?, plan_id = ?, enabled = ?, expires_at = ? WHERE id = ?',
    ),
    revoke: db.prepare<[number, number]>(
      'UPDATE subscribers SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
    ),
    touch: db.prepare<[number, number]>('UPDATE subscribers SET last_seen_at = ? WHERE id = ?'),
    usageAdd: db.prepare<[number, string, number, number, number]>(
      `INSERT INTO subscriber_usage (subscriber_id, day, segments, watched_ms, refused)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (subscriber_id, day) DO UPDATE SET segments = segments + excluded.segments,
         watched_ms = watched_ms + excluded.watched_ms, refused = refused + excluded.refused`,
    ),
    usage: db.prepare<
      [number, number],
      { day: string; segments: number; watched_ms: number; refused: number }
    >(
      `SELECT day, segments, watched_ms, refused FROM subscriber_usage WHERE subscriber_id = ?
       ORDER BY day DESC LIMIT ?`,
    ),
  };

  // In memory: plans by id, subscribers by key hash and by id.
  let plansById = new Map<number, Plan>();
  let byHash = new Map<string, Entry>();
  let byId = new Map<number, Entry>();
  const toPlan = (row: PlanRow): Plan => ({
    id: row.id,
    name: row.name,
    channels: new Set(JSON.parse(row.channels) as number[]),
    maxStreams: row.max_streams,
    expiresAt: row.expires_at,
  });
  function reload(): void {
    plansById = new Map(q.plans.all().map((row) => [row.id, toPlan(row)]));
    byHash = new Map();
    byId = new Map();
    for (const row of q.all.all()) {
      const plan = plansById.get(row.plan_id);
      if (!plan) continue;
      const entry = { row, plan };
      byHash.set(row.hash, entry);
      byId.set(row.id, entry);
    }
  }
  reload();

  const pending = new Map<
    string,
    { id: number; day: string; segments: number; watchedMs: number; refused: number }
  >();
  const lastSeen = new Map<number, number>();
  function usageSlot(id: number) {
    const day = utcDay(now());
    const slot = `${id}|${day}`;
    let p = pending.get(slot);
    if (!p) pending.set(slot, (p = { id, day, segments: 0, watchedMs: 0, refused: 0 }));
    return p;
  }
  function flush(): void {
    if (pending.size === 0 && lastSeen.size === 0) return;
    db.transaction(() => {
      for (const p of pending.values()) {
        if (byId.has(p.id)) q.usageAdd.run(p.id, p.day, p.segments, p.watchedMs, p.refused);
      }
      for (const [id, at] of lastSeen) if (byId.has(id)) q.touch.run(at, id);
    })();
    pending.clear();
    lastSeen.clear();
  }
  const timer = setInterval(flush, FLUSH_EVERY_MS);
  timer.unref();

  // live.ts streams, re-checked after every change (a revoked key's streams end at once).
  const streams = new Set<{
    secret: string;
    channelId: number;
    channelName: string;
    abort: AbortController;
  }>();

  function toSubscriber(entry: Entry): Subscriber {
    const { row, plan } = entry;
    return {
      id: row.id,
      name: row.name,
      planId: plan.id,
      planName: plan.name,
      prefix: row.prefix,
      enabled: row.enabled === 1,
      expiresAt: row.expires_at,
      createdAt: row.created_at,
      createdBy: row.created_by_name,
      lastSeenAt: lastSeen.get(row.id) ?? row.last_seen_at,
      revokedAt: row.revoked_at,
      streamsNow: sessions.count(row.id, now()),
    };
  }
  function plans(): SubscriberPlan[] {
    return q.plans.all().map((row) => ({
      id: row.id,
      name: row.name,
      channels: JSON.parse(row.channels) as number[],
      maxStreams: row.max_streams,
      expiresAt: row.expires_at,
      subscribers: q.onPlan.get(row.id)!.n,
    }));
  }
  function list(): Subscriber[] {
    return [...byId.values()].sort((a, b) => b.row.id - a.row.id).map(toSubscriber);
  }
  function changed(): void {
    reload();
    for (const stream of streams) {
      // Asked again after a change (not a viewer's request): not counted as use or refusal.
      if ('status' in check(stream.secret, stream.channelId, stream.channelName, false))
        stream.abort.abort();
    }
    bus.emit('subscribersChanged', { subscribers: list(), plans: plans() });
  }
  function entryOf(id: number): Entry {
    const entry = byId.get(id);
    if (!entry) throw new AppError('not_found', `No subscriber ${id}.`);
    return entry;
  }

  /** The subscriber behind `secret` and whether they may watch `channelId` now. */
  function check(
    secret: string,
    channelId: number | null,
    channelName: string,
    counted = true,
  ): Entry | SubscriberRefusal {
    const entry = KEY_PATTERN.test(secret) ? byHash.get(sha256(secret)) : undefined;
    if (!entry) {
      return {
        status: 401,
        code: 'unknown_subscriber',
        message: 'This subscriber key is not known: check the playlist address you were given.',
      };
    }
    const { row, plan } = entry;
    const refuse = (r: SubscriberRefusal) => {
      if (counted) usageSlot(row.id).refused += 1;
      return r;
    };
    if (row.revoked_at !== null) {
      return refuse({
        status: 403,
        code: 'subscription_revoked',
        message: `This subscription was revoked on ${isoMinute(row.revoked_at)}.`,
      });
    }
    if (row.enabled !== 1) {
      return refuse({
        status: 403,
        code: 'subscription_paused',
        message: 'This subscription is paused: ask the station to enable it again.',
      });
    }
    const at = now();
    const ends = [row.expires_at, plan.expiresAt].filter((x): x is number => x !== null);
    const end = ends.length > 0 ? Math.min(...ends) : null;
    if (end !== null && at >= end) {
      return refuse({
        status: 403,
        code: 'subscription_expired',
        message: `This subscription (plan “${plan.name}”) ended on ${isoMinute(end)}.`,
      });
    }
    if (channelId !== null && !plan.channels.has(channelId)) {
      return refuse({
        status: 403,
        code: 'channel_not_in_plan',
        message: `${channelName} is not in your plan “${plan.name}”.`,
      });
    }
    if (counted) lastSeen.set(row.id, at);
    return entry;
  }
  const tooMany = (entry: Entry): SubscriberRefusal => {
    usageSlot(entry.row.id).refused += 1;
    const cap = entry.plan.maxStreams;
    return {
      status: 429,
      code: 'too_many_streams',
      message:
        `Your plan “${entry.plan.name}” allows ${cap} stream${cap === 1 ? '' : 's'} at once and ` +
        `${cap} ${cap === 1 ? 'is' : 'are'} playing. Stop one and try again ` +
        `(a stopped player frees its place within ${Math.ceil((deps.streamIdleMs ?? STREAM_IDLE_MS) / 1000)} s).`,
      retryAfterS: Math.ceil((deps.streamIdleMs ?? STREAM_IDLE_MS) / 1000),
    };
  };
  const isRefusal = (x: Entry | SubscriberRefusal): x is SubscriberRefusal => 'status' in x;

  return {
    isSubscriberKey: (value): value is string =>
      typeof value === 'string' && value.startsWith('sub_'),
    access(secret) {
      const entry = check(secret, null, '');
      if (isRefusal(entry)) return entry;
      return { subscriberId: entry.row.id, name: entry.row.name, channels: entry.plan.channels };
    },
    openHls(secret, channelId, channelName) {
      const entry = check(secret, channelId, channelName);
      if (isRefusal(entry)) return entry;
      if (!sessions.hasRoom(entry.row.id, entry.plan.maxStreams, now())) return tooMany(entry);
      return { session: randomBytes(8).toString('hex') };
    },
    touchHls(secret, channelId, channelName, session) {
      const entry = check(secret, channelId, channelName);
      if (isRefusal(entry)) return entry;
      if (!sessions.touch(entry.row.id, session, channelId, entry.plan.maxStreams, now()))
        return tooMany(entry);
      return { subscriberId: entry.row.id };
    },
    holdLive(secret, channelId, channelName) {
      const entry = check(secret, channelId, channelName);
      if (isRefusal(entry)) return entry;
      const session = `ts:${randomBytes(8).toString('hex')}`;
      const release = sessions.hold(entry.row.id, session, channelId, entry.plan.maxStreams, now());
      if (!release) return tooMany(entry);
      const stream = { secret, channelId, channelName, abort: new AbortController() };
      streams.add(stream);
      return {
        subscriberId: entry.row.id,
        signal: stream.abort.signal,
        stillAllowed: () => !isRefusal(check(secret, channelId, channelName)),
        release() {
          streams.delete(stream);
          release();
        },
      };
    },
    countServed(subscriberId, durationMs) {
      const slot = usageSlot(subscriberId);
      slot.segments += 1;
      slot.watchedMs += durationMs;
    },

    plans,
    savePlan(request) {
      const known = new Set(q.channelIds.all().map((r) => r.id));
      const unknown = request.channels.filter((id) => !known.has(id));
      if (unknown.length > 0)
        throw new AppError('invalid_request', `No channel ${unknown.join(', ')}.`);
      const channels = JSON.stringify([...new Set(request.channels)]);
      let id = request.id;
      if (id === undefined) {
        id = q.planInsert.get(
          request.name,
          channels,
          request.maxStreams,
          request.expiresAt,
          now(),
        )!.id;
      } else {
        if (!q.plan.get(id)) throw new AppError('not_found', `No plan ${id}.`);
        q.planUpdate.run(request.name, channels, request.maxStreams, request.expiresAt, id);
      }
      changed();
      return plans().find((p) => p.id === id)!;
    },
    deletePlan(id) {
      if (!q.plan.get(id)) throw new AppError('not_found', `No plan ${id}.`);
      const n = q.onPlan.get(id)!.n;
      if (n > 0)
        throw new AppError('conflict', `${n} subscriber${n === 1 ? ' is' : 's are'} on this plan.`);
      q.planDelete.run(id);
      changed();
    },
    list,
    create(request, issuer) {
      if (!plansById.has(request.planId))
        throw new AppError('not_found', `No plan ${request.planId}.`);
      if (request.expiresAt !== null && request.expiresAt <= now())
        throw new AppError('invalid_request', 'The end date is in the past.');
      const secret = `sub_${randomBytes(20).toString('hex')}`;
      const { id } = q.insert.get(
        request.name,
        request.planId,
        secret.slice(0, PREFIX_LENGTH),
        sha256(secret),
        request.expiresAt,
        now(),
        issuer?.personId ?? null,
        issuer?.displayName ?? 'system',
      )!;
      changed();
      return { subscriber: toSubscriber(entryOf(id)), secret, ...subscriberPaths(secret) };
    },
    update(request) {
      const { row } = entryOf(request.id);
      if (request.planId !== undefined && !plansById.has(request.planId))
        throw new AppError('not_found', `No plan ${request.planId}.`);
      q.update.run(
        request.name ?? row.name,
        request.planId ?? row.plan_id,
        request.enabled === undefined ? row.enabled : request.enabled ? 1 : 0,
        request.expiresAt === undefined ? row.expires_at : request.expiresAt,
        row.id,
      );
      if (request.enabled === false) sessions.forget(row.id);
      changed();
      return toSubscriber(entryOf(row.id));
    },
    revoke(id) {
      entryOf(id);
      q.revoke.run(now(), id);
      sessions.forget(id);
      changed();
      return toSubscriber(entryOf(id));
    },
    usage(id, days) {
      entryOf(id);
      flush();
      return {
        streamsNow: sessions.count(id, now()),
        days: q.usage.all(id, days).map((r) => ({
          day: r.day,
          segments: r.segments,
          minutes: Math.floor(r.watched_ms / 60_000),
          refused: r.refused,
        })),
      };
    },
    flush,
    close() {
      clearInterval(timer);
      for (const stream of streams) stream.abort.abort();
      flush();
    },
  };
}
