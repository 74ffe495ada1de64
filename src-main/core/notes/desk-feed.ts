// The desk's statistics feed: events checked and appended to the raw log on the request path;
// the minute tables recomputed for the minutes touched on a timer, off it. While anyone is
// signed in the current minute is recomputed each pass, so the Team screen's figures grow live
// (through the statsChanged event the stats API emits). Desks that stop reporting (a crash, a
// closed laptop) have their session ended at their last event after a timeout.
import type { Database } from 'better-sqlite3';
import {
  DESK_EVENT_MAX_AGE_MS,
  DESK_EVENT_MAX_AHEAD_MS,
  type ReportedDeskEvent,
} from '../../../src-shared/contract';
import type { Logger } from '../logger';
import type { StatsApi } from '../shifts/shifts-feature';
import { AppError } from '../errors';
import { createDeskLogStore } from './desk-log-store';

export type DeskFeedOptions = {
  /** How often the log is rolled up into the minute tables (default 3 s). */
  rollupIntervalMs?: number;
  /** A desk session silent this long is ended at its last event (default 2 minutes). */
  deskSessionTimeoutMs?: number;
};

/** How far back a pass reaches for input that keeps a person active (the stats' idle time). */
const IDLE_LOOKBACK_MS = 60_000;
const DAY_MS = 86_400_000;

export function createDeskFeed(
  db: Database,
  deps: {
    now: () => number;
    stats: StatsApi;
    retentionDays: () => number;
    logger: Logger;
    sourceExists: (id: number) => boolean;
    options: DeskFeedOptions;
  },
) {
  const { now, stats } = deps;
  const log = createDeskLogStore(db);
  const intervalMs = deps.options.rollupIntervalMs ?? 3000;
  const timeoutMs = deps.options.deskSessionTimeoutMs ?? 120_000;
  /** The earliest instant whose minute needs recomputing, or null. */
  let dirtyFrom: number | null = null;
  /** Where the last pass stopped (its minute is partial while sessions are open). */
  let rolledTo: number | null = null;
  let timer: NodeJS.Timeout | undefined;
  let purgeTimer: NodeJS.Timeout | undefined;

  const touch = (at: number) => {
    dirtyFrom = dirtyFrom === null ? at : Math.min(dirtyFrom, at);
  };

  function report(personId: number, deskSession: string, events: readonly ReportedDeskEvent[]) {
    if (events.length === 0) return 0;
    const t = now();
    const first = events[0]!;
    const last = events.at(-1)!;
    if (first.at < t - DESK_EVENT_MAX_AGE_MS)
      throw new AppError(
        'invalid_request',
        `Desk events may be at most ${DESK_EVENT_MAX_AGE_MS / 60_000} minutes old.`,
        [{ path: 'events.0.at', message: 'too old' }],
      );
    if (last.at > t + DESK_EVENT_MAX_AHEAD_MS)
      throw new AppError('invalid_request', 'Desk events may not be in the future.', [
        { path: `events.${events.length - 1}.at`, message: 'ahead of the server clock' },
      ]);
    const session = log.session(personId, deskSession);
    if (session && first.at < session.last_at)
      throw new AppError(
        'invalid_request',
        `Desk events must follow those already reported for this desk session (last at ${session.last_at}).`,
        [{ path: 'events.0.at', message: 'before an event already reported' }],
      );
    events.forEach((e, i) => {
      if ('sourceId' in e && !deps.sourceExists(e.sourceId))
        throw new AppError('not_found', `Recorded source ${e.sourceId} does not exist.`, [
          { path: `events.${i}.sourceId`, message: 'no such source' },
        ]);
    });
    log.appendDesk(personId, deskSession, events, t);
    touch(first.at);
    return events.length;
  }

  function countNote(personId: number, sourceId: number, characters: number, at: number) {
    log.appendServer(personId, { type: 'noteCreated', at, sourceId, characters });
    touch(at);
  }

  function countJob(personId: number, kind: 'screenshot' | 'clip', sourceId: number, at: number) {
    log.appendServer(personId, { type: kind, at, sourceId });
    touch(at);
  }

  function rollup() {
    const t = now();
    const ended = log.endStale(t - timeoutMs);
    if (ended !== null) touch(ended);
    const open = log.anyOpen();
    let from = dirtyFrom;
    if (open && rolledTo !== null) from = from === null ? rolledTo : Math.min(from, rolledTo);
    if (from === null) return;
    // A whole minute is recomputed from its start, with the input that may keep it active.
    const start = Math.floor(from / 60_000) * 60_000;
    const to = Math.max(t, start + 1);
    dirtyFrom = null;
    rolledTo = t;
    stats.record(log.window(start - IDLE_LOOKBACK_MS, to), start, to);
  }

  const safely = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (error) {
      deps.logger.error(`desk statistics: ${what} failed`, error);
    }
  };

  return {
    report,
    countNote,
    countJob,
    rollup,
    start() {
      timer = setInterval(() => safely('roll-up', rollup), intervalMs);
      timer.unref();
      const purge = () => log.purge(now() - deps.retentionDays() * DAY_MS);
      safely('purge', purge);
      purgeTimer = setInterval(() => safely('purge', purge), 6 * 3_600_000);
      purgeTimer.unref();
    },
    close() {
      clearInterval(timer);
      clearInterval(purgeTimer);
      safely('roll-up', rollup);
    },
  };
}
