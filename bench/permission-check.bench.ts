// What the permission check costs a contract call. One core (20 channels × 7 days × 60 items),
// the same build, calls interleaved so load on a shared machine hits every caller alike:
// - system: `core.dispatch(method, params)` with no caller, the core's own path (no check);
// - admin: a window caller with an admin principal (role check; changes appended to the audit
//   log);
// - scoped scheduler: a window caller whose rights reach channel 1 only (role check, plus the
//   channel resolution: the items a move names are looked up to find their channels).
// For a read (settingsGet, a one-channel day of scheduleRange) and audited changes
// (scheduleMove; settingsSet, which a scheduler may not do). Then the same people over the real
// WebSocket (startHttpServer, cookie sessions), where each call also looks the session up.
// One JSON line. Sizes: BENCH_CALLS (reads per caller, default 2000), BENCH_MOVES (changes per
// caller, default 400), BENCH_WS_CALLS (per caller and method over the socket, default 1000).
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { startHttpServer } from '../src-main/core/http/http-server';
import { silentLogger } from '../src-main/core/logger';
import type { Caller } from '../src-main/core/rpc/caller';
import { ITEM_MS, seededCore, WEEK_START } from './schedule-seed';

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const MOVES = Number(process.env.BENCH_MOVES ?? 400);
const WS_CALLS = Number(process.env.BENCH_WS_CALLS ?? 1000);
const WARMUP = 200;

const PEOPLE = {
  admin: { username: 'bench-admin', password: 'bench-admin-password', role: 'admin' },
  scheduler: { username: 'bench-scheduler', password: 'bench-sched-password', role: 'scheduler' },
} as const;

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const mean = sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1);
  return { n: sorted.length, p50: round(at(50)), p99: round(at(99)), mean: round(mean) };
}

type Cell = Record<string, number[]>;
const cells = new Map<string, Cell>();
function record(op: string, who: string, ms: number): void {
  const cell = cells.get(op) ?? {};
  (cell[who] ??= []).push(ms);
  cells.set(op, cell);
}
function report(map: Map<string, Cell>) {
  return Object.fromEntries(
    [...map].map(([op, cell]) => [
      op,
      Object.fromEntries(Object.entries(cell).map(([who, s]) => [who, stats(s)])),
    ]),
  );
}

