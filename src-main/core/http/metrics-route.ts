// `/metrics` in the Prometheus text format, for a station's own Prometheus and Grafana.
//
// Who may scrape: a signed-in person with `metrics.read` (admins), or an integrator API key
// with the `metrics:read` scope sent as `Authorization: Bearer ak_live_…` (Prometheus's
// `authorization` scrape setting). A key, not a dedicated metrics token: keys are already
// stored hashed, shown once, revocable, can expire and are listed with their last use, which
// a shared token in the settings would each have to re-invent. Test keys reach the sandbox, so
// they are refused here (the figures are the live station's).
//
// Names follow the Prometheus conventions: `airdeck_` prefix, base units in the name
// (`_seconds`, `_bytes`), `_total` on counters, and counts of things unitless. Gauges are read
// when scraped (collect), so nothing here runs between scrapes; the two latency histograms
// and the API counter are updated in an onResponse hook (a few additions per request).
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Core } from '../create-core';
import { refuseUnlessAllowed } from './session-auth';

const PLAYLIST_ROUTES: ReadonlySet<string> = new Set([
  '/channels/:slug/index.m3u8',
  '/channels/:slug/main.m3u8',
  '/channels/:slug/proxy.m3u8',
]);
const SEGMENT_ROUTE = '/channels/:slug/:variant/seg/:msn';
const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const DAY_MS = 86_400_000;

function bearerOf(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header?.trim() ?? '');
  return match?.[1];
}

/** The registry with every metric; one per server, so several cores can share a process. */
export function createMetrics(core: Core) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client also exports these sums of the per-type gauges beside them as gauges named
  // `_total`, which Prometheus reserves for counters (promtool refuses them); the per-type
  // gauges (`nodejs_active_handles{type=…}`, …) stay.
  for (const name of [
    'nodejs_active_handles_total',
    'nodejs_active_requests_total',
    'nodejs_active_resources_total',
  ])
    registry.removeSingleMetric(name);
  const { db } = core.context;
  const openGaps = db.prepare<[], { n: number }>(
    'SELECT COUNT(*) AS n FROM recording_gaps WHERE to_at IS NULL',
  );
  const recentGaps = db.prepare<[number], { n: number }>(
    'SELECT COUNT(*) AS n FROM recording_gaps WHERE from_at >= ?',
  );
  const slugs = db.prepare<[], { id: number; slug: string }>('SELECT id, slug FROM channels');

  new Gauge({
    name: 'airdeck_channels_on_air',
    help: 'Channels on air now.',
    registers: [registry],
    collect() {
      this.set(core.playout.onAir().length);
    },
  });
  new Gauge({
    name: 'airdeck_viewers',
    help: 'Players with an open viewing session per channel (a playlist or segment answered within the idle time, 30 s).',
    labelNames: ['channel'],
    registers: [registry],
    collect() {
      this.reset();
      const open = core.audience.openSessions();
      for (const { id, slug } of slugs.all()) this.set({ channel: slug }, open.get(id) ?? 0);
    },
  });
  new Gauge({
    name: 'airdeck_audience_sessions_held',
    help: 'Viewing sessions held in memory (bounded; the least recently active is closed first past the bound).',
    registers: [registry],
    collect() {
      this.set(core.audience.size());
    },
  });
  const playlistSeconds = new Histogram({
    name: 'airdeck_playlist_request_duration_seconds',
    help: 'Time to answer a channel playlist request (master, main or proxy), any status.',
    buckets: LATENCY_BUCKETS_S,
    registers: [registry],
  });
  const segmentSeconds = new Histogram({
    name: 'airdeck_segment_request_duration_seconds',
    help: 'Time to answer a channel segment request, any status.',
    buckets: LATENCY_BUCKETS_S,
    registers: [registry],
  });
  new Gauge({
    name: 'airdeck_ingest_jobs',
    help: 'Ingest jobs by state (queued, running, failed).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const { ingest } = core.monitor.figures();
      this.set({ state: 'queued' }, ingest.queued);
      this.set({ state: 'running' }, ingest.running);
      this.set({ state: 'failed' }, ingest.failed);
    },
  });
  new Gauge({
    name: 'airdeck_recorder_open_gaps',
    help: 'Recorded outside sources in a gap now (no media arriving).',
    registers: [registry],
    collect() {
      this.set(openGaps.get()?.n ?? 0);
    },
  });
  new Gauge({
    name: 'airdeck_recorder_gaps_last_day',
    help: 'Recorder gaps that began in the last 24 hours, all sources.',
    registers: [registry],
    collect() {
      this.set(recentGaps.get(core.context.clock.now() - DAY_MS)?.n ?? 0);
    },
  });
  new Gauge({
    name: 'airdeck_alarms_active',
    help: 'Active alarms by kind and severity.',
    labelNames: ['kind', 'severity'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, { kind: string; severity: string; n: number }>();
      for (const alarm of core.monitor.alarms.active()) {
        const key = `${alarm.kind}\n${alarm.severity}`;
        const entry = counts.get(key) ?? { kind: alarm.kind, severity: alarm.severity, n: 0 };
        entry.n += 1;
        counts.set(key, entry);
      }
      for (const { kind, severity, n } of counts.values()) this.set({ kind, severity }, n);
    },
  });
  const apiRequests = new Counter({
    name: 'airdeck_api_requests_total',
    help: 'Integrator API (/api/v1) requests by key (its visible prefix), key mode and status class.',
    labelNames: ['key', 'mode', 'code'],
    registers: [registry],
  });

  return {
    registry,
    /** Where each answered request is measured (from the server's onResponse hook). */
    observe(
      route: string | undefined,
      elapsedMs: number,
      request: { apiKey?: { key: { prefix: string; mode: string } } },
      status: number,
    ) {
      if (route === SEGMENT_ROUTE) segmentSeconds.observe(elapsedMs / 1000);
      else if (route !== undefined && PLAYLIST_ROUTES.has(route))
        playlistSeconds.observe(elapsedMs / 1000);
      const key = request.apiKey?.key;
      if (key)
        apiRequests.inc({ key: key.prefix, mode: key.mode, code: `${Math.floor(status / 100)}xx` });
    },
  };
}

export function registerMetricsRoute(app: FastifyInstance, core: Core): void {
  const metrics = createMetrics(core);
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observe(request.routeOptions.url, reply.elapsedTime, request, reply.statusCode);
    done();
  });
  app.get('/metrics', async (request, reply) => {
    const secret = bearerOf(request.headers.authorization);
    if (secret?.startsWith('ak_')) {
      const auth = core.apiKeys.authenticate(secret);
      if ('refused' in auth)
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="airdeck"')
          .send({ code: 'unauthorized', message: `This API key is ${auth.refused}.` });
      if (auth.key.mode !== 'live' || !auth.key.scopes.includes('metrics:read'))
        return reply
          .code(403)
          .send({ code: 'forbidden', message: 'A live API key with the metrics:read scope.' });
    } else if (refuseUnlessAllowed(core.people, request, reply, 'metrics.read')) {
      return reply;
    }
    return reply
      .header('content-type', metrics.registry.contentType)
      .header('cache-control', 'no-store')
      .send(await metrics.registry.metrics());
  });
}
