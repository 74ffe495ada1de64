import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HouseProfile } from '../../../src-shared/contract';
import {
  renderMasterPlaylist,
  renderMediaPlaylist,
  type PlannedSegment,
} from '../../../src-shared/playout';
import type { Core } from '../create-core';
import type { SubscriberRefusal } from '../subscribers/subscribers-service';
import type { Variant } from './media-tables';
import { noteServedMedia } from '../http/viewer-hits';

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';
const SEGMENT_TYPE = 'video/mp2t';
/** Playlists change every segment: a cache may keep one for at most a second. */
const PLAYLIST_CACHE = 'no-cache, max-age=1';
/** A segment URL names the same bytes forever (its media sequence number is derived). */
const SEGMENT_CACHE = 'public, max-age=86400, immutable';
const SUBSCRIBER_SEGMENT_CACHE = 'private, max-age=86400, immutable';
const RETRY_AFTER_S = 10;
/** The session id a subscriber's master playlist hands out (8 random bytes, hex). */
const SESSION_ID = /^[0-9a-f]{16}$/;
/** Level 3.1 High covers 720p25 (what libx264 picks for it); 3.0 covers the proxy. */
const MAIN_CODECS = 'avc1.64001f,mp4a.40.2';
const PROXY_CODECS = 'avc1.64001e,mp4a.40.2';

type Params = { slug: string; variant?: string; msn?: string };
type ChannelRow = NonNullable<ReturnType<Core['playout']['channelBySlug']>>;

/**
 * Public outputs: `/channels/<slug>/index.m3u8` (master), `main.m3u8`, `proxy.m3u8` and the
 * segments they name. No token (they are public); a station may require `?key=`. Every answer
 * is computed from the clock and the database, so any number of origins agree.
 */
