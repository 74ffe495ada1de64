import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir';
import { TestWsClient } from '../helpers/ws-client';

const CLI = 'dist/main/cli.cjs';
const READY = /^Airdeck ready at http:\/\/(127\.0\.0\.1):(\d+)\/\?token=([A-Za-z0-9_%-]+)$/;

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
    const serve = startServe(['--port', '0', '--data', `${dir.path}/fresh`], marker);
    running.push(serve.child);
    const [, host, port, token] = await serve.ready;
    expect(Number(port)).toBeGreaterThan(0);
    expect(serve.lines).toHaveLength(1);
    expect(token!.length).toBeGreaterThanOrEqual(16);

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

    // The page learns where media is served from the core itself (the desktop page needs it).
    const client = await TestWsClient.connect(`ws://${host}:${port}/api/ws?token=${token}`);
    expect(await client.call('mediaAccess', {})).toEqual({
      ok: true,
      result: { baseUrl: `http://${host}:${port}/`, token: decodeURIComponent(token!) },
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

  it('keeps the token across restarts of the same data folder', async () => {
    dir = makeTempDir();
    const first = startServe(['--port', '0', '--data', dir.path], randomUUID());
    running.push(first.child);
    const [, , port, token] = await first.ready;
    first.child.kill('SIGTERM');
    await first.exited;
    const second = startServe(['--port', port!, '--data', dir.path], randomUUID());
    running.push(second.child);
    const [, , port2, token2] = await second.ready;
    expect([port2, token2]).toEqual([port, token]);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
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
