// What integrators are told happened, kept in SQLite for a window of hours so an event stream
// that reconnects with Last-Event-ID gets everything it missed. Ids are the table's
// AUTOINCREMENT rowids: monotonic, never reused, even after rows age out.
import type { Database } from 'better-sqlite3';
import type { ApiKey, ApiScope } from '../../../src-shared/contract';
import type { EventBus } from '../events/event-bus';

export const apiEventTypes = {
  'channels.changed': 'schedule:read',
  'schedule.changed': 'schedule:read',
  'playout.changed': 'schedule:read',
  'asrun.appended': 'schedule:read',
  'recordings.changed': 'recordings:read',
} as const satisfies Record<string, ApiScope>;
export type ApiEventType = keyof typeof apiEventTypes;

export type ApiEvent = {
  id: number;
  at: number;
  type: ApiEventType;
  /** Null for station-wide events (every key that may read them gets them). */
  channelId: number | null;
  data: unknown;
};

/** Whether a key may be told of an event: its scope, and its channels where it has a channel. */
export function eventVisible(event: ApiEvent, key: ApiKey): boolean {
  if (!key.scopes.includes(apiEventTypes[event.type])) return false;
  if (key.channels === null || event.channelId === null) return true;
  return key.channels.includes(event.channelId);
}

/**
 * The event as a key may see it, or null: station-wide lists (channels.changed) keep only the
 * channels a channel-limited key reaches, so it never learns of the others.
 */
export function eventFor(event: ApiEvent, key: ApiKey): ApiEvent | null {
  if (!eventVisible(event, key)) return null;
  const reach = key.channels;
  if (event.type !== 'channels.changed' || reach === null) return event;
  const list = event.data as { id: number }[];
  return { ...event, data: list.filter((channel) => reach.includes(channel.id)) };
}

type Row = { id: number; at: number; type: ApiEventType; channel_id: number | null; data: string };

export type ApiEventLog = {
  append(type: ApiEventType, channelId: number | null, data: unknown): ApiEvent;
  /** Retained events after `id`, oldest first. */
  since(id: number, limit?: number): ApiEvent[];
  /** The oldest retained id (0 when none): a resume from before it has lost events. */
  oldestId(): number;
  lastId(): number;
  subscribe(listener: (event: ApiEvent) => void): () => void;
  /** Drops events older than the retention window; returns how many. */
  prune(): number;
  close(): void;
};

const toEvent = (row: Row): ApiEvent => ({
  id: row.id,
  at: row.at,
  type: row.type,
  channelId: row.channel_id,
  data: JSON.parse(row.data) as unknown,
});

export const DEFAULT_API_EVENT_RETENTION_MS = 24 * 3_600_000;

export function createApiEventLog(deps: {
  db: Database;
  bus: EventBus;
  now: () => number;
  retentionMs?: number;
}): ApiEventLog {
  const { db, bus, now } = deps;
  const retentionMs = deps.retentionMs ?? DEFAULT_API_EVENT_RETENTION_MS;
  const q = {
    insert: db.prepare<[number, string, number | null, string], { id: number }>(
      'INSERT INTO api_events (at, type, channel_id, data) VALUES (?, ?, ?, ?) RETURNING id',
    ),
    since: db.prepare<[number, number], Row>(
      'SELECT * FROM api_events WHERE id > ? ORDER BY id LIMIT ?',
    ),
    oldest: db.prepare<[], { id: number | null }>('SELECT min(id) AS id FROM api_events'),
    last: db.prepare<[], { seq: number }>(
      "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'api_events'), 0) AS seq",
    ),
    prune: db.prepare<[number]>('DELETE FROM api_events WHERE at < ?'),
  };
  const listeners = new Set<(event: ApiEvent) => void>();

  function append(type: ApiEventType, channelId: number | null, data: unknown): ApiEvent {
    const at = now();
    const text = JSON.stringify(data);
    const { id } = q.insert.get(at, type, channelId, text)!;
    const event: ApiEvent = { id, at, type, channelId, data };
    for (const listener of listeners) listener(event);
    return event;
  }

  const offs = [
    bus.on('channelsChanged', ({ channels }) =>
      append(
        'channels.changed',
        null,
        channels.map((c) => ({ id: c.id, name: c.name, number: c.number, slug: c.slug })),
      ),
    ),
    bus.on('scheduleChanged', (change) =>
      append('schedule.changed', change.channelId, {
        channelId: change.channelId,
        scheduleVersion: change.scheduleVersion,
        changed: change.changed,
        removed: change.removed,
      }),
    ),
    bus.on('playoutChanged', ({ channelId, status }) =>
      append('playout.changed', channelId, {
        channelId,
        onAir: status.onAir,
        held: status.held,
        now: status.now,
        next: status.next,
      }),
    ),
    bus.on('asRunAppended', ({ rows }) => {
      const byChannel = new Map<number, typeof rows>();
      for (const row of rows) {
        const list = byChannel.get(row.channelId) ?? [];
        list.push(row);
        byChannel.set(row.channelId, list);
      }
      for (const [channelId, list] of byChannel)
        append('asrun.appended', channelId, { channelId, rows: list });
    }),
    bus.on('recorderSourcesChanged', () => append('recordings.changed', null, {})),
  ];
  const timer = setInterval(() => q.prune.run(now() - retentionMs), 60_000);
  timer.unref();

  return {
    append,
    since: (id, limit = 10_000) => q.since.all(id, limit).map(toEvent),
    oldestId: () => q.oldest.get()?.id ?? 0,
    lastId: () => q.last.get()?.seq ?? 0,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    prune: () => q.prune.run(now() - retentionMs).changes,
    close() {
      clearInterval(timer);
      for (const off of offs) off();
      listeners.clear();
    },
  };
}