// esbuild bundles benches as CommonJS, which has no top-level await.
async function main(): Promise<void> {
  const { core, close } = await seededCore();
  const meta = { address: '127.0.0.1', userAgent: 'bench', transport: 'browser' as const };
  await core.people.create({
    ...PEOPLE.admin,
    displayName: 'Bench admin',
    scope: { channels: null, sources: null },
  });
  await core.people.create({
    ...PEOPLE.scheduler,
    displayName: 'Bench scheduler',
    scope: { channels: [1], sources: null },
  });
  const principalOf = async (who: { username: string; password: string }) => {
    const { secret } = await core.people.signIn(who, meta);
    const principal = core.people.authenticate(secret);
    if (!principal) throw new Error('no principal');
    return { secret, principal };
  };
  const admin = await principalOf(PEOPLE.admin);
  const scheduler = await principalOf(PEOPLE.scheduler);
  const callers: [string, Caller | undefined][] = [
    ['system', undefined],
    ['admin', { kind: 'window', principal: admin.principal, meta }],
    ['scopedScheduler', { kind: 'window', principal: scheduler.principal, meta }],
  ];

  // The last item of channel 1's week moves back and forth by one item length (into empty air).
  const lastDay = { from: WEEK_START + 6 * 86_400_000, to: WEEK_START + 7 * 86_400_000 };
  const range = await core.dispatch('scheduleRange', { channelIds: [1], ...lastDay });
  if (!range.ok) throw new Error(range.error.message);
  const last = (range.result as { items: { id: number; version: number }[] }).items.at(-1);
  if (!last) throw new Error('no item to move');
  const item = { id: last.id, version: last.version };
  let moves = 0;

  const ops: Record<string, () => [string, unknown] | null> = {
    settingsGet: () => ['settingsGet', {}],
    scheduleRangeOneChannelDay: () => ['scheduleRange', { channelIds: [1], ...lastDay }],
  };
  const run = async (op: string, method: string, params: unknown, who: string, caller?: Caller) => {
    const start = performance.now();
    const result = await core.dispatch(method, params, caller);
    const ms = performance.now() - start;
    if (!result.ok) throw new Error(`${who} ${method}: ${result.error.message}`);
    return ms;
  };

  // Reads: each round calls once as each caller, the order rotating.
  for (let i = 0; i < WARMUP + CALLS; i++) {
    for (const [op, make] of Object.entries(ops)) {
      for (let k = 0; k < callers.length; k++) {
        const [who, caller] = callers[(i + k) % callers.length]!;
        const [method, params] = make()!;
        const ms = await run(op, method, params, who, caller);
        if (i >= WARMUP) record(op, who, ms);
      }
    }
  }
  // Changes, audited for the window callers.
  const auditRows = core.context.db.prepare('SELECT count(*) AS n FROM audit_log');
  const auditBefore = (auditRows.get() as { n: number }).n;
  for (let i = 0; i < WARMUP / 4 + MOVES; i++) {
    for (let k = 0; k < callers.length; k++) {
      const [who, caller] = callers[(i + k) % callers.length]!;
      const ms = await run(
        'scheduleMove',
        'scheduleMove',
        {
          items: [{ id: item.id, version: item.version }],
          deltaMs: moves % 2 === 0 ? ITEM_MS : -ITEM_MS,
        },
        who,
        caller,
      );
      item.version += 1;
      moves += 1;
      if (i >= WARMUP / 4) record('scheduleMove', who, ms);
      if (who === 'scopedScheduler') continue;
      const set = await run(
        'settingsSet',
        'settingsSet',
        { stationName: `Bench ${i} ${who}` },
        who,
        caller,
      );
      if (i >= WARMUP / 4) record('settingsSet', who, set);
    }
  }
  const auditedChanges = (auditRows.get() as { n: number }).n - auditBefore;

  // The socket looks the session up on every call (a map hit): its cost alone.
  const authNs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    for (let j = 0; j < 1000; j++) core.people.authenticate(admin.secret);
    authNs.push(((performance.now() - start) * 1e6) / 1000);
  }
  const inProcess = report(cells);
  cells.clear();

  // Over the real WebSocket: each person signed in over HTTP, one socket each.
  const server = await startHttpServer({
    core,
    host: '127.0.0.1',
    port: 0,
    rendererDir: '/nonexistent',
    logger: silentLogger,
  });
  const base = `127.0.0.1:${server.port}`;
  const socketFor = async (who: { username: string; password: string }) => {
    const signedIn = await fetch(`http://${base}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: who.username, password: who.password }),
    });
    if (signedIn.status !== 200) throw new Error(`sign-in ${signedIn.status}`);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const ws = await new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`ws://${base}/api/ws`, { headers: { cookie } });
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
    let next = 1;
    const pending = new Map<
      number,
      (frame: { ok: boolean; error?: { message: string } }) => void
    >();
    ws.on('message', (raw: WebSocket.RawData) => {
      const frame = JSON.parse(raw.toString()) as { id?: number; ok: boolean };
      if (typeof frame.id === 'number') pending.get(frame.id)?.(frame);
      if (typeof frame.id === 'number') pending.delete(frame.id);
    });
    const call = (method: string, params: unknown) =>
      new Promise<number>((resolve, reject) => {
        const id = next++;
        const start = performance.now();
        pending.set(id, (frame) => {
          if (frame.ok) resolve(performance.now() - start);
          else reject(new Error(`${method}: ${frame.error?.message}`));
        });
        ws.send(JSON.stringify({ id, method, params }));
      });
    return { call, close: () => ws.close() };
  };
  const sockets: [string, Awaited<ReturnType<typeof socketFor>>][] = [
    ['admin', await socketFor(PEOPLE.admin)],
    ['scopedScheduler', await socketFor(PEOPLE.scheduler)],
  ];
  for (let i = 0; i < WARMUP + WS_CALLS; i++) {
    for (let k = 0; k < sockets.length; k++) {
      const [who, socket] = sockets[(i + k) % sockets.length]!;
      const keep = i >= WARMUP;
      const read = await socket.call('settingsGet', {});
      if (keep) record('settingsGet', who, read);
      const move = await socket.call('scheduleMove', {
        items: [{ id: item.id, version: item.version }],
        deltaMs: moves % 2 === 0 ? ITEM_MS : -ITEM_MS,
      });
      item.version += 1;
      moves += 1;
      if (keep) record('scheduleMove', who, move);
    }
  }
  for (const [, socket] of sockets) socket.close();
  const overSocket = report(cells);
  await server.close();
  await close();

  console.log(
    JSON.stringify({
      bench: 'permission-check',
      note: 'ms per call; system = dispatch without a caller (no check), admin/scopedScheduler = window callers (checked; changes audited)',
      inProcessMs: inProcess,
      auditedChanges,
      authenticatePerCallNs: stats(authNs),
      overWebSocketMs: overSocket,
      load: loadavg().map((x) => Math.round(x * 100) / 100),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
