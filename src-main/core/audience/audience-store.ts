// The audience tables as stored (migration 0019) and the as-run programmes they are read with.
import type { Database } from 'better-sqlite3';
import type { ChannelMinute, ViewerSession } from './audience-counter';
import { MINUTE_MS } from './audience-counter';

export type MinuteRow = { channelId: number; at: number; viewers: number; watchMs: number };
export type SessionRow = { channelId: number; viewer: number; startedAt: number; endedAt: number };
export type ProgrammeRow = {
  id: number;
  channelId: number;
  itemId: number | null;
  title: string;
  airedAt: number;
  durationMs: number;
};

export function createAudienceStore(db: Database) {
  const channelIdOf = db.prepare<[string], { id: number }>(
    'SELECT id FROM channels WHERE slug = ?',
  );
  // Additive: a minute rolled up twice (a restart inside it) sums rather than replaces.
  const addMinute = db.prepare<[number, number, number, number]>(
    `INSERT INTO audience_minutes (channel_id, minute_at, viewers, watch_ms) VALUES (?, ?, ?, ?)
     ON CONFLICT(channel_id, minute_at) DO UPDATE SET viewers = viewers + excluded.viewers,
       watch_ms = watch_ms + excluded.watch_ms`,
  );
  const addSession = db.prepare<[number, number, number, number, number]>(
    'INSERT INTO audience_sessions (channel_id, viewer, started_at, ended_at, watch_ms) VALUES (?, ?, ?, ?, ?)',
  );
  const minutesAll = db.prepare<[number, number], MinuteRow>(
    `SELECT channel_id AS channelId, minute_at AS at, viewers, watch_ms AS watchMs
     FROM audience_minutes WHERE minute_at >= ? AND minute_at < ? ORDER BY minute_at`,
  );
  const minutesOne = db.prepare<[number, number, number], MinuteRow>(
    `SELECT channel_id AS channelId, minute_at AS at, viewers, watch_ms AS watchMs
     FROM audience_minutes WHERE channel_id = ? AND minute_at >= ? AND minute_at < ? ORDER BY minute_at`,
  );
  // A session overlaps [from, to) when it ended at or after `from` and started before `to`.
  const sessionsAll = db.prepare<[number, number], SessionRow>(
    `SELECT channel_id AS channelId, viewer, started_at AS startedAt, ended_at AS endedAt
     FROM audience_sessions WHERE ended_at >= ? AND started_at < ?`,
  );
  const sessionsOne = db.prepare<[number, number, number], SessionRow>(
    `SELECT channel_id AS channelId, viewer, started_at AS startedAt, ended_at AS endedAt
     FROM audience_sessions WHERE channel_id = ? AND ended_at >= ? AND started_at < ?`,
  );
  const programmesAll = db.prepare<[number, number], ProgrammeRow>(
    `SELECT id, channel_id AS channelId, item_id AS itemId, title, aired_at AS airedAt,
       duration_ms AS durationMs
     FROM as_run WHERE kind = 'programme' AND aired_at < ? AND aired_at + duration_ms > ?
     ORDER BY channel_id, aired_at, id`,
  );
  const programmesOne = db.prepare<[number, number, number], ProgrammeRow>(
    `SELECT id, channel_id AS channelId, item_id AS itemId, title, aired_at AS airedAt,
       duration_ms AS durationMs
     FROM as_run WHERE channel_id = ? AND kind = 'programme' AND aired_at < ? AND aired_at + duration_ms > ?
     ORDER BY aired_at, id`,
  );
  const purgeMinutes = db.prepare<[number]>('DELETE FROM audience_minutes WHERE minute_at < ?');
  const purgeSessions = db.prepare<[number]>('DELETE FROM audience_sessions WHERE ended_at < ?');

  const slugs = new Map<string, number | null>();
  const channelOf = (slug: string): number | null => {
    let id = slugs.get(slug);
    if (id === undefined) {
      id = channelIdOf.get(slug)?.id ?? null;
      slugs.set(slug, id);
    }
    return id;
  };

  const write = db.transaction(
    (minutes: readonly ChannelMinute[], sessions: readonly ViewerSession[]): MinuteRow[] => {
      const written: MinuteRow[] = [];
      for (const m of minutes) {
        const channelId = channelOf(m.slug);
        if (channelId === null) continue;
        const at = m.minute * MINUTE_MS;
        addMinute.run(channelId, at, m.viewers, Math.round(m.watchMs));
        written.push({ channelId, at, viewers: m.viewers, watchMs: Math.round(m.watchMs) });
      }
      for (const s of sessions) {
        const channelId = channelOf(s.slug);
        if (channelId === null) continue;
        addSession.run(channelId, s.viewer, s.startedAt, s.lastAt, Math.round(s.watchMs));
      }
      return written;
    },
  );

  return {
    /** Channel id of a slug (cached; `forgetSlugs` when channels change), null if none. */
    channelOf,
    forgetSlugs: () => slugs.clear(),
    /** Stores rolled-up minutes and closed sessions in one transaction; returns the minutes. */
    write,
    minutes: (channelId: number | undefined, from: number, to: number): MinuteRow[] =>
      channelId === undefined ? minutesAll.all(from, to) : minutesOne.all(channelId, from, to),
    sessions: (channelId: number | undefined, from: number, to: number): SessionRow[] =>
      channelId === undefined ? sessionsAll.all(from, to) : sessionsOne.all(channelId, from, to),
    programmes: (channelId: number | undefined, from: number, to: number): ProgrammeRow[] =>
      channelId === undefined
        ? programmesAll.all(to, from)
        : programmesOne.all(channelId, to, from),
    /** Drops history older than `before`; returns the rows removed. */
    purge: (before: number): number =>
      purgeMinutes.run(before).changes + purgeSessions.run(before).changes,
  };
}
export type AudienceStore = ReturnType<typeof createAudienceStore>;
