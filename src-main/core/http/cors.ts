// Cross-origin rules, decided per request by what the path is:
// - public outputs (HLS playlists and segments, live.ts, M3U, XMLTV, the HDHomeRun JSON) are
//   for any player on any page: `Access-Control-Allow-Origin: *`, never credentials, the Range
//   request header allowed and the range answer headers readable;
// - everything else (/media, uploads, the API) answers only the desktop app's own page, with
//   credentials; any other origin gets no CORS header, so the browser keeps its answer from it
//   (and its preflight is refused).
import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The desktop renderer's origin: `APP_SCHEME://APP_HOST` of electron/app-request.ts. */
export const DESKTOP_APP_ORIGIN = 'app://airdeck';

const RANGE_ANSWER_HEADERS = ['Content-Range', 'Content-Length', 'Accept-Ranges'];
/** Browsers may cache a preflight answer this long (seconds); Chromium caps it at 7200. */
const PREFLIGHT_MAX_AGE_S = 600;

const PUBLIC_FILES =
  /^\/(?:k\/[^/]+\/)?(?:discover\.json|lineup\.json|lineup_status\.json|device\.xml)$/;

/** True for the paths of the public outputs (see output-routes.ts and playout-routes.ts). */
export function isPublicOutputPath(url: string): boolean {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return (
    path.startsWith('/channels/') ||
    path === '/iptv/channels.m3u' ||
    path === '/iptv/epg.xml' ||
    PUBLIC_FILES.test(path)
  );
}

const PUBLIC: FastifyCorsOptions = {
  origin: '*',
  credentials: false,
  methods: ['GET', 'HEAD'],
  allowedHeaders: ['Range'],
  exposedHeaders: RANGE_ANSWER_HEADERS,
  maxAge: PREFLIGHT_MAX_AGE_S,
};

const DESKTOP_APP: FastifyCorsOptions = {
  origin: DESKTOP_APP_ORIGIN,
  credentials: true,
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
  allowedHeaders: ['Authorization', 'Content-Type', 'Range'],
  exposedHeaders: RANGE_ANSWER_HEADERS,
  maxAge: PREFLIGHT_MAX_AGE_S,
};

const NONE: FastifyCorsOptions = { origin: false };

export function corsOptionsFor(request: Pick<FastifyRequest, 'url' | 'headers'>) {
  if (isPublicOutputPath(request.url)) return PUBLIC;
  return request.headers.origin === DESKTOP_APP_ORIGIN ? DESKTOP_APP : NONE;
}

export async function registerCors(app: FastifyInstance): Promise<void> {
  await app.register(fastifyCors, {
    delegator: (request, callback) => callback(null, corsOptionsFor(request)),
  });
}
