// Public outputs over HTTP: the live TS stream, the M3U channel list, the XMLTV guide and the
// HDHomeRun tuner emulation. No access token (players and media servers cannot send one); a
// station can require `?key=` instead. HDHomeRun clients cannot add a query to the paths they
// ask for, so the tuner is also served under `/k/<key>/`: add `http://host:port/k/<key>` as
// the tuner URL when a key is required.
//
// Viewer subscriptions: `/sub/<key>/playlist.m3u` and `/sub/<key>/xmltv.xml` list only the
// channels of the subscriber's plan, with stream URLs carrying their key; a `sub_` key on
// live.ts (or the HLS routes, playout-routes.ts) is held to the plan whatever the station key.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../logger';
import {
  deviceXml,
  discoverJson,
  lineupStatusJson,
  type DeviceInfo,
  type LineupEntry,
} from './hdhomerun';
import { streamLiveTs, type LiveStreamOptions, type LiveTimeline } from './live-ts';
import { buildM3u } from './m3u';
import type { OutputChannel, OutputProgramme } from './output-types';
import type { SubscriberGate, SubscriberRefusal } from '../subscribers/subscribers-service';
import { buildXmltv, DEFAULT_EPG_HOURS, DEFAULT_EPG_PAST_HOURS } from './xmltv';

const HOUR = 3_600_000;

export type OutputRoutesDeps = {
  /** Every channel, in the station's order. */
  channels(): readonly OutputChannel[];
  /** True while the channel is on air (else its outputs answer 503). */
  onAir(channelId: number): boolean;
  timeline: LiveTimeline;
  programmes(channelId: number, from: number, to: number): readonly OutputProgramme[];
  /** The key public outputs require, or null when they are open. */
  requiredKey(): string | null;
  stationName(): string;
  deviceId: string;
  version: string;
  /**
   * Absolute URL, no trailing slash, that players reach this station at: the configured public
   * base URL, else the listening address. Never the request's Host header.
   */
  baseUrl(): string;
  /** Path of a channel's HLS master playlist (what the M3U lists by default). */
  hlsPath(slug: string): string;
  logger: Logger;
  liveOptions?: LiveStreamOptions;
  /** A live.ts viewer is watching `slug` (called when its stream starts, then while it runs). */
  countViewer?(slug: string, address: string, userAgent: string | undefined): void;
  /** Viewer subscriptions: `sub_` keys are checked here (absent: such keys are unknown). */
  subscribers?: SubscriberGate;
};

/** How often a running live.ts stream reports its viewer: well inside the counter's window. */
export const LIVE_VIEWER_REFRESH_MS = 10_000;

function keyMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ given.charCodeAt(i);
  return diff === 0;
}

function givenKey(request: FastifyRequest): unknown {
  const params = request.params as Record<string, unknown> | undefined;
  return params?.key ?? (request.query as Record<string, unknown> | undefined)?.key;
}

function numberParam(value: unknown, fallback: number, max: number): number | null {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 && n <= max ? n : null;
}

function sendRefusal(reply: FastifyReply, refusal: SubscriberRefusal): FastifyReply {
  void reply.code(refusal.status).header('cache-control', 'no-store');
  if (refusal.retryAfterS !== undefined)
    void reply.header('retry-after', String(refusal.retryAfterS));
  return reply.send({ code: refusal.code, message: refusal.message });
}

const UNKNOWN_SUBSCRIBER: SubscriberRefusal = {
  status: 401,
  code: 'unknown_subscriber',
  message: 'This subscriber key is not known: check the playlist address you were given.',
};

