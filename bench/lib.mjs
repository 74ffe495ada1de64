// Shared helpers for benchmarks: start the built `serve` on a temp data folder, percentiles.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The admin every bench station is created with (`--admin-password-file`). */
export const BENCH_ADMIN = { username: 'admin', password: 'bench-admin-password' };

/** Signs in over HTTP as a browser would; returns the `airdeck_session=…` cookie pair. */
export async function signIn(origin, who = BENCH_ADMIN) {
  const response = await fetch(new URL('/api/auth/sign-in', origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
  });
  if (response.status !== 200)
    throw new Error(`sign-in: ${response.status} ${await response.text()}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0];
}

/**
 * Signs a browser context in (its request API shares the context's cookie jar), so every page
 * opened in it carries the session cookie.
 */
export async function signInContext(context, origin, who = BENCH_ADMIN) {
  const response = await context.request.post(new URL('/api/auth/sign-in', origin).href, {
    data: who,
  });
  if (response.status() !== 200)
    throw new Error(`sign-in: ${response.status()} ${await response.text()}`);
}

export async function startServe(extraArgs = []) {
  const dataDir = mkdtempSync(join(tmpdir(), 'airdeck-bench-'));
  const passwordFile = join(dataDir, 'admin-password');
  writeFileSync(passwordFile, `${BENCH_ADMIN.password}\n`, { mode: 0o600 });
  const child = spawn(
    process.execPath,
    [
      'dist/main/cli.cjs',
      'serve',
      '--port',
      '0',
      '--data',
      dataDir,
      '--admin-password-file',
      passwordFile,
      ...extraArgs,
    ],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const match = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^Airdeck ready at http:\/\/([^/]+)\/$/.exec(line);
      if (m) resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code})`)));
  });
  const origin = `http://${match[1]}/`;
  return {
    hostPort: match[1],
    origin,
    /** The serve process (for CPU accounting in /proc). */
    pid: child.pid,
    /** The admin's session cookie, for sockets (`{ headers: { cookie } }`) and fetches. */
    cookie: await signIn(origin),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x) => Math.round(x * 1000) / 1000;
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    max: round(sorted.at(-1)),
  };
}

/**
 * A signed-in contract socket to a bench station: `call(method, params)` resolves with the
 * result or throws the error's code and message.
 */
export async function contractSocket(serve) {
  const { default: WebSocket } = await import('ws');
  const ws = new WebSocket(`ws://${serve.hostPort}/api/ws`, { headers: { cookie: serve.cookie } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let next = 0;
  const waiting = new Map();
  ws.on('message', (raw) => {
    const frame = JSON.parse(raw.toString());
    const done = frame.id === undefined ? undefined : waiting.get(frame.id);
    if (!done) return;
    waiting.delete(frame.id);
    done(frame);
  });
  return {
    call(method, params = {}) {
      const id = ++next;
      return new Promise((resolve, reject) => {
        waiting.set(id, (frame) =>
          frame.ok
            ? resolve(frame.result)
            : reject(new Error(`${method}: ${frame.error.code}: ${frame.error.message}`)),
        );
        ws.send(JSON.stringify({ id, method, params }));
      });
    },
    close: () => ws.close(),
  };
}

/**
 * Sends GETs at a fixed rate (open loop: a slow answer does not delay the next request, so
 * queueing shows in the latencies) for `seconds`; resolves with each answer's status and ms.
 */
export async function driveAtRate({ url, headers = {}, perSecond, seconds, agent }) {
  const { request } = await import('node:http');
  const { performance } = await import('node:perf_hooks');
  const target = new URL(url);
  const results = [];
  const pending = [];
  const start = performance.now();
  const total = Math.round(perSecond * seconds);
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    pending.push(
      new Promise((resolve) => {
        const req = request(target, { method: 'GET', headers, agent }, (res) => {
          res.resume();
          res.on('end', () => {
            results.push({ status: res.statusCode, ms: performance.now() - sent });
            resolve();
          });
        });
        req.on('error', () => {
          results.push({ status: 0, ms: performance.now() - sent });
          resolve();
        });
        req.end();
      }),
    );
  }
  await Promise.all(pending);
  return results;
}
