import { existsSync } from 'node:fs';
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
import { CONTENT_SECURITY_POLICY } from './content-security-policy';
import { tokenMatches } from './token';
import { registerUploadRoutes } from './upload-routes';
import { registerViewerHits } from './viewer-hits';
import {
  applyServerLimits,
  DEFAULT_SERVER_LIMITS,
  fastifyLimitOptions,
  type ServerLimits,
} from './server-limits';
import { publicHealth } from './public-health';
import { registerCors } from './cors';
import { refuseSocket, runSocketSession } from './websocket-session';

export type HttpServerOptions = {
  core: Core;
  host: string;
  port: number;
  token: string;
  rendererDir: string;
  logger: Logger;
  /** Timeouts and caps; tests shorten them (see server-limits.ts). */
  limits?: Partial<ServerLimits>;
};

export type RunningServer = { host: string; port: number; url: string; close(): Promise<void> };

/** The headless face of the core: the renderer, the contract over one WebSocket, and /healthz. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const { core, token, logger } = options;
  // Closing ends every connection, streams included: a live.ts viewer or a push output's
  // reader must not keep a stopping server alive.
  const limits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const app = Fastify({
    logger: false,
    bodyLimit: 1 << 20,
    forceCloseConnections: true,
    ...fastifyLimitOptions(limits),
  });
  applyServerLimits(app.server, limits);

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

  app.get(WS_PATH, { websocket: true }, (socket, request) => {
    const query = request.query as Record<string, unknown>;
    if (!tokenMatches(token, query.token)) {
      refuseSocket(socket);
      return;
    }
    runSocketSession(socket, core);
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      reply.header('cache-control', 'no-cache');
    }
    return payload;
  });

  registerViewerHits(app, core.monitor.countViewer);
  registerMediaRoutes(app, { core, token });
  registerPlayoutRoutes(app, { core });
  registerOutputs(app, core);
  await registerUploadRoutes(app, { core, token });

  if (existsSync(options.rendererDir)) {
    await app.register(fastifyStatic, { root: options.rendererDir, index: ['index.html'] });
  } else {
    logger.warn(`renderer not built at ${options.rendererDir}; run \`npm run build\``);
  }

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    host: options.host,
    port: address.port,
    url: `http://${hostForUrl}:${address.port}/`,
    close: () => app.close(),
  };
}
