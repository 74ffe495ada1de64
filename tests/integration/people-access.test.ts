// People over the real server: sign-in, the permission map as each role sees it, event
// filtering, revocation, the audit log, and the guards around sign-in and the socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import WebSocket from 'ws';
import {
  CLOSE_UNAUTHORIZED,
  methodNames,
  roles,
  type MethodName,
  type Role,
} from '../../src-shared/contract';
import { methodPermissions, rolePermissions } from '../../src-shared/contract/permissions';
import { makeTempDir } from '../helpers/temp-dir';
import { startServedCore, type ServedCore } from '../helpers/served-core';
import { connectWs, signIn } from '../helpers/sign-in';
import type { TestWsClient } from '../helpers/ws-client';

const PASSWORD = 'a-long-test-password';

/** Methods that end or change the caller's own session: walked separately. */
const SESSION_METHODS = new Set<MethodName>([
  'authSignOut',
  'authSignIn',
  'authSetup',
  'sessionRevoke',
  'passwordChange',
  'totpBegin',
  'totpConfirm',
  'totpDisable',
]);

describe('people: accounts, roles and the permission map over the real server', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let served: ServedCore;
  let admin: TestWsClient;
  const sockets: TestWsClient[] = [];

  const ok = async <T>(client: TestWsClient, method: string, params: unknown): Promise<T> => {
    const result = await client.call(method, params);
    if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
    return result.result as T;
  };
  const person = async (username: string, role: Role, scope = {}) =>
    ok<{ id: number }>(admin, 'personCreate', {
      username,
      displayName: `${role} ${username}`,
      password: PASSWORD,
      role,
      scope,
    });
  const socketFor = async (username: string) => {
    const client = await connectWs(
      served.server.url,
      await signIn(served.server.url, username, PASSWORD),
    );
    sockets.push(client);
    return client;
  };

  beforeAll(async () => {
    dir = makeTempDir();
    served = await startServedCore(dir.path);
    admin = await served.connect();
    sockets.push(admin);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await served.close();
    dir.remove();
  });

  // Generated from the map: every method, as every role, is refused exactly where the map says.
  for (const role of roles) {
    it(`as ${role}: every method is forbidden exactly where the map says`, async () => {
      await person(`walk-${role}`, role);
      const client = await socketFor(`walk-${role}`);
      const mismatches: string[] = [];
      for (const method of methodNames) {
        if (SESSION_METHODS.has(method)) continue;
        const allowed = (rolePermissions[role] as readonly string[]).includes(
          methodPermissions[method],
        );
        const result = await client.call(method, {});
        const forbidden = !result.ok && result.error.code === 'forbidden';
        if (forbidden === allowed && methodPermissions[method] !== 'public')
          mismatches.push(
            `${method}: ${allowed ? 'allowed' : 'forbidden'} by the map, got ${JSON.stringify(result).slice(0, 120)}`,
          );
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('sends a window only the events its person may see', async () => {
    await person('eve-viewer', 'viewer');
    const viewer = await socketFor('eve-viewer');
    await ok(admin, 'settingsSet', { stationName: 'Harbour One' });
    // The admin sees the change and its audit entry; the viewer the change only.
    await admin.waitForFrame((f) => f.event === 'auditAppended');
    await viewer.waitForFrame((f) => f.event === 'settingsChanged');
    await ok(admin, 'pushOutputsList', {});
    await new Promise((r) => setTimeout(r, 300));
    expect(viewer.frames.some((f) => f.event === 'auditAppended')).toBe(false);
    expect(viewer.frames.some((f) => f.event === 'pushOutputsChanged')).toBe(false);
  });

  it('attributes every change in the audit log, hides secrets, and exports it', async () => {
    await ok(admin, 'settingsSet', { stationName: 'Audited TV' });
    await person('audit-target', 'editor');
    const { entries } = await ok<{
      entries: {
        action: string;
        personName: string;
        target: string;
        result: string;
        address: string;
      }[];
    }>(admin, 'auditList', { filter: {} });
    const rename = entries.find(
      (e) => e.action === 'settingsSet' && e.target.includes('Audited TV'),
    );
    expect(rename).toMatchObject({
      personName: 'Administrator',
      result: 'ok',
      address: '127.0.0.1',
    });
    const created = entries.find(
      (e) => e.action === 'personCreate' && e.target.includes('audit-target'),
    );
    expect(created?.target).toContain('password=(hidden)');
    expect(JSON.stringify(entries)).not.toContain(PASSWORD);
    // A refused attempt is in the log too.
    const viewer = await socketFor('eve-viewer');
    expect((await viewer.call('settingsSet', { stationName: 'Nope' })).ok).toBe(false);
    const denied = await ok<{ entries: { personName: string }[] }>(admin, 'auditList', {
      filter: { result: 'denied', action: 'settingsSet' },
    });
    expect(denied.entries[0]?.personName).toBe('viewer eve-viewer');
    const exported = await ok<{ csv: string; filename: string }>(admin, 'auditExport', {
      filter: {},
    });
    expect(exported.filename).toMatch(/^airdeck-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(exported.csv.split('\r\n')[0]).toContain('person,action,target,result');
    expect(exported.csv).toContain('Audited TV');
  });

  it('never removes, disables or demotes the last admin', async () => {
    const { people } = await ok<{ people: { id: number; role: string; username: string }[] }>(
      admin,
      'peopleList',
      {},
    );
    const me = people.find((p) => p.username === 'admin')!;
    // The role walk made a second admin: with two, one may step down.
    const other = people.find((p) => p.username === 'walk-admin')!;
    await ok(admin, 'personUpdate', { id: other.id, role: 'viewer' });
    for (const [method, params] of [
      ['personDelete', { id: me.id }],
      ['personUpdate', { id: me.id, role: 'viewer' }],
      ['personUpdate', { id: me.id, disabled: true }],
    ] as const) {
      const result = await admin.call(method, params);
      expect(result, method).toMatchObject({ ok: false, error: { code: 'conflict' } });
    }
  });

  it('revoking a session closes its window at once; disabling a person closes all of theirs', async () => {
    const { id } = await person('rita-editor', 'editor');
    const editor = await socketFor('rita-editor');
    const { sessions } = await ok<{ sessions: { id: number }[] }>(admin, 'sessionsList', {
      personId: id,
    });
    expect(sessions).toHaveLength(1);
    const started = Date.now();
    await ok(admin, 'sessionRevoke', { id: sessions[0]!.id });
    expect((await editor.closed).code).toBe(CLOSE_UNAUTHORIZED);
    expect(Date.now() - started).toBeLessThan(1000);

    const again = await socketFor('rita-editor');
    await ok(admin, 'personUpdate', { id, disabled: true });
    expect((await again.closed).code).toBe(CLOSE_UNAUTHORIZED);
    await expect(signIn(served.server.url, 'rita-editor', PASSWORD)).rejects.toThrow(/401/);
  });

  it('limits failed sign-ins per account with 429 and Retry-After, even for the right password', async () => {
    await person('lock-me', 'viewer');
    const attempt = (password: string) =>
      fetch(new URL('/api/auth/sign-in', served.server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'lock-me', password }),
      });
    for (let i = 0; i < 5; i += 1) expect((await attempt('wrong-password!')).status).toBe(401);
    const limited = await attempt(PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { message: string }).message).toMatch(
      /Try again in \d+ seconds/,
    );
    // Other accounts from the same address still sign in.
    await expect(signIn(served.server.url)).resolves.toMatch(/^airdeck_session=/);
  });

  it('counts attempts sent at once: 50 parallel guesses check at most 5 passwords', async () => {
    await person('burst-me', 'viewer');
    const attempts = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(new URL('/api/auth/sign-in', served.server.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'burst-me', password: 'a-wrong-guess!' }),
        }).then((r) => r.status),
      ),
    );
    expect(attempts.filter((status) => status === 401)).toHaveLength(5);
    expect(attempts.filter((status) => status === 429)).toHaveLength(45);
    // One audit row per checked guess, not one per refusal.
    const { entries } = await ok<{ entries: { target: string }[] }>(admin, 'auditList', {
      filter: { action: 'authSignIn', text: 'burst-me' },
    });
    expect(entries).toHaveLength(5);
  });

  it('refuses a socket from another site or reached through a foreign Host name', async () => {
    const cookie = await signIn(served.server.url);
    const url = `ws://127.0.0.1:${served.server.port}/api/ws`;
    const open = (headers: Record<string, string>) =>
      new Promise<{ code: number; frames: number }>((resolve) => {
        const socket = new WebSocket(url, { headers: { cookie, ...headers } });
        let frames = 0;
        socket.on('message', () => (frames += 1));
        socket.on('close', (code) => resolve({ code, frames }));
        socket.on('open', () => setTimeout(() => socket.close(1000), 1500));
      });
    expect(await open({ origin: 'http://evil.example' })).toEqual({ code: 1008, frames: 0 });
    expect(await open({ host: `evil.example:${served.server.port}` })).toEqual({
      code: 1008,
      frames: 0,
    });
    // Our own page's origin, and the desktop page, are fine (they get clock ticks).
    expect(
      (await open({ origin: `http://127.0.0.1:${served.server.port}` })).frames,
    ).toBeGreaterThan(0);
    expect((await open({ origin: 'app://airdeck' })).frames).toBeGreaterThan(0);
  });

  it('asks for the second factor once a person turns it on', async () => {
    await person('tara-totp', 'operator');
    const client = await socketFor('tara-totp');
    const { secret } = await ok<{ secret: string }>(client, 'totpBegin', {});
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
    expect((await client.call('totpConfirm', { code: '000000' })).ok).toBe(false);
    await ok(client, 'totpConfirm', { code: totp.generate() });
    await expect(signIn(served.server.url, 'tara-totp', PASSWORD)).rejects.toThrow(/6-digit/);
    const response = await fetch(new URL('/api/auth/sign-in', served.server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'tara-totp', password: PASSWORD, totp: totp.generate() }),
    });
    expect(response.status).toBe(200);
  });

  it('changing one’s password ends one’s other sessions and keeps this one', async () => {
    await person('pat-change', 'scheduler');
    const here = await socketFor('pat-change');
    const there = await socketFor('pat-change');
    await ok(here, 'passwordChange', { current: PASSWORD, next: 'a-brand-new-password' });
    expect((await there.closed).code).toBe(CLOSE_UNAUTHORIZED);
    expect((await here.call('appInfo', {})).ok).toBe(true);
    await expect(signIn(served.server.url, 'pat-change', 'a-brand-new-password')).resolves.toMatch(
      /^airdeck_session=/,
    );
  });
});
