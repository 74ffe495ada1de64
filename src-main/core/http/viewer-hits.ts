// Feeds the dashboard's viewer counter and the audience history from what the server actually
// answered: a playlist or a segment of a channel that exists, sent with a 2xx status. Counting
// at request time (before routing) let anyone add viewers, or grow the table, with requests
// for made-up paths.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MONITOR_USER_AGENT } from '../monitor/detector-args';
import { cookieSecret } from './session-auth';

declare module 'fastify' {
  interface FastifyRequest {
    /** Media time this answer carries (a segment's duration), set by the route that sent it. */
    servedMediaMs: number;
  }
}

/**
 * Routes whose success means a player is watching. live.ts is not here: its reply ends when the
 * viewer leaves, so its route reports the viewer itself while it streams.
 */
const PLAYER_ROUTES: ReadonlySet<string> = new Set([
  '/channels/:slug/index.m3u8',
  '/channels/:slug/main.m3u8',
  '/channels/:slug/proxy.m3u8',
  '/channels/:slug/:variant/seg/:msn',
]);

export type ViewerHit = {
  slug: string;
  address: string;
  userAgent: string | undefined;
  /** What tells this viewer apart from others (see viewerIdentity). */
  identity: string;
  /** Media time the answer carried (0 for a playlist). */
  mediaMs: number;
};

export type CountViewer = (hit: ViewerHit) => void;

export function isViewerHit(method: string, route: string | undefined, statusCode: number) {
  return (
    method === 'GET' &&
    route !== undefined &&
    PLAYER_ROUTES.has(route) &&
    statusCode >= 200 &&
    statusCode < 300
  );
}

/** A subscriber's player: its key and the session id its master playlist handed out. */
export type SubscriberPlayer = { key: string; session: string | undefined };

/**
 * Who is watching: a subscriber's player when the request carries a subscriber key (the gate
 * has already checked it: a refused request is not counted), else a signed-in session (a window
 * previewing the channel), else the address and User-Agent. The audience counter hashes it at
 * once; the raw value is never stored.
 */
export function viewerIdentity(
  session: string | undefined,
  address: string,
  userAgent: string | undefined,
  subscriber?: SubscriberPlayer,
): string {
  if (subscriber)
    return `k:${subscriber.key}\n${subscriber.session ?? `${address}\n${userAgent ?? ''}`}`;
  return session ? `s:${session}` : `a:${address}\n${userAgent ?? ''}`;
}

/** The subscriber key and player session of a keyed output request, if it has one. */
export function subscriberPlayerOf(request: FastifyRequest): SubscriberPlayer | undefined {
  const query = request.query as { key?: unknown; s?: unknown } | undefined;
  const key = query?.key;
  if (typeof key !== 'string' || !key.startsWith('sub_')) return undefined;
  return { key, session: typeof query?.s === 'string' ? query.s : undefined };
}

/** The segment route tells the hit how much media it sent. */
export function noteServedMedia(request: FastifyRequest, durationMs: number): void {
  request.servedMediaMs = durationMs;
}

export function registerViewerHits(app: FastifyInstance, count: CountViewer): void {
  app.decorateRequest('servedMediaMs', 0);
  app.addHook('onResponse', (request, reply, done) => {
    if (isViewerHit(request.method, request.routeOptions.url, reply.statusCode)) {
      const slug = (request.params as { slug?: unknown } | undefined)?.slug;
      const userAgent = request.headers['user-agent'];
      // The station's own alarm detectors read every channel's proxy: they are not an audience.
      if (typeof slug === 'string' && userAgent !== MONITOR_USER_AGENT) {
        count({
          slug,
          address: request.ip,
          userAgent,
          identity: viewerIdentity(
            cookieSecret(request),
            request.ip,
            userAgent,
            subscriberPlayerOf(request),
          ),
          mediaMs: request.servedMediaMs,
        });
      }
    }
    done();
  });
}
