import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLOSE_UNAUTHORIZED,
  HealthSchema,
  methodNames,
  methods,
  type MethodName,
} from '../../src-shared/contract';
import { createCore, type Core } from '../../src-main/core/create-core';
import { startHttpServer, type RunningServer } from '../../src-main/core/http/http-server';
import { silentLogger } from '../../src-main/core/logger';
import { makeTempDir } from '../helpers/temp-dir';
import { TestWsClient } from '../helpers/ws-client';
import { connectWs, signIn, TEST_ADMIN } from '../helpers/sign-in';

/** Payloads no method accepts, plus per-method ones that break a field rule. */
const invalidForEveryMethod: unknown[] = [42, 'text', [], true, { unexpected: 1 }];
const invalidFor: Partial<Record<MethodName, unknown[]>> = {
  settingsSet: [
    { stationName: 5 },
    { stationName: '' },
    { stationName: 'x'.repeat(500) },
    { timeZone: 'Nowhere/Land' },
    { clockFormat: '25h' },
    { timeZone: null },
  ],
};

describe('serve: the contract over one WebSocket', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let core: Core;
  let server: RunningServer;
  const wsBase = () => `ws://127.0.0.1:${server.port}/api/ws`;
  let cookie: string;
  const connect = () => connectWs(server.url, cookie);

  beforeAll(async () => {
    dir = makeTempDir();
    core = await createCore({
      dataDir: dir.path,
      mode: 'headless',
      version: 'test',
      logger: silentLogger,
    });
    await core.people.ensureAdmin(TEST_ADMIN.username, TEST_ADMIN.password);
    server = await startHttpServer({
      core,
      host: '127.0.0.1',
      port: 0,
      rendererDir: '/nonexistent',
      logger: silentLogger,
    });
    cookie = await signIn(server.url);
  });
  afterAll(async () => {
    await server.close();
    await core.close();
    dir.remove();
  });

  it('answers /healthz without a token', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ ok: true, version: 'test', db: { ok: true } });
    expect(Object.keys(body).sort()).toEqual(['db', 'ffmpeg', 'ok', 'uptimeMs', 'version']);
    expect((body.ffmpeg as { version: string }).version).toMatch(/^\d/);
  });

  for (const given of [undefined, '', 'wrong-session', 'x'.repeat(300), 'valid+x']) {
    it(`refuses every call without a valid session (${given === undefined ? 'none' : JSON.stringify(given.slice(0, 20))})`, async () => {
      const value = given === 'valid+x' ? `${cookie.split('=')[1]}x` : given;
      const client = await TestWsClient.connect(
        wsBase(),
        value === undefined ? {} : { cookie: `airdeck_session=${value}` },
      );
      // Calls sent straight away, before the refusal arrives, must get no answer either.
      const results: unknown[] = [];
      for (const m of methodNames) void client.call(m, {}).then((r) => results.push(r));
      const closed = await client.closed;
      expect(closed.code).toBe(CLOSE_UNAUTHORIZED);
      expect(client.frames[0]).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      // Nothing but the refusal ever comes back: no results, no events.
      expect(client.frames).toHaveLength(1);
      expect(results).toEqual([]);
    });
  }

  it('walks every method with invalid payloads: each gets invalid_request and the core stays up', async () => {
    const client = await connect();
    let checked = 0;
    for (const method of methodNames) {
      for (const payload of [...invalidForEveryMethod, ...(invalidFor[method] ?? [])]) {
        const result = await client.call(method, payload);
        expect(result, `${method} ${JSON.stringify(payload)}`).toMatchObject({
          ok: false,
          error: { code: 'invalid_request' },
        });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(methodNames.length * invalidForEveryMethod.length);
    // After all that the core still answers valid calls.
    const valid: Partial<Record<MethodName, unknown>> = {
      appInfo: {},
      healthGet: {},
      settingsGet: {},
      settingsSet: { stationName: 'Still up' },
    };
    for (const method of Object.keys(valid) as MethodName[]) {
      const result = await client.call(method, valid[method]);
      expect(result.ok, method).toBe(true);
      if (result.ok) expect(methods[method].response.safeParse(result.result).success).toBe(true);
    }
    client.close();
  });

  it('answers malformed frames with invalid_request and keeps the socket open', async () => {
    const client = await connect();
    for (const raw of [
      'not json',
      '{"method":"appInfo"}',
      '{"id":-1,"method":"appInfo"}',
      'null',
      '[1,2]',
    ])
      client.sendRaw(raw);
    client.socket.send(Buffer.from([0xde, 0xad]), { binary: true });
    await client.waitForFrame(
      () => client.frames.filter((f) => f.error?.code === 'invalid_request').length === 6,
    );
    expect((await client.call('nope', {})).ok).toBe(false);
    expect(await client.call('appInfo', {})).toMatchObject({
      ok: true,
      result: { name: 'Airdeck', mode: 'headless' },
    });
    client.close();
  });

  it('closes a socket that sends an oversized frame, and serves the next one', async () => {
    const client = await connect();
    client.sendRaw(
      JSON.stringify({
        id: 1,
        method: 'settingsSet',
        params: { stationName: 'x'.repeat(2 << 20) },
      }),
    );
    expect((await client.closed).code).toBe(1009);
    const next = await connect();
    expect((await next.call('appInfo', {})).ok).toBe(true);
    next.close();
  });

  it('pushes clock ticks on whole seconds and settings changes to every window', async () => {
    const a = await connect();
    const b = await connect();
    const tick = await b.waitForFrame((f) => f.event === 'clockTick');
    const now = (tick.data as { now: number }).now;
    expect(Math.abs(now - Date.now())).toBeLessThan(5000);
    await a.call('settingsSet', { timeZone: 'America/New_York' });
    const changed = await b.waitForFrame((f) => f.event === 'settingsChanged');
    expect(changed.data).toMatchObject({ timeZone: 'America/New_York' });
    const health = await a.call('healthGet', {});
    expect(health.ok && HealthSchema.parse(health.result).connections).toBeGreaterThanOrEqual(2);
    a.close();
    b.close();
  });
});
