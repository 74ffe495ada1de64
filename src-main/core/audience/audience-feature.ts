// Audience history as a core feature: the HTTP server reports each player request (`hit`, O(1)),
// a timer rolls finished minutes and ended sessions into SQLite and announces the minutes, and
// history older than the retention setting is pruned hourly.
import type { CoreContext, Feature } from '../core-context';
import {
  createAudienceCounter,
  DEFAULT_IDLE_MS,
  DEFAULT_MAX_VIEWERS,
  MINUTE_MS,
} from './audience-counter';
import { audienceSeries, groupProgrammes, programmeAudience } from './audience-report';
import { createAudienceStore, type MinuteRow, type SessionRow } from './audience-store';

export type AudienceMethod = 'audienceByProgramme' | 'audienceSeries';

export type AudienceApi = {
  /**
   * A player's request for channel `slug` was answered with 2xx. `identity` tells viewers apart
   * (subscriber key, session, else address and User-Agent); `watchMs` is the media time the
   * answer carried (a segment's duration; 0 for a playlist).
   */
  hit(slug: string, identity: string, watchMs: number): void;
  /** Rolls up what is complete now (the timer does this; tests and benchmarks call it). */
  rollUp(): void;
  /** Open viewing sessions per channel id (for /metrics). */
  openSessions(): Map<number, number>;
  /** Sessions held in memory (bounded by maxViewers). */
  size(): number;
};

export type AudienceFeatureOptions = {
  /** How often finished minutes and ended sessions are written (default 5 s). */
  rollUpIntervalMs?: number;
  /** Silence after which a viewer has left (default 30 s). */
  idleMs?: number;
  /** Sessions held in memory at most (default 50,000). */
  maxViewers?: number;
};

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export function createAudienceFeature(
  context: CoreContext,
  options: AudienceFeatureOptions = {},
): Feature<AudienceMethod> & { audience: AudienceApi } {
  const { db, bus, clock, logger } = context;
  const counter = createAudienceCounter({
    idleMs: options.idleMs ?? DEFAULT_IDLE_MS,
    maxViewers: options.maxViewers ?? DEFAULT_MAX_VIEWERS,
  });
  const store = createAudienceStore(db);
  const offChannels = bus.on('channelsChanged', () => store.forgetSlugs());
  let lastPurge = 0;

  function rollUp(all = false): void {
    const now = clock.now();
    const { minutes, sessions } = counter.drain(now, all);
    if (minutes.length > 0 || sessions.length > 0) {
      const written = store.write(minutes, sessions);
      if (written.length > 0) bus.emit('audienceMinutes', { minutes: written });
    }
    if (now - lastPurge >= HOUR_MS) {
      lastPurge = now;
      store.purge(now - context.settings.get().audienceRetentionDays * DAY_MS);
    }
  }

  /** What is still in memory, as rows: queries add it to what is stored. */
  function openRows(): { minutes: MinuteRow[]; sessions: SessionRow[] } {
    const open = counter.open();
    const minutes: MinuteRow[] = [];
    const sessions: SessionRow[] = [];
    for (const m of open.minutes) {
      const channelId = store.channelOf(m.slug);
      if (channelId !== null)
        minutes.push({
          channelId,
          at: m.minute * MINUTE_MS,
          viewers: m.viewers,
          watchMs: m.watchMs,
        });
    }
    for (const s of open.sessions) {
      const channelId = store.channelOf(s.slug);
      if (channelId !== null)
        sessions.push({ channelId, viewer: s.viewer, startedAt: s.startedAt, endedAt: s.lastAt });
    }
    return { minutes, sessions };
  }

  const inWindow = <T extends { at: number }>(rows: T[], from: number, to: number) =>
    rows.filter((r) => r.at >= from && r.at < to);

  let timer: NodeJS.Timeout | undefined;
  return {
    audience: {
      hit: (slug, identity, watchMs) => counter.hit(slug, identity, watchMs, clock.now()),
      rollUp: () => rollUp(),
      openSessions() {
        const out = new Map<number, number>();
        for (const s of counter.open().sessions) {
          const id = store.channelOf(s.slug);
          if (id !== null) out.set(id, (out.get(id) ?? 0) + 1);
        }
        return out;
      },
      size: () => counter.size(),
    },
    handlers: {
      audienceByProgramme: ({ from, to, channelId }) => {
        const programmes = groupProgrammes(store.programmes(channelId, from, to));
        if (programmes.length === 0) return { programmes: [] };
        // A loop, not Math.min(...spread): two months of 500 channels is millions of parts.
        let start = Infinity;
        let end = -Infinity;
        for (const p of programmes)
          for (const part of p.parts) {
            start = Math.min(start, part.from);
            end = Math.max(end, part.to);
          }
        const minuteFrom = Math.floor(start / MINUTE_MS) * MINUTE_MS;
        const open = openRows();
        // Every channel's minutes: a programme's share is of the whole station.
        const minutes = [
          ...store.minutes(undefined, minuteFrom, end),
          ...inWindow(open.minutes, minuteFrom, end),
        ];
        const sessions = [
          ...store.sessions(channelId, start, end),
          ...open.sessions.filter(
            (s) =>
              (channelId === undefined || s.channelId === channelId) &&
              s.endedAt >= start &&
              s.startedAt < end,
          ),
        ];
        return { programmes: programmeAudience(programmes, minutes, sessions) };
      },
      audienceSeries: ({ from, to, channelId, stepMinutes }) => {
        const minuteFrom = Math.floor(from / MINUTE_MS) * MINUTE_MS;
        const open = openRows();
        const minutes = [
          ...store.minutes(channelId, minuteFrom, to),
          ...inWindow(open.minutes, minuteFrom, to).filter(
            (m) => channelId === undefined || m.channelId === channelId,
          ),
        ];
        return {
          from,
          stepMinutes,
          channels: audienceSeries(minutes, from, to, stepMinutes, channelId),
        };
      },
    },
    start() {
      timer = setInterval(() => {
        try {
          rollUp();
        } catch (error) {
          logger.error('audience roll-up failed', error);
        }
      }, options.rollUpIntervalMs ?? 5000);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      offChannels();
      // What is open is written as it stands: sessions end at their last request.
      try {
        rollUp(true);
      } catch (error) {
        logger.error('audience roll-up at close failed', error);
      }
    },
  };
}
