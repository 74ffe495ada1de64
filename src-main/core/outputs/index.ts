// Public outputs built on the playout timeline: live TS, M3U, XMLTV, HDHomeRun; push outputs.
import type { FastifyInstance } from 'fastify';
import type { Core } from '../create-core';
import { loadOrCreateDeviceId } from './hdhomerun';
import { viewerIdentity } from '../http/viewer-hits';
import {
  LIVE_VIEWER_REFRESH_MS,
  registerOutputRoutes,
  type OutputRoutesDeps,
} from './output-routes';
import type { OutputChannel } from './output-types';
import { listeningBaseUrl } from './public-base-url';

export { registerOutputRoutes } from './output-routes';
export type { OutputRoutesDeps } from './output-routes';
export { streamLiveTs } from './live-ts';
export type { LiveSegment, LiveTimeline, LiveStreamEnd, LiveStreamOptions } from './live-ts';
export { createSegmentRestamper, frameTicksOf } from './segment-restamp';
export type { SegmentRestamper } from './segment-restamp';
export { buildPushArgs, createPushOutputs, pushFormat } from './push-outputs';
export type { PushConfig, PushOutputs, PushStatus } from './push-outputs';

type ChannelRow = {
  id: number;
  slug: string;
  name: string;
  number: number;
  group_name: string | null;
  logo_path: string | null;
  enabled: number;
};

/** Playout and the channel list adapted to what the output routes need. */
export function outputDepsFromCore(core: Core, listening: () => string): OutputRoutesDeps {
  const { db, clock, logger, dataDir } = core.context;
  // Playout's channel rows lack number, group and logo, which the M3U and guide show.
  const channels = db.prepare<[], ChannelRow>(
    'SELECT id, slug, name, number, group_name, logo_path, enabled FROM channels ORDER BY sort_order, number',
  );
  const toChannel = (r: ChannelRow): OutputChannel => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    number: r.number,
    group: r.group_name,
    logoUrl: r.logo_path,
    enabled: r.enabled === 1,
  });
  const { playout } = core;
  return {
    channels: () => channels.all().map(toChannel),
    onAir: (channelId) => playout.isOnAir(channelId),
    timeline: {
      restamper: playout.restamper,
      now: () => clock.now(),
      onAir: (channelId) => playout.isOnAir(channelId),
      segments: async (channelId, from, to) =>
        (await playout.segments(channelId, 'main', from, to)).map((s) => ({
          msn: s.msn,
          startsAt: s.startsAt,
          durationMs: s.durationMs,
          path: s.file,
        })),
    },
    programmes: (channelId, from, to) => playout.programmes(channelId, from, to),
    requiredKey: () => {
      const { requireKey, key } = playout.outputs.get();
      return requireKey ? key : null;
    },
    stationName: () => core.settings.get().stationName,
    deviceId: loadOrCreateDeviceId(dataDir),
    version: core.info.version,
    baseUrl: () => core.publicBaseUrl() ?? listening(),
    hlsPath: (slug) => `/channels/${encodeURIComponent(slug)}/index.m3u8`,
    subscribers: core.subscribers,
    countViewer: (slug, address, userAgent) => {
      core.monitor.countViewer(slug, address, userAgent);
      // A stream reports at its start and every refresh while it runs: each report stands for
      // the refresh period after it (a stream ending inside one is counted to its end).
      core.audience.hit(
        slug,
        viewerIdentity(undefined, address, userAgent),
        LIVE_VIEWER_REFRESH_MS,
      );
    },
    logger,
  };
}

/** Registers every public output route on the core's HTTP server. */
export function registerOutputs(app: FastifyInstance, core: Core): void {
  registerOutputRoutes(
    app,
    outputDepsFromCore(core, () => listeningBaseUrl(app.server.address())),
  );
}
