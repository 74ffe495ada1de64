import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderMasterPlaylist, renderMediaPlaylist } from '../../../src-shared/playout';
import type { Core } from '../create-core';
import type { Variant } from './media-tables';

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';
const SEGMENT_TYPE = 'video/mp2t';
/** Playlists change every segment: a cache may keep one for at most a second. */
const PLAYLIST_CACHE = 'no-cache, max-age=1';
/** A segment URL names the same bytes forever (its media sequence number is derived). */
const SEGMENT_CACHE = 'public, max-age=86400, immutable';
const RETRY_AFTER_S = 10;
/** Level 3.1 High covers 720p25 (what libx264 picks for it); 3.0 covers the proxy. */
const MAIN_CODECS = 'avc1.64001f,mp4a.40.2';
const PROXY_CODECS = 'avc1.64001e,mp4a.40.2';

type Params = { slug: string; variant?: string; msn?: string };

/**
 * Public outputs: `/channels/<slug>/index.m3u8` (master), `main.m3u8`, `proxy.m3u8` and the
 * segments they name. No token (they are public); a station may require `?key=`. Every answer
 * is computed from the clock and the database, so any number of origins agree.
 */
export function registerPlayoutRoutes(app: FastifyInstance, options: { core: Core }): void {
  const { core } = options;
  const playout = core.playout;

  /** The channel to answer for, or null once the reply has been sent (401, 404, 503). */
  function channelFor(request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) {
    const query = request.query as Record<string, unknown> | undefined;
    if (!playout.outputs.allows(query?.key)) {
      void reply
        .code(401)
        .header('cache-control', 'no-store')
        .send({ code: 'unauthorized', message: 'This output needs ?key=.' });
      return null;
    }
    const channel = playout.channelBySlug(request.params.slug);
    if (!channel) {
      void reply.code(404).send({ code: 'not_found', message: 'No such channel.' });
      return null;
    }
    if (!playout.onAir().includes(channel.id)) {
      void reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_S))
        .header('cache-control', 'no-store')
        .send({ code: 'unavailable', message: `Channel ${channel.slug} is off air.` });
      return null;
    }
    return channel;
  }

  const keySuffix = () => {
    const { requireKey, key } = playout.outputs.get();
    return requireKey ? `?key=${encodeURIComponent(key)}` : '';
  };

  app.get<{ Params: Params }>('/channels/:slug/index.m3u8', async (request, reply) => {
    const channel = channelFor(request, reply);
    if (!channel) return reply;
    const profile = core.settings.get().houseProfile;
    const suffix = keySuffix();
    const body = renderMasterPlaylist([
      {
        uri: `main.m3u8${suffix}`,
        bandwidth: Math.round((profile.videoBitrateKbps * 1.2 + profile.audioBitrateKbps) * 1000),
        width: profile.width,
        height: profile.height,
        fps: profile.fps,
        codecs: MAIN_CODECS,
      },
      {
        uri: `proxy.m3u8${suffix}`,
        bandwidth: Math.round((profile.proxyVideoBitrateKbps * 1.2 + 64) * 1000),
        width: profile.proxyWidth,
        height: profile.proxyHeight,
        fps: profile.fps,
        codecs: PROXY_CODECS,
      },
    ]);
    return reply
      .header('content-type', PLAYLIST_TYPE)
      .header('cache-control', PLAYLIST_CACHE)
      .send(body);
  });

  for (const variant of ['main', 'proxy'] as const) {
    app.get<{ Params: Params }>(`/channels/:slug/${variant}.m3u8`, async (request, reply) => {
      const channel = channelFor(request, reply);
      if (!channel) return reply;
      const window = playout.window(channel.id);
      if (window.length === 0) {
        return reply
          .code(503)
          .header('retry-after', '1')
          .send({ code: 'unavailable', message: 'Nothing on air yet.' });
      }
      const suffix = keySuffix();
      const body = renderMediaPlaylist(
        window,
        (s) => `${variant}/seg/${s.msn}.ts${suffix}`,
        core.settings.get().houseProfile.segmentSeconds,
      );
      return reply
        .header('content-type', PLAYLIST_TYPE)
        .header('cache-control', PLAYLIST_CACHE)
        .send(body);
    });
  }

  app.get<{ Params: Params }>('/channels/:slug/:variant/seg/:msn', async (request, reply) => {
    const channel = channelFor(request, reply);
    if (!channel) return reply;
    const notFound = () => reply.code(404).send({ code: 'not_found', message: 'No such segment.' });
    const variant = request.params.variant;
    const match = /^(\d{1,15})\.ts$/.exec(request.params.msn ?? '');
    if ((variant !== 'main' && variant !== 'proxy') || !match) return notFound();
    const segment = await playout.resolveMsn(channel.id, variant as Variant, Number(match[1]));
    if (!segment) return notFound();
    let size: number;
    try {
      size = (await stat(segment.file)).size;
    } catch {
      return reply
        .code(503)
        .header('retry-after', '1')
        .send({ code: 'unavailable', message: 'Segment not ready.' });
    }
    return (
      reply
        .header('content-type', SEGMENT_TYPE)
        .header('content-length', size)
        // Slate standing in for a missing file or cut is not what the URL means forever.
        .header('cache-control', segment.substituted ? 'no-cache' : SEGMENT_CACHE)
        .send(createReadStream(segment.file))
    );
  });
}
