// Feeds the dashboard's viewer counter from what the server actually answered: a playlist or a
// segment of a channel that exists, sent with a 2xx status. Counting at request time (before
// routing) let anyone add viewers, or grow the table, with requests for made-up paths.
import type { FastifyInstance } from 'fastify';

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

export type CountViewer = (slug: string, address: string, userAgent: string | undefined) => void;

export function isViewerHit(method: string, route: string | undefined, statusCode: number) {
  return (
    method === 'GET' &&
    route !== undefined &&
    PLAYER_ROUTES.has(route) &&
    statusCode >= 200 &&
    statusCode < 300
  );
}

export function registerViewerHits(app: FastifyInstance, count: CountViewer): void {
  app.addHook('onResponse', (request, reply, done) => {
    if (isViewerHit(request.method, request.routeOptions.url, reply.statusCode)) {
      const slug = (request.params as { slug?: unknown } | undefined)?.slug;
      if (typeof slug === 'string') count(slug, request.ip, request.headers['user-agent']);
    }
    done();
  });
}
