// Every HTTP route the server registers has a permission in the map, and the map names no route
// that does not exist: walked on a real server with the built renderer mounted.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routePermissions } from '../../src-shared/contract/permissions';
import { routePermission } from '../../src-main/core/http/route-guard';
import { startServedCore, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';

const RENDERER = resolve('dist/renderer');

describe('HTTP routes and the permission map', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let served: ServedCore;
  const registered: string[] = [];

  beforeAll(async () => {
    if (!existsSync(RENDERER)) throw new Error(`${RENDERER} is missing: run \`npm run build\``);
    dir = makeTempDir();
    served = await startServedCore(dir.path, {
      rendererDir: RENDERER,
      onRoute: (key) => registered.push(key),
    });
  });
  afterAll(async () => {
    await served.close();
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
