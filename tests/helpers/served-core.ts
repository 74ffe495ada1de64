// A real core published on a real HTTP server on a free loopback port (what a channel's
// detector and a push read from), with a typed `call` that throws on an error answer.
import { join } from 'node:path';
import type { MethodName, Request, Response } from '../../src-shared/contract';
import { createCore, type Core, type CoreOptions } from '../../src-main/core/create-core';
import {
  startHttpServer,
  type HttpServerOptions,
  type RunningServer,
} from '../../src-main/core/http/http-server';
import { silentLogger } from '../../src-main/core/logger';
import { createSandbox } from '../../src-main/core/demo/sandbox';
import { connectWs, signIn, TEST_ADMIN } from './sign-in';
import type { TestWsClient } from './ws-client';

export type ServedCore = {
  core: Core;
  server: RunningServer;
  call<M extends MethodName>(method: M, params: Request<M>): Promise<Response<M>>;
  /** A session cookie for a person (the test admin unless named). */
  signIn(username?: string, password?: string): Promise<string>;
  /** A signed-in socket, as a browser window has (the test admin unless a cookie is given). */
  connect(cookie?: string): Promise<TestWsClient>;
  /** The core first: its children are clients of the server. */
  close(): Promise<void>;
};

/** A core on a real server with one admin account (TEST_ADMIN). */
export async function startServedCore(
  dir: string,
  options: Partial<
    Pick<HttpServerOptions, 'limits' | 'tls' | 'rendererDir' | 'onRoute' | 'publicHosts'>
  > & {
    /** Core timings a test shortens (recorder, desk statistics, audience), or its clock. */
    core?: Pick<CoreOptions, 'recorder' | 'notes' | 'audience' | 'clock' | 'monitorChannels'>;
    /** Runs a sandbox station for test API keys, seeded by this (a demo is too slow here). */
    sandboxSeed?: (sandbox: Core) => Promise<void>;
  } = {},
): Promise<ServedCore> {
  const { core: coreOptions, sandboxSeed, ...serverOptions } = options;
  const core = await createCore({
    dataDir: join(dir, 'data'),
    mode: 'headless',
    version: 'test',
    logger: silentLogger,
    ...coreOptions,
  });
  await core.people.ensureAdmin(TEST_ADMIN.username, TEST_ADMIN.password);
  const sandbox = sandboxSeed
    ? createSandbox({
        dataDir: join(dir, 'data', 'sandbox'),
        version: 'test',
        logger: silentLogger,
        seed: sandboxSeed,
      })
    : null;
  const server = await startHttpServer({
    core,
    host: '127.0.0.1',
    port: 0,
    rendererDir: join(dir, 'none'),
    logger: silentLogger,
    ...(sandbox ? { sandbox: () => sandbox.get() } : {}),
    ...serverOptions,
  });
  core.publishHttpEndpoint({ baseUrl: server.url, token: null });
  return {
    core,
    server,
    async call(method, params) {
      const result = await core.dispatch(method, params);
      if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
      return result.result as Response<typeof method>;
    },
    signIn: (username, password) => signIn(server.url, username, password),
    async connect(cookie) {
      return connectWs(server.url, cookie ?? (await signIn(server.url)));
    },
    async close() {
      await sandbox?.close();
      await core.close();
      await server.close();
    },
  };
}

/** Polls `check` every 50 ms until it gives a value (not undefined or false). */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 90_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
