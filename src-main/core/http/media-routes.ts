import { extname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { routePermissions } from '../../../src-shared/contract/permissions';
import type { Core } from '../create-core';
import { sendContainedFile } from './send-file';
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

    // Playlists of a ready asset do not change either, but the poster URL carries a version
    // and playlists are tiny: only segments and images are cached.
    const assetRoot = join(mediaDir, parsed.assetId);
    return sendContainedFile(request, reply, {
      root: assetRoot,
      file: join(assetRoot, ...parsed.segments),
      contentType: type,
      cacheControl: type === CONTENT_TYPES['.m3u8'] ? 'no-cache' : 'private, max-age=86400',
    });
  });
}
