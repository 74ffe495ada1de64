import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import { WS_PATH } from '../../../src-shared/contract';
import type { Core } from '../create-core';
import type { Logger } from '../logger';
import { registerMediaRoutes } from './media-routes';
import { registerPlayoutRoutes } from '../playout';
import { registerOutputs } from '../outputs';
import { registerRecordingRoutes } from '../recorder';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';
import fastifyCookie from '@fastify/cookie';
import { registerAuthRoutes } from './auth-routes';
import { installRouteGuard } from './route-guard';
import {
  callerMeta,
  cookieSecret,
  hostAllowed,
  loopbackHosts,
  originAllowed,
} from './session-auth';
import { registerUploadRoutes } from './upload-routes';
import { registerViewerHits } from './viewer-hits';
import { registerMetricsRoute } from './metrics-route';
import {
  applyServerLimits,
  DEFAULT_SERVER_LIMITS,
  fastifyLimitOptions,
  type ServerLimits,
} from './server-limits';
import { publicHealth } from './public-health';
import { registerCors } from './cors';
import { refuseSocket, runSocketSession } from './websocket-session';
import { registerApiV1 } from './api-v1/api-v1';

export type HttpServerOptions = {
  core: Core;
  host: string;
  port: number;
  rendererDir: string;
  logger: Logger;
  /** Timeouts and caps; tests shorten them (see server-limits.ts). */
  limits?: Partial<ServerLimits>;
  /** TLS key and certificate (PEM); cookies are then Secure. */
  tls?: { key: Buffer; cert: Buffer } | null;
  /**
   * Addresses of reverse proxies whose X-Forwarded-* headers are believed (fastify's
   * trustProxy). A proxy terminating TLS makes cookies Secure.
   */
  trustedProxies?: string[];
  /** Host names (host:port) pages may reach us by beyond loopback, e.g. the public URL's. */
  publicHosts?: string[];
  /** The one-time first-run code `serve` printed; null when an admin exists or none is needed. */
  setupCode?: () => string | null;
  /**
   * The sandbox station test API keys reach (started on first use, on its own data folder);
   * absent: test keys are answered 503.
   */
  sandbox?: () => Promise<Core | null>;
  /** Told every route registered (the permission-map test walks them). */
  onRoute?: (key: string) => void;
};

export type RunningServer = { host: string; port: number; url: string; close(): Promise<void> };

/** The headless face of the core: the renderer, the contract over one WebSocket, and /healthz. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const { core, logger } = options;
  const proxies = options.trustedProxies ?? [];
  const secure = Boolean(options.tls) || proxies.length > 0;
  // Closing ends every connection, streams included: a live.ts viewer or a push output's
  // reader must not keep a stopping server alive.
  const limits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const app = Fastify({
    logger: false,
    bodyLimit: 1 << 20,
    forceCloseConnections: true,
    ...fastifyLimitOptions(limits),
    ...(options.tls ? { https: options.tls } : {}),
    ...(proxies.length > 0 ? { trustProxy: proxies } : {}),
  });
  applyServerLimits(app.server, limits);
  installRouteGuard(app, options.onRoute);
  await app.register(fastifyCookie);
  // Filled in once listening (port 0 takes a free one): loopback names with the real port.
  const allowedHosts = new Set<string>();
  const isLoopback = ['127.0.0.1', 'localhost', '::1'].includes(options.host);
  const auth = {
    people: core.people,
    secure,
    allowedHosts: isLoopback || options.publicHosts?.length ? allowedHosts : null,
  };

  await registerCors(app);
  await app.register(fastifyWebsocket, {
    options: { maxPayload: 1 << 20 },
    // Going away (1001) tells clients the server is restarting, so they reconnect quietly.
    preClose(done) {
      for (const client of this.websocketServer.clients) client.close(1001, 'server shutting down');
      this.websocketServer.close(() => done());
    },
  });

  // Anyone may ask: status flags only, never a path on this machine.
  app.get('/healthz', async (_request, reply) => {
    const health = publicHealth(core.health.snapshot());
    return reply
      .code(health.ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(health);
  });

  // The upgrade is checked before any frame: the Host (DNS rebinding), the Origin (another
  // site's page) and the session cookie.
  app.get(WS_PATH, { websocket: true }, (socket, request) => {
    if (!hostAllowed(request, auth.allowedHosts) || !originAllowed(request, secure)) {
      socket.close(1008, 'origin or host not allowed');
      return;
    }
    const secret = cookieSecret(request);
    const principal = core.people.authenticate(secret);
    if (!secret || !principal) {
      refuseSocket(socket);
      return;
    }
    runSocketSession(socket, core, { secret, principal, meta: callerMeta(request) });
  });
  registerAuthRoutes(app, { ...auth, setupCode: options.setupCode ?? (() => null) });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      reply.header('cache-control', 'no-cache');
    }
    return payload;
  });

  // Before the routes it measures (its hook must reach /api/v1's plugin too).
  registerMetricsRoute(app, core);
  registerViewerHits(app, (hit) => {
    core.monitor.countViewer(hit.slug, hit.address, hit.userAgent);
    core.audience.hit(hit.slug, hit.identity, hit.mediaMs);
  });
  registerMediaRoutes(app, { core });
  registerPlayoutRoutes(app, { core });
  registerOutputs(app, core);
  registerRecordingRoutes(app, {
    people: core.people,
    recorder: core.recorder,
    reviewDir: join(core.context.dataDir, 'review'),
  });
  await registerUploadRoutes(app, { core });
  await registerApiV1(app, { live: core, sandbox: options.sandbox ?? (async () => null) });

  if (existsSync(options.rendererDir)) {
    await app.register(fastifyStatic, { root: options.rendererDir, index: ['index.html'] });
  } else {
    logger.warn(`renderer not built at ${options.rendererDir}; run \`npm run build\``);
  }

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  for (const host of loopbackHosts(address.port)) allowedHosts.add(host);
  allowedHosts.add(`${hostForUrl}:${address.port}`.toLowerCase());
  for (const host of options.publicHosts ?? []) allowedHosts.add(host.toLowerCase());
  return {
    host: options.host,
    port: address.port,
    url: `${options.tls ? 'https' : 'http'}://${hostForUrl}:${address.port}/`,
    close: () => app.close(),
  };
}
