// Every HTTP route the server registers has a permission in the map, and the map names no route
// that does not exist: walked on a real server with the built renderer mounted.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routePermissions } from '../../src-shared/contract/permissions';
import { createCore, type Core } from '../../src-main/core/create-core';
import { startHttpServer, type RunningServer } from '../../src-main/core/http/http-server';
import { routePermission } from '../../src-main/core/http/route-guard';
import { silentLogger } from '../../src-main/core/logger';
import { makeTempDir } from '../helpers/temp-dir';

const RENDERER = resolve('dist/renderer');

describe('HTTP routes and the permission map', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let core: Core;
  let server: RunningServer;
  const registered: string[] = [];

  beforeAll(async () => {
    if (!existsSync(RENDERER)) throw new Error(`${RENDERER} is missing: run \`npm run build\``);
    dir = makeTempDir();
    core = await createCore({
      dataDir: join(dir.path, 'data'),
      mode: 'headless',
      version: 'test',
      logger: silentLogger,
    });
    server = await startHttpServer({
      core,
      host: '127.0.0.1',
      port: 0,
      rendererDir: RENDERER,
      logger: silentLogger,
      onRoute: (key) => registered.push(key),
    });
  });
  afterAll(async () => {
    await server.close();
    await core.close();
    dir.remove();
  });

  it('gives every registered route a permission', () => {
    expect(registered.length).toBeGreaterThan(10);
    const missing = registered.filter((key) => {
      const [verb, url] = key.split(' ') as [string, string];
      return routePermission(verb, url) === undefined;
    });
    expect(missing).toEqual([]);
  });

  it('lists no route the server does not have', () => {
    const gets = new Set(registered.map((key) => key.replace(/^HEAD /, 'GET ')));
    const stale = Object.keys(routePermissions).filter((key) => !gets.has(key));
    expect(stale).toEqual([]);
  });

  it('refuses to register a route that has no permission', async () => {
    const { default: Fastify } = await import('fastify');
    const { installRouteGuard } = await import('../../src-main/core/http/route-guard');
    const app = Fastify();
    installRouteGuard(app);
    expect(() => app.get('/secret-admin-thing', async () => 'x')).toThrow(/has no permission/);
    await app.close();
  });
});