export function registerPlayoutRoutes(app: FastifyInstance, options: { core: Core }): void {
  const { core } = options;
  const playout = core.playout;
  const { restamper } = playout;

  const gate = core.subscribers;

  /**
   * The channel to answer for, or null once the reply has been sent (401, 403, 404, 429, 503).
   * With a subscriber key (`?key=sub_…`) the plan decides instead of the station's key: the
   * channel must be in the package and, for a media playlist or a segment, the session must be
   * one of the streams the plan allows at once (subscribers/stream-sessions.ts). The master
   * playlist hands out the session id its variant URLs carry.
   */
  function channelFor(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    use: 'master' | 'media',
  ): { channel: ChannelRow; subscriber: { id: number | null; suffix: string } | null } | null {
    const query = request.query as Record<string, unknown> | undefined;
    const given = query?.key;
    const bySubscriber = gate.isSubscriberKey(given);
    if (!bySubscriber && !playout.outputs.allows(given)) {
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
    let subscriber: { id: number | null; suffix: string } | null = null;
    if (bySubscriber) {
      const keyPart = `?key=${encodeURIComponent(given)}`;
      if (use === 'master') {
        const opened = gate.openHls(given, channel.id, channel.name);
        if ('status' in opened) return refuseSubscriber(reply, opened);
        subscriber = { id: null, suffix: `${keyPart}&s=${opened.session}` };
      } else {
        const s = typeof query?.s === 'string' && SESSION_ID.test(query.s) ? query.s : null;
        const session = s
          ? `${s}|${request.ip}`
          : `${request.ip}|${request.headers['user-agent'] ?? ''}`;
        const touched = gate.touchHls(given, channel.id, channel.name, session);
        if ('status' in touched) return refuseSubscriber(reply, touched);
        subscriber = { id: touched.subscriberId, suffix: s ? `${keyPart}&s=${s}` : keyPart };
      }
    }
    if (!playout.isOnAir(channel.id)) {
      void reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_S))
        .header('cache-control', 'no-store')
        .send({ code: 'unavailable', message: `Channel ${channel.slug} is off air.` });
      return null;
    }
    return { channel, subscriber };
  }

  function refuseSubscriber(reply: FastifyReply, refusal: SubscriberRefusal): null {
    void reply.code(refusal.status).header('cache-control', 'no-store');
    if (refusal.retryAfterS !== undefined)
      void reply.header('retry-after', String(refusal.retryAfterS));
    void reply.send({ code: refusal.code, message: refusal.message });
    return null;
  }

  const keySuffix = () => {
    const { requireKey, key } = playout.outputs.get();
    return requireKey ? `?key=${encodeURIComponent(key)}` : '';
  };

  /*
   * Playlist text is kept until what it is made of changes: the master until the house
   * profile or the output key changes, a media playlist while the engine hands back the same
   * window array (it keeps one per channel until the next segment starts or an event drops
   * it). Settings are read from the database on every get(), so they are read once here and
   * dropped on their events.
   */
  let playlistInputs: { profile: HouseProfile; suffix: string } | null = null;
  let master: string | null = null;
  const rendered = new Map<string, { window: readonly PlannedSegment[]; body: string }>();
  const forgetPlaylists = () => {
    playlistInputs = null;
    master = null;
    rendered.clear();
  };
  const offs = [
    core.bus.on('settingsChanged', forgetPlaylists),
    core.bus.on('outputsSettingsChanged', forgetPlaylists),
    // An asset published (or not any more), a public base URL set or cleared.
    core.bus.on('publishingChanged', forgetPlaylists),
    core.bus.on('storageLocationsChanged', forgetPlaylists),
  ];
  app.addHook('onClose', async () => {
    for (const off of offs.splice(0)) off();
  });
  const inputs = () =>
    (playlistInputs ??= { profile: core.settings.get().houseProfile, suffix: keySuffix() });

  app.get<{ Params: Params }>('/channels/:slug/index.m3u8', async (request, reply) => {
    const found = channelFor(request, reply, 'master');
    if (!found) return reply;
    // A subscriber's master names their own session, so it is made for them (and not cached).
    const body = found.subscriber
      ? renderMaster(found.subscriber.suffix)
      : (master ??= renderMaster());
    return reply
      .header('content-type', PLAYLIST_TYPE)
      .header('cache-control', found.subscriber ? 'no-store' : PLAYLIST_CACHE)
      .send(body);
  });

  function renderMaster(subscriberSuffix?: string): string {
    const { profile } = inputs();
    const suffix = subscriberSuffix ?? inputs().suffix;
    return renderMasterPlaylist([
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
  }

  for (const variant of ['main', 'proxy'] as const) {
    app.get<{ Params: Params }>(`/channels/:slug/${variant}.m3u8`, async (request, reply) => {
      const found = channelFor(request, reply, 'media');
      if (!found) return reply;
      const { channel, subscriber } = found;
      const window = playout.window(channel.id);
      if (window.length === 0) {
        // Just started: the first segment begins at the next boundary, at most one away.
        return reply
          .code(503)
          .header('retry-after', '1')
          .header('cache-control', 'no-store')
          .send({ code: 'unavailable', message: 'Nothing on air yet.' });
      }
      const key = `${channel.id}:${variant}`;
      // A subscriber's segment URLs carry their key and session: made per request, not kept.
      let body =
        subscriber === null && rendered.get(key)?.window === window
          ? rendered.get(key)?.body
          : undefined;
      if (body === undefined) {
        const { profile } = inputs();
        const suffix = subscriber?.suffix ?? inputs().suffix;
        // A whole asset segment published under a public base URL is fetched from there (its
        // bytes are the object's exactly); slate and cuts are Airdeck's own (storage/publisher.ts).
        // The proxy stays Airdeck's: the monitor's ffmpeg reads it and needs restamped segments.
        body = renderMediaPlaylist(
          window,
          (s) =>
            (variant === 'main' && s.source.kind === 'asset' && s.source.cut === null
              ? core.publishing.segmentUrl(s.source.assetId, variant, s.source.seq)
              : null) ?? `${variant}/seg/${s.msn}.ts${suffix}`,
          profile.segmentSeconds,
        );
        if (subscriber === null) rendered.set(key, { window, body });
      }
      return reply
        .header('content-type', PLAYLIST_TYPE)
        .header('cache-control', subscriber ? 'no-store' : PLAYLIST_CACHE)
        .send(body);
    });
  }

  app.get<{ Params: Params }>('/channels/:slug/:variant/seg/:msn', async (request, reply) => {
    const found = channelFor(request, reply, 'media');
    if (!found) return reply;
    const { channel, subscriber } = found;
    const notFound = () => reply.code(404).send({ code: 'not_found', message: 'No such segment.' });
    const variant = request.params.variant;
    const match = /^(\d{1,15})\.ts$/.exec(request.params.msn ?? '');
    if ((variant !== 'main' && variant !== 'proxy') || !match) return notFound();
    const segment = await playout.resolveMsn(channel.id, variant as Variant, Number(match[1]));
    if (!segment) return notFound();
    // Restamped onto the channel's clock (see segment-restamp): the seam with the segment
    // planned before this one is part of what this URL means, so it is looked up too (without
    // waiting for a cut: a slate stand-in for it only moves where this one's audio starts).
    const previous =
      segment.msn > 0
        ? await playout.resolveMsn(channel.id, variant as Variant, segment.msn - 1, 0)
        : undefined;
    let body: Buffer;
    try {
      body = await restamper.bytes(
        { path: segment.file, startsAt: segment.startsAt, durationMs: segment.durationMs },
        previous
          ? { path: previous.file, startsAt: previous.startsAt, durationMs: previous.durationMs }
          : null,
      );
    } catch {
      return reply
        .code(503)
        .header('retry-after', '1')
        .send({ code: 'unavailable', message: 'Segment not ready.' });
    }
    if (subscriber?.id != null) gate.countServed(subscriber.id, segment.durationMs);
    noteServedMedia(request, segment.durationMs);
    return (
      reply
        .header('content-type', SEGMENT_TYPE)
        .header('content-length', body.length)
        // Slate standing in for a missing file or cut is not what the URL means forever; a
        // subscriber's copy is theirs (their key is in the URL), not a shared cache's.
        .header(
          'cache-control',
          segment.substituted ? 'no-cache' : subscriber ? SUBSCRIBER_SEGMENT_CACHE : SEGMENT_CACHE,
        )
        .send(body)
    );
  });
}
