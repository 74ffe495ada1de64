// Distinct HLS clients per channel over a sliding window, fed by the HTTP server for every
// request under /channels/{slug}/. The request path does one string scan and one Map set;
// counting and forgetting happen once per dashboard tick.
import { MONITOR_USER_AGENT } from './detector-args';

export const VIEWER_WINDOW_MS = 30_000;
const PREFIX = '/channels/';

export type ViewerCounter = {
  /** Notes a request (any path: only /channels/{slug}/… counts). */
  seen(url: string, address: string, userAgent: string | undefined, now: number): void;
  /** Distinct clients per channel slug in the window ending at `now`; drops older ones. */
  count(now: number): Map<string, number>;
};

export function createViewerCounter(windowMs = VIEWER_WINDOW_MS): ViewerCounter {
  // slug → client (address + user agent) → last request.
  const bySlug = new Map<string, Map<string, number>>();
  return {
    seen(url, address, userAgent, now) {
      if (!url.startsWith(PREFIX)) return;
      if (userAgent === MONITOR_USER_AGENT) return;
      const end = url.indexOf('/', PREFIX.length);
      if (end <= PREFIX.length) return;
      const slug = decodeSlug(url.slice(PREFIX.length, end));
      // A malformed escape cannot name a channel (the router answers 404).
      if (slug === null) return;
      let clients = bySlug.get(slug);
      if (!clients) {
        // Unknown slugs answer 404 and are forgotten at the next count; bound them anyway.
        if (bySlug.size >= 10_000) return;
        clients = new Map();
        bySlug.set(slug, clients);
      }
      clients.set(`${address}\n${userAgent ?? ''}`, now);
    },
    count(now) {
      const out = new Map<string, number>();
      const oldest = now - windowMs;
      for (const [slug, clients] of bySlug) {
        for (const [client, at] of clients) if (at <= oldest) clients.delete(client);
        if (clients.size === 0) bySlug.delete(slug);
        else out.set(slug, clients.size);
      }
      return out;
    },
  };
}

function decodeSlug(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}
