// Answers `app://airdeck/...` requests from the built renderer folder. No electron import:
// it takes a web Request and returns a web Response, so it is tested in plain Node on real
// files. app-protocol.ts plugs it into `protocol.handle`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'airdeck';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

import { CONTENT_SECURITY_POLICY } from '../core/http/content-security-policy';

export { CONTENT_SECURITY_POLICY };

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

type PathApi = Pick<typeof path, 'join' | 'resolve' | 'relative' | 'isAbsolute' | 'sep'>;

/**
 * Maps a URL pathname to a file inside `rootDir`, or null. Each segment is decoded on its own
 * and refused if it is empty, `.`/`..`, or contains a separator (`/`, `\`, encoded or not), a
 * NUL or a colon (drive letters, NTFS streams); the result must still be inside `rootDir`.
 * `pathApi` lets tests check Windows rules on any OS.
 */
export function resolveRendererPath(
  rootDir: string,
  pathname: string,
  pathApi: PathApi = path,
): string | null {
  if (!pathname.startsWith('/')) return null;
  const rest = pathname.slice(1);
  const rawSegments = rest === '' ? ['index.html'] : rest.split('/');
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '' || segment === '.' || segment === '..') return null;
    if (/[/\\:\0]/.test(segment)) return null;
    segments.push(segment);
  }
  const root = pathApi.resolve(rootDir);
  const file = pathApi.resolve(pathApi.join(root, ...segments));
  const relative = pathApi.relative(root, file);
  const escapes = relative === '..' || relative.startsWith(`..${pathApi.sep}`);
  if (relative === '' || escapes || pathApi.isAbsolute(relative)) return null;
  return file;
}

export type ReadFileFn = (file: string) => Promise<Uint8Array>;

function textResponse(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });
}

/**
 * Returns the handler for the `app` scheme. Only GET/HEAD on host `airdeck`; anything outside
 * the renderer folder, missing, or a directory is a 404 with no detail.
 */
export function createAppRequestHandler(
  rendererDir: string,
  read: ReadFileFn = readFile,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return textResponse(405, 'Method not allowed');
    }
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return textResponse(400, 'Bad request');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || url.port !== '') {
      return textResponse(404, 'Not found');
    }
    const file = resolveRendererPath(rendererDir, url.pathname);
    if (!file) return textResponse(404, 'Not found');

    let body: Uint8Array;
    try {
      body = await read(file);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') {
        return textResponse(404, 'Not found');
      }
      return textResponse(500, 'Could not read the file');
    }

    const contentType = contentTypeFor(file);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-content-type-options': 'nosniff',
    };
    if (contentType.startsWith('text/html')) {
      headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
      headers['cache-control'] = 'no-cache';
    }
    const payload = request.method === 'HEAD' ? null : new Blob([new Uint8Array(body)]);
    return new Response(payload, { status: 200, headers });
  };
}
