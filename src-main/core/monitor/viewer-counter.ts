// Distinct players per channel over a sliding window, for the dashboard. The HTTP server reports
// only playlists and segments it answered with 2xx for a channel that exists (see
// http/viewer-hits.ts), so a 404 flood or a made-up slug never reaches this table.
//
// Memory is bounded whatever arrives: a client is keyed by a fixed-size hash of its address and
// User-Agent (never the raw header), and the table holds at most `maxClients` entries, the
// least recently seen dropped first. A Map keeps insertion order, so moving a client to the end
// on every hit makes the front the oldest: expiry and eviction only ever look at the front.
import { createHash } from 'node:crypto';
import { MONITOR_USER_AGENT } from './detector-args';

export const VIEWER_WINDOW_MS = 30_000;
/** Past this many players in the window the count stops growing (and reads as the cap). */
export const MAX_VIEWER_CLIENTS = 20_000;

export type ViewerCounter = {
  /** Notes a player fetching a playlist or segment of the channel `slug` at `now`. */
  seen(slug: string, address: string, userAgent: string | undefined, now: number): void;
  /** Distinct clients per channel slug in the window ending at `now`; drops older ones. */
  count(now: number): Map<string, number>;
  /** Entries held (what bounds the memory); for tests and benchmarks. */
  size(): number;
};

type Entry = { slug: string; at: number };

/** 16 bytes of SHA-1 as base64: a fixed 22-character key however long the User-Agent is. */
function clientKey(slug: string, address: string, userAgent: string): string {
  const digest = createHash('sha1').update(address).update('\n').update(userAgent).digest();
  return `${slug}\n${digest.toString('base64', 0, 16)}`;
}

export function createViewerCounter(
  windowMs = VIEWER_WINDOW_MS,
  maxClients = MAX_VIEWER_CLIENTS,
): ViewerCounter {
  // slug + client hash → the channel and the last request, least recently seen first.
  const clients = new Map<string, Entry>();
  return {
    seen(slug, address, userAgent, now) {
      if (userAgent === MONITOR_USER_AGENT) return;
      const key = clientKey(slug, address, userAgent ?? '');
      clients.delete(key);
      clients.set(key, { slug, at: now });
      if (clients.size > maxClients) {
        const oldest = clients.keys().next();
        if (!oldest.done) clients.delete(oldest.value);
      }
    },
    count(now) {
      const oldest = now - windowMs;
      for (const [key, entry] of clients) {
        if (entry.at > oldest) break;
        clients.delete(key);
      }
      const out = new Map<string, number>();
      for (const { slug } of clients.values()) out.set(slug, (out.get(slug) ?? 0) + 1);
      return out;
    },
    size: () => clients.size,
  };
}