export function registerOutputRoutes(app: FastifyInstance, deps: OutputRoutesDeps): void {
  const gate = deps.subscribers;
  /** Answers 401 and returns true when a key is required and missing or wrong. */
  const refuse = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const key = deps.requiredKey();
    if (key === null || keyMatches(key, givenKey(request))) return false;
    void reply.code(401).header('cache-control', 'no-store').send({
      code: 'unauthorized',
      message: 'This output needs ?key=… (see Settings → Outputs).',
    });
    return true;
  };
  const keyQuery = (): string => {
    const key = deps.requiredKey();
    return key === null ? '' : `?key=${encodeURIComponent(key)}`;
  };
  const baseUrl = (): string => deps.baseUrl().replace(/\/+$/, '');
  const logoUrl = (channel: OutputChannel) =>
    channel.logoUrl && /^https?:\/\//i.test(channel.logoUrl) ? channel.logoUrl : null;
  const enabled = () => deps.channels().filter((c) => c.enabled);
  const liveUrl = (base: string, c: OutputChannel) =>
    `${base}/channels/${encodeURIComponent(c.slug)}/live.ts${keyQuery()}`;

  app.get<{ Params: { slug: string } }>('/channels/:slug/live.ts', async (request, reply) => {
    const given = givenKey(request);
    const bySubscriber = typeof given === 'string' && given.startsWith('sub_');
    if (!bySubscriber && refuse(request, reply)) return reply;
    const channel = deps.channels().find((c) => c.slug === request.params.slug && c.enabled);
    if (!channel) return reply.code(404).send({ code: 'not_found', message: 'No such channel.' });
    if (!deps.onAir(channel.id)) {
      return reply
        .code(503)
        .header('retry-after', '10')
        .header('cache-control', 'no-store')
        .send({ code: 'off_air', message: `${channel.name} is not on air.` });
    }
    // A subscriber's stream counts against their plan's cap until the connection closes.
    let held: ReturnType<SubscriberGate['holdLive']> | null = null;
    if (bySubscriber) {
      held = gate ? gate.holdLive(given, channel.id, channel.name) : UNKNOWN_SUBSCRIBER;
      if ('status' in held) return sendRefusal(reply, held);
    }
    const stream = held;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'video/mp2t',
      'cache-control': 'no-cache, no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    const abort = new AbortController();
    const countViewer = () =>
      deps.countViewer?.(channel.slug, request.ip, request.headers['user-agent']);
    countViewer();
    const viewerTimer = setInterval(countViewer, LIVE_VIEWER_REFRESH_MS);
    viewerTimer.unref();
    const onGone = () => abort.abort();
    raw.on('close', onGone);
    request.raw.on('close', onGone);
    stream?.signal.addEventListener('abort', onGone, { once: true });
    let ended;
    try {
      ended = await streamLiveTs(deps.timeline, channel.id, raw, abort.signal, {
        ...deps.liveOptions,
        ...(stream
          ? {
              // Usage, and the end of the stream once the subscription no longer allows it
              // (revoked or paused already end it through the signal; an end date here).
              onSegment: (segment) => {
                gate?.countServed(stream.subscriberId, segment.durationMs);
                if (!stream.stillAllowed()) abort.abort();
              },
            }
          : {}),
        onSegmentError: (segment, error) =>
          deps.logger.warn(
            `live.ts ${channel.slug}: skipped segment ${segment.msn}: ${error instanceof Error ? error.message : String(error)}`,
          ),
      });
    } finally {
      clearInterval(viewerTimer);
      stream?.signal.removeEventListener('abort', onGone);
      stream?.release();
    }
    raw.off('close', onGone);
    request.raw.off('close', onGone);
    if (ended === 'slow-client') raw.destroy();
    else if (!raw.destroyed) raw.end();
    return reply;
  });

  app.get<{ Querystring: { format?: string } }>('/iptv/channels.m3u', async (request, reply) => {
    if (refuse(request, reply)) return reply;
    const base = baseUrl();
    const asTs = request.query.format === 'ts';
    const entries = enabled().map((channel) => ({
      channel,
      logoUrl: logoUrl(channel),
      url: asTs ? liveUrl(base, channel) : `${base}${deps.hlsPath(channel.slug)}${keyQuery()}`,
    }));
    return reply
      .header('content-type', 'audio/x-mpegurl; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(buildM3u(entries, `${base}/iptv/epg.xml${keyQuery()}`));
  });

  app.get<{ Querystring: { hours?: string; pastHours?: string } }>(
    '/iptv/epg.xml',
    async (request, reply) => {
      if (refuse(request, reply)) return reply;
      const hours = numberParam(request.query.hours, DEFAULT_EPG_HOURS, 14 * 24);
      const pastHours = numberParam(request.query.pastHours, DEFAULT_EPG_PAST_HOURS, 7 * 24);
      if (hours === null || pastHours === null) {
        return reply
          .code(400)
          .send({ code: 'invalid', message: 'hours is 0–336 and pastHours 0–168.' });
      }
      const now = deps.timeline.now();
      const from = now - pastHours * HOUR;
      const to = now + hours * HOUR;
      const channels = enabled().map((channel) => ({
        channel,
        logoUrl: logoUrl(channel),
        programmes: deps.programmes(channel.id, from, to),
      }));
      return reply
        .header('content-type', 'application/xml; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(buildXmltv(channels, deps.stationName(), { from, to }));
    },
  );

  // A subscriber's personal playlist and guide: only their plan's channels.
  const subscriberChannels = (
    request: FastifyRequest<{ Params: { key: string } }>,
    reply: FastifyReply,
  ): OutputChannel[] | null => {
    const access = gate ? gate.access(request.params.key) : UNKNOWN_SUBSCRIBER;
    if ('status' in access) {
      sendRefusal(reply, access);
      return null;
    }
    return enabled().filter((c) => access.channels.has(c.id));
  };
  app.get<{ Params: { key: string }; Querystring: { format?: string } }>(
    '/sub/:key/playlist.m3u',
    async (request, reply) => {
      const channels = subscriberChannels(request, reply);
      if (!channels) return reply;
      const base = baseUrl();
      const key = encodeURIComponent(request.params.key);
      const asTs = request.query.format === 'ts';
      const entries = channels.map((channel) => ({
        channel,
        logoUrl: logoUrl(channel),
        url: `${base}/channels/${encodeURIComponent(channel.slug)}/${asTs ? 'live.ts' : 'index.m3u8'}?key=${key}`,
      }));
      return reply
        .header('content-type', 'audio/x-mpegurl; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(buildM3u(entries, `${base}/sub/${key}/xmltv.xml`));
    },
  );
  app.get<{ Params: { key: string } }>('/sub/:key/xmltv.xml', async (request, reply) => {
    const channels = subscriberChannels(request, reply);
    if (!channels) return reply;
    const now = deps.timeline.now();
    const from = now - DEFAULT_EPG_PAST_HOURS * HOUR;
    const to = now + DEFAULT_EPG_HOURS * HOUR;
    const guide = channels.map((channel) => ({
      channel,
      logoUrl: logoUrl(channel),
      programmes: deps.programmes(channel.id, from, to),
    }));
    return reply
      .header('content-type', 'application/xml; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(buildXmltv(guide, deps.stationName(), { from, to }));
  });

  // HDHomeRun emulation, at the root and under /k/<key>/ (see the note at the top).
  const device = (request: FastifyRequest): DeviceInfo => {
    const params = request.params as Record<string, unknown> | undefined;
    const inPath = typeof params?.key === 'string';
    const base = baseUrl();
    return {
      friendlyName: deps.stationName(),
      deviceId: deps.deviceId,
      baseUrl: inPath ? `${base}/k/${encodeURIComponent(String(params.key))}` : base,
      firmwareVersion: deps.version,
      tunerCount: Math.max(1, enabled().length),
      query: inPath ? '' : keyQuery(),
    };
  };
  for (const prefix of ['', '/k/:key']) {
    app.get(`${prefix}/discover.json`, async (request, reply) => {
      if (refuse(request, reply)) return reply;
      return reply.header('cache-control', 'no-cache').send(discoverJson(device(request)));
    });
    app.get(`${prefix}/lineup_status.json`, async (request, reply) => {
      if (refuse(request, reply)) return reply;
      return reply.header('cache-control', 'no-cache').send(lineupStatusJson());
    });
    app.get(`${prefix}/lineup.json`, async (request, reply) => {
      if (refuse(request, reply)) return reply;
      const base = baseUrl();
      const lineup: LineupEntry[] = enabled().map((c) => ({
        GuideNumber: String(c.number),
        GuideName: c.name,
        URL: liveUrl(base, c),
        HD: 1,
      }));
      return reply.header('cache-control', 'no-cache').send(lineup);
    });
    app.get(`${prefix}/device.xml`, async (request, reply) => {
      if (refuse(request, reply)) return reply;
      return reply
        .header('content-type', 'application/xml; charset=utf-8')
        .send(deviceXml(device(request)));
    });
  }
}
