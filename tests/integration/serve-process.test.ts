import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir';
import { connectWs, signIn, TEST_ADMIN } from '../helpers/sign-in';

const CLI = 'dist/main/cli.cjs';
const READY = /^Airdeck ready at http:\/\/(127\.0\.0\.1):(\d+)\/$/;
const SETUP =
  /^Airdeck has no accounts yet: create the first admin at (http:\/\/\S+\/)\?setup=([\w-]+)$/;

/** A password file for --admin-password-file in `dir`. */
function passwordFile(dir: string): string {
  const file = `${dir}/admin-password`;
  writeFileSync(file, `${TEST_ADMIN.password}\n`, { mode: 0o600 });
  return file;
}

/** Processes (still alive) whose environment carries the marker: i.e. serve and anything it started. */
function processesWithMarker(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(`AIRDECK_TEST_MARK=${marker}`))
        found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

function startServe(args: string[], marker: string) {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    env: { ...process.env, AIRDECK_TEST_MARK: marker },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const ready = new Promise<RegExpMatchArray>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const match = READY.exec(line);
      if (match) resolve(match);
    });
    child.once('exit', (code) =>
      reject(new Error(`serve exited with ${code} before it was ready`)),
    );
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, ready, exited, lines };
}

describe('airdeck serve (the built command)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  const running: ChildProcess[] = [];

  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  });
  afterEach(() => {
    for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    dir?.remove();
  });

  it('prints one ready line with the real port, serves healthz and the UI, and ends cleanly on SIGTERM', async () => {
    dir = makeTempDir();
    const marker = randomUUID();
    const serve = startServe(
      [
        '--port',
        '0',
        '--data',
        `${dir.path}/fresh`,
        '--admin-password-file',
        passwordFile(dir.path),
      ],
      marker,
    );
    running.push(serve.child);
    const [, host, port] = await serve.ready;
    expect(Number(port)).toBeGreaterThan(0);
    // No secret in the ready line, and no set-up link: the admin exists.
    expect(serve.lines).toEqual([`Airdeck ready at http://${host}:${port}/`]);

    const health = await fetch(`http://${host}:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      db: { ok: true },
      ffmpeg: { ok: true },
    });
    const page = await fetch(`http://${host}:${port}/`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<div id="root">');

    // The page learns where media is served from the core itself; a browser window needs no
    // ticket (its cookie reaches the same origin).
    const base = `http://${host}:${port}/`;
    const client = await connectWs(base, await signIn(base));
    expect(await client.call('mediaAccess', {})).toEqual({
      ok: true,
      result: { baseUrl: base, token: null },
    });
    client.close();

    expect(processesWithMarker(marker)).toContain(serve.child.pid);
    const sentAt = Date.now();
    serve.child.kill('SIGTERM');
    const exit = await serve.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - sentAt).toBeLessThan(5000);
    expect(processesWithMarker(marker)).toEqual([]);
  });

  it('keeps accounts and sessions across restarts of the same data folder', async () => {
    dir = makeTempDir();
    const args = ['--data', dir.path, '--admin-password-file', passwordFile(dir.path)];
    const first = startServe(['--port', '0', ...args], randomUUID());
    running.push(first.child);
    const [, host, port] = await first.ready;
    const base = `http://${host}:${port}/`;
    const cookie = await signIn(base);
    first.child.kill('SIGTERM');
    await first.exited;
    const second = startServe(['--port', port!, ...args], randomUUID());
    running.push(second.child);
    await second.ready;
    // An open window reconnects with the cookie it has.
    const client = await connectWs(base, cookie);
    expect((await client.call('appInfo', {})).ok).toBe(true);
    client.close();
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  it('without accounts prints a one-time set-up link; only its code creates the first admin', async () => {
    dir = makeTempDir();
    const serve = startServe(['--port', '0', '--data', dir.path], randomUUID());
    running.push(serve.child);
    await serve.ready;
    const setup = serve.lines.map((line) => SETUP.exec(line)).find(Boolean);
    expect(setup).toBeTruthy();
    const [, base, code] = setup!;
    const post = (body: Record<string, unknown>) =>
      fetch(new URL('/api/auth/setup', base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: 'chief',
          displayName: 'Chief',
          password: 'first-admin-pass',
          ...body,
        }),
      });
    expect((await post({})).status).toBe(403);
    expect((await post({ code: 'wrong' })).status).toBe(403);
    const created = await post({ code });
    expect(created.status).toBe(200);
    expect(created.headers.get('set-cookie')).toMatch(
      /^airdeck_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict/,
    );
    expect(await created.json()).toMatchObject({ needsSetup: false, person: { role: 'admin' } });
    // Used once: a second set-up is refused even with the code.
    expect((await post({ code, username: 'other' })).status).toBe(409);
    serve.child.kill('SIGTERM');
    await serve.exited;
  });

  it('refuses to listen beyond loopback without TLS or a trusted proxy, and says why', async () => {
    dir = makeTempDir();
    const serve = startServe(
      ['--port', '0', '--host', '0.0.0.0', '--data', dir.path],
      randomUUID(),
    );
    running.push(serve.child);
    let stderr = '';
    serve.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    serve.ready.catch(() => {});
    expect((await serve.exited).code).toBe(64);
    expect(stderr).toMatch(/without TLS/);
    expect(stderr).toMatch(/--tls-cert/);
  });

  it('refuses a database from a newer Airdeck with a clear message and exit code', async () => {
    dir = makeTempDir();
    const { default: BetterSqlite3 } = await import('better-sqlite3');
    const db = new BetterSqlite3(`${dir.path}/airdeck.db`);
    db.pragma('user_version = 999');
    db.close();
    const serve = startServe(['--port', '0', '--data', dir.path], randomUUID());
    running.push(serve.child);
    let stderr = '';
    serve.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    serve.ready.catch(() => {});
    const exit = await serve.exited;
    expect(exit.code).toBe(1);
    expect(stderr).toMatch(/newer Airdeck/);
  });

  it('rejects unknown options with usage and exit code 64', async () => {
    const serve = startServe(['--bogus'], randomUUID());
    serve.ready.catch(() => {});
    expect((await serve.exited).code).toBe(64);
  });
});
