// Viewer sessions and per-minute audience, counted as the HTTP server answers players.
//
// How it counts (also in the README, "Audience"):
// - A viewer is one player on one channel: its subscriber key or signed-in session when it has
//   one, else its address and User-Agent, hashed to 53 bits (the raw header is never kept).
// - Every playlist or segment the server answered with 2xx for the channel is a sign of life;
//   a segment also adds its own duration to the viewer's watch time (a live.ts stream adds the
//   time it has been streaming). Watch time therefore follows what was fetched, not how long a
//   tab stayed open: a player that stalls or pauses stops fetching and stops counting.
// - A viewer joins on its first hit and leaves `idleMs` after its last one (the session's end
//   is its last hit). Coming back later is a new session of the same viewer.
// - Minute m of a channel holds the distinct viewers with a hit in it (its concurrent
//   audience at minute resolution) and the watch time of the segments fetched in it.
//
// The request path does one Map lookup and a few additions (O(1)); closing idle sessions and
// finished minutes happens in `drain`, which the feature calls on a timer. At most
// `maxViewers` sessions are held: past that the least recently active one is closed early,
// so a flood of made-up clients costs a bounded amount of memory whatever it sends.
export const MINUTE_MS = 60_000;
/** A player fetches every few seconds; this much silence means it has gone. */
export const DEFAULT_IDLE_MS = 30_000;
export const DEFAULT_MAX_VIEWERS = 50_000;

export type ViewerSession = {
  slug: string;
  /** 53-bit hash of the viewer's identity: a safe integer, so SQLite and JS agree on it. */
  viewer: number;
  startedAt: number;
  /** Last hit. */
  lastAt: number;
  watchMs: number;
};

export type ChannelMinute = { slug: string; minute: number; viewers: number; watchMs: number };

type LiveSession = ViewerSession & { minute: number };

export type AudienceCounter = {
  /**
   * A player's request answered at `now`. `identity` is what tells viewers apart (see above);
   * `watchMs` the media time the answer carried (0 for a playlist).
   */
  hit(slug: string, identity: string, watchMs: number, now: number): void;
  /**
   * Takes what is complete at `now`: minutes before the current one and sessions idle for
   * `idleMs`. `all` takes everything (shutdown).
   */
  drain(now: number, all?: boolean): { minutes: ChannelMinute[]; sessions: ViewerSession[] };
  /** Open sessions and the current minute per channel (queries add them to what is stored). */
  open(): { sessions: readonly ViewerSession[]; minutes: readonly ChannelMinute[] };
  /** Sessions held (what bounds the memory); for tests, metrics and benchmarks. */
  size(): number;
};

/**
 * A 53-bit hash of the identity (cyrb53, public domain): fixed size whatever the identity's
 * length, a safe integer for SQLite and JS alike, and about ten times cheaper per request than
 * a SHA-1 digest object (bench/audience-count.bench.ts). Not cryptographic: a client crafting a
 * collision only merges itself with another viewer, and 5 × 10⁴ viewers collide with odds
 * of about 10⁻⁷.
 */
export function viewerHash(identity: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < identity.length; i += 1) {
    const c = identity.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export function createAudienceCounter(
  options: { idleMs?: number; maxViewers?: number } = {},
): AudienceCounter {
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const maxViewers = options.maxViewers ?? DEFAULT_MAX_VIEWERS;
  // slug + viewer hash → its session. Re-inserted when it starts a new minute, so the Map's
  // order is least recently active first (to the minute): eviction takes the front.
  const sessions = new Map<string, LiveSession>();
  const minutes = new Map<string, ChannelMinute>();
  let doneMinutes: ChannelMinute[] = [];
  let doneSessions: ViewerSession[] = [];

  const close = (session: LiveSession) =>
    doneSessions.push({
      slug: session.slug,
      viewer: session.viewer,
      startedAt: session.startedAt,
      lastAt: session.lastAt,
      watchMs: session.watchMs,
    });

  return {
    hit(slug, identity, watchMs, now) {
      const viewer = viewerHash(identity);
      const key = `${slug}\n${viewer}`;
      const minute = Math.floor(now / MINUTE_MS);
      let channel = minutes.get(slug);
      if (channel === undefined || channel.minute !== minute) {
        if (channel !== undefined) doneMinutes.push(channel);
        channel = { slug, minute, viewers: 0, watchMs: 0 };
        minutes.set(slug, channel);
      }
      let session = sessions.get(key);
      // Back after a silence inside the same minute: a new session, but not a second viewer
      // of that minute.
      let seenMinute = -1;
      if (session !== undefined && now - session.lastAt > idleMs) {
        close(session);
        sessions.delete(key);
        seenMinute = session.minute;
        session = undefined;
      }
      if (session === undefined) {
        session = { slug, viewer, startedAt: now, lastAt: now, watchMs: 0, minute: seenMinute };
        sessions.set(key, session);
        if (sessions.size > maxViewers) {
          const oldest = sessions.entries().next();
          if (!oldest.done) {
            close(oldest.value[1]);
            sessions.delete(oldest.value[0]);
          }
        }
      }
      if (session.minute !== minute) {
        session.minute = minute;
        channel.viewers += 1;
        sessions.delete(key);
        sessions.set(key, session);
      }
      session.lastAt = now;
      session.watchMs += watchMs;
      channel.watchMs += watchMs;
    },
    drain(now, all = false) {
      const current = Math.floor(now / MINUTE_MS);
      for (const [slug, channel] of minutes) {
        if (all || channel.minute < current) {
          doneMinutes.push(channel);
          minutes.delete(slug);
        }
      }
      for (const [key, session] of sessions) {
        if (all || now - session.lastAt > idleMs) {
          close(session);
          sessions.delete(key);
        }
      }
      const out = { minutes: doneMinutes, sessions: doneSessions };
      doneMinutes = [];
      doneSessions = [];
      return out;
    },
    open: () => ({
      sessions: [...sessions.values(), ...doneSessions],
      minutes: [...minutes.values(), ...doneMinutes],
    }),
    size: () => sessions.size,
  };
}
