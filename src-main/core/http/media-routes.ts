import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { routePermissions } from '../../../src-shared/contract/permissions';
import type { Core } from '../create-core';
import { refuseUnlessAllowed } from './session-auth';

const CONTENT_TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
};

/**
 * Path segments after `/media/<id>/`, taken from the raw URL so an encoded slash (%2F) or dot
 * segment cannot pass as something else after decoding. Null when anything looks wrong.
 */
export function mediaSegments(rawUrl: string): { assetId: string; segments: string[] } | null {
  const path = rawUrl.split('?')[0] ?? '';
  const parts = path.split('/');
  // ['', 'media', '<id>', ...rest]
  const [, , assetId, ...rest] = parts;
  if (!assetId || !/^[1-9][0-9]{0,15}$/.test(assetId) || rest.length === 0 || rest.length > 4)
    return null;
  const segments: string[] = [];
  for (const raw of rest) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    // Hidden names cover `.partial-*` work folders, `.`, `..` and dotfiles in one rule.
    if (!segment || segment.startsWith('.') || /[/\\\0]/.test(segment) || segment.length > 200)
      return null;
    segments.push(segment);
  }
  return { assetId, segments };
}

type Range = { start: number; end: number } | 'unsatisfiable' | null;

export function parseRange(header: string | undefined, size: number): Range {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Multi-range and other units are served whole, which RFC 9110 allows.
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/**
 * `/media/<assetId>/...`: house renditions, posters and filmstrips. Only files inside that
 * asset's folder (after resolving symlinks), only known media types, never work in progress.
 */
export function registerMediaRoutes(app: FastifyInstance, options: { core: Core }): void {
  const { core } = options;
  const mediaDir = core.context.mediaDir;

  app.get('/media/*', async (request, reply) => {
    if (refuseUnlessAllowed(core.people, request, reply, routePermissions['GET /media/*']))
      return reply;
    const notFound = () =>
      reply.code(404).send({ code: 'not_found', message: 'No such media file.' });
    const parsed = mediaSegments(request.raw.url ?? '');
    if (!parsed) return notFound();
    const type = CONTENT_TYPES[extname(parsed.segments.at(-1) ?? '').toLowerCase()];
    if (!type) return notFound();

    let file: string;
    let size: number;
    try {
      const assetRoot = await realpath(join(mediaDir, parsed.assetId));
      file = await realpath(join(assetRoot, ...parsed.segments));
      if (!file.startsWith(assetRoot + sep)) return notFound();
      const info = await stat(file);
      if (!info.isFile()) return notFound();
      size = info.size;
    } catch {
      return notFound();
    }

    reply
      .header('content-type', type)
      .header('accept-ranges', 'bytes')
      // Playlists of a ready asset do not change either, but the poster URL carries a version
      // and playlists are tiny: only segments and images are cached.
      .header(
        'cache-control',
        type === CONTENT_TYPES['.m3u8'] ? 'no-cache' : 'private, max-age=86400',
      );
    const range = parseRange(request.headers.range, size);
    if (range === 'unsatisfiable') {
      return reply.code(416).header('content-range', `bytes */${size}`).send();
    }
    if (range) {
      reply
        .code(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
        .header('content-length', range.end - range.start + 1);
      return reply.send(createReadStream(file, { start: range.start, end: range.end }));
    }
    reply.header('content-length', size);
    return reply.send(createReadStream(file));
  });
}
