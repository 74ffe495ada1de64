// Playout at scale: `serve --demo --demo-channels 500` on a temp data folder, then
//   1. no ffmpeg child once seeding (and the clips' preview encodes) are done,
//   2. the server's CPU and RSS idle for 10 s,
//   3. an open-loop load of main.m3u8 requests spread over all channels (default 2,500 req/s
//      for 30 s) with latency percentiles, CPU and RSS under load,
//   4. the ceiling: a closed loop of 32 concurrent requests for 10 s,
//   5. the peers' model for comparison: one channel transcoded in real time by ffmpeg
//      (libx264 veryfast 3 Mb/s to HLS) from the same demo clip, its CPU over 30 s.
// The server and this load generator share the machine's cores (PLAYOUT_PIN=1: server on CPU 0).
// Prints one JSON line per measurement. Env: PLAYOUT_CHANNELS, PLAYOUT_RATE, PLAYOUT_SECONDS.
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { summarize, percentile } from './lib.mjs';

const CHANNELS = Number(process.env.PLAYOUT_CHANNELS ?? 500);
const RATE = Number(process.env.PLAYOUT_RATE ?? 2500);
const SECONDS = Number(process.env.PLAYOUT_SECONDS ?? 30);
// Seconds after "ready" before the idle and load measurements: a (re)started station spends its
// first minute building what it keeps (each channel's six-hour rundown at its first entry
// start, the six-hour cut scans). 0 measures that start-up instead of the steady state.
const SETTLE_S = Number(process.env.PLAYOUT_SETTLE_S ?? 90);
// The bundle to run (another build than dist/ can be measured side by side), extra Node flags
// for the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), and whether to run the peer.
const CLI = process.env.PLAYOUT_CLI ?? 'dist/main/cli.cjs';
const NODE_ARGS = (process.env.PLAYOUT_NODE_ARGS ?? '').split(' ').filter(Boolean);
const PEER = process.env.PLAYOUT_PEER !== '0';
const SERVER_LOG = process.env.PLAYOUT_SERVER_LOG;
// A file to write every open-loop request to ("<ms since start> <latency ms>"), to see when a tail happens.
const TRACE = process.env.PLAYOUT_TRACE ? createWriteStream(process.env.PLAYOUT_TRACE) : null; // a file to copy the server's output to
// A data folder kept between runs: the next run restarts the same station (already seeded,
// previews made) instead of seeding a new one, so repeated measurements take a minute.
const KEEP_DATA = process.env.PLAYOUT_DATA;
// More `serve` arguments, e.g. `--monitor-channels` (the default alarm detectors, as a station runs).
const SERVE_ARGS = (process.env.PLAYOUT_SERVE_ARGS ?? '').split(' ').filter(Boolean);
const CLK_TCK = 100;
const root = new URL('..', import.meta.url).pathname;
// Clips are kept between runs: seeding skips those already in <data>/demo-source.
const clipCache = join(root, 'node_modules', '.cache', 'airdeck-demo-source');
// PLAYOUT_PIN=1 pins the server to CPU 0. Pinned, V8's garbage-collection threads take turns
// with the event loop on that one core, which shows as 50–150 ms stalls in the latency tail;
// unpinned (the default, as a station runs it) they run beside it.
const hasTaskset = process.env.PLAYOUT_PIN === '1' && existsSync('/usr/bin/taskset');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const emit = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);

function procStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuS: ticks / CLK_TCK, rssMb: rss ? Number(rss[1]) / 1024 : NaN };
}

/** CPU % of one core used by `pid` while `during` runs, and its RSS at the end. */
async function measure(pid, during) {
  const a = procStat(pid);
  const t0 = performance.now();
  const extra = await during();
  const seconds = (performance.now() - t0) / 1000;
  const b = procStat(pid);
  return {
    cpuPercent: Math.round(((b.cpuS - a.cpuS) / seconds) * 1000) / 10,
    rssMb: Math.round(b.rssMb),
    ...extra,
  };
}

/**
 * The server's ffmpeg children, less the alarm detectors `--monitor-channels` runs (always there
 * while channels are monitored, so "no ffmpeg" means no ffmpeg working for playout).
 */
function children(pid) {
  try {
    return execFileSync('ps', ['--ppid', String(pid), '-o', 'pid=,args='], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.includes('Airdeck-Monitor'))
      .map((l) => l.split(' ').slice(0, 2).join(' '));
  } catch {
    return []; // ps exits 1 when there is no child
  }
}

async function startDemoServe() {
  const dataDir = KEEP_DATA ?? mkdtempSync(join(tmpdir(), 'airdeck-playout-bench-'));
  mkdirSync(dataDir, { recursive: true });
  if (existsSync(clipCache)) cpSync(clipCache, join(dataDir, 'demo-source'), { recursive: true });
  const probe = join(root, 'bench', 'event-loop-probe.cjs');
  const args = [...NODE_ARGS, '--require', probe, CLI, 'serve', '--port', '0', '--data', dataDir];
  args.push('--demo-channels', String(CHANNELS), ...SERVE_ARGS);
  const command = hasTaskset ? 'taskset' : process.execPath;
  const child = spawn(command, hasTaskset ? ['-c', '0', process.execPath, ...args] : args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = performance.now();
  let hostPort;
  let scheduleLine = '';
  const loopDelays = [];
  const log = SERVER_LOG ? createWriteStream(SERVER_LOG) : null;
  await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      log?.write(`${line}\n`);
      const m = /^Airdeck ready at http:\/\/([^/]+)\//.exec(line);
      if (m) hostPort = m[1];
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      log?.write(`${line}\n`);
      const delay = /^event-loop-delay (\{.*\})$/.exec(line);
      if (delay) loopDelays.push(JSON.parse(delay[1]));
      if (/demo: .*schedule rows/.test(line)) scheduleLine = line.replace(/^.* demo: /, '');
      if (/demo ready|demo: not seeded/.test(line)) resolve();
      if (/seeding failed/.test(line)) reject(new Error(line));
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code})`)));
  });
  const readyAt = performance.now();
  const seededS = (readyAt - started) / 1000;
  // Keep the generated clips for the next run.
  mkdirSync(clipCache, { recursive: true });
  for (const f of readdirSync(join(dataDir, 'demo-source'))) {
    if (f.endsWith('.mp4')) cpSync(join(dataDir, 'demo-source', f), join(clipCache, f));
  }
  return {
    child,
    dataDir,
    hostPort,
    seededS,
    readyAt,
    scheduleLine,
    /** The server's event-loop delay since the previous call (see bench/event-loop-probe.cjs). */
    async loopDelay() {
      const seen = loopDelays.length;
      child.kill('SIGUSR2');
      for (let i = 0; i < 100 && loopDelays.length === seen; i += 1) await sleep(10);
      return loopDelays[seen] ?? null;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      if (!KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The server process itself (under taskset, node is exec'd in place: same pid). */
function serverPid(child) {
  return child.pid;
}

function request(agent, hostPort, path) {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get({ host, port: Number(port), path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode }));
    });
    req.on('error', () => resolve({ ms: performance.now() - t0, status: 0 }));
  });
}

/** Sends `rate` req/s for `seconds`, paced every millisecond, whatever the answers do. */
/** Keep-alive connections shared by the warm-up and the open loop, as players keep theirs. */
const openLoopAgent = new http.Agent({ keepAlive: true, maxSockets: 128 });

async function openLoop(hostPort, paths, rate, seconds) {
  const agent = openLoopAgent;
  const latencies = [];
  const statuses = new Map();
  const inflight = new Set();
  let sent = 0;
  let skipped = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    // A server that falls behind is not buried under an endless queue: the excess is counted.
    if (inflight.size >= 1000) {
      skipped += due - sent - skipped;
      await sleep(1);
      continue;
    }
    while (sent + skipped < due) {
      const at = performance.now() - t0;
      const p = request(agent, hostPort, paths[sent % paths.length]).then((r) => {
        latencies.push(r.ms);
        if (TRACE) TRACE.write(`${at.toFixed(1)} ${r.ms.toFixed(2)}\n`);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        inflight.delete(p);
      });
      inflight.add(p);
      sent += 1;
    }
    await sleep(1);
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - t0) / 1000;
  return { sent, skipped, elapsed, latencies, statuses: Object.fromEntries(statuses) };
}

async function closedLoop(hostPort, paths, concurrency, seconds) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const r = await request(agent, hostPort, paths[n++ % paths.length]);
        latencies.push(r.ms);
      }
    }),
  );
  agent.destroy();
  return { n, elapsed: (performance.now() - t0) / 1000, latencies };
}

async function transcodedPeer(clip) {
  const out = mkdtempSync(join(tmpdir(), 'airdeck-peer-'));
  // Not pinned: a transcode uses every core it is given; its CPU % is over both.
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-re',
    '-stream_loop',
    '-1',
    '-i',
    clip,
    '-t',
    '30',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-b:v',
    '3000k',
    '-g',
    '50',
    '-c:a',
    'aac',
    '-f',
    'hls',
    '-hls_time',
    '2',
    '-hls_list_size',
    '6',
    join(out, 'live.m3u8'),
  ];
  const child = spawn('ffmpeg', args, { stdio: 'ignore' });
  await sleep(200);
  const result = await measure(child.pid, async () => {
    await sleep(28_000);
    return {};
  });
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(out, { recursive: true, force: true });
  return result;
}

const machine = { cores: 2, node: process.version, loadavg: loadavg().map((x) => x.toFixed(1)) };
const serve = await startDemoServe();
try {
  const pid = serverPid(serve.child);
  // Previews (proxy renditions) of the demo clips are encoded after "demo ready", and the
  // playout makes its few slate cuts: wait until every asset has its proxy and no ffmpeg child
  // has been seen for five seconds.
  const db = new Database(join(serve.dataDir, 'airdeck.db'), { readonly: true });
  const previewsLeft = db.prepare(
    `SELECT count(*) AS n FROM assets a WHERE a.preview_error IS NULL AND NOT EXISTS
       (SELECT 1 FROM renditions r WHERE r.asset_id = a.id AND r.kind = 'proxy')`,
  );
  let waited = 0;
  let quiet = 0;
  while ((previewsLeft.get().n > 0 || quiet < 5) && waited < 1800) {
    quiet = children(pid).length > 0 ? 0 : quiet + 1;
    await sleep(1000);
    waited += 1;
  }
  db.close();
  const settleLeft = SETTLE_S * 1000 - (performance.now() - serve.readyAt);
  if (settleLeft > 0) await sleep(settleLeft);
  const left = children(pid);
  emit({
    bench: 'playout-demo-seed',
    channels: CHANNELS,
    seededS: Math.round(serve.seededS * 10) / 10,
    schedule: serve.scheduleLine,
    waitedForPreviewsS: waited,
    settleS: SETTLE_S,
    ffmpegChildren: left.length,
    children: left,
    machine,
  });

  // From here on, any ffmpeg the server starts is seen (sampled twice a second).
  let maxChildren = 0;
  const sampler = setInterval(() => {
    maxChildren = Math.max(maxChildren, children(pid).length);
  }, 500);
  const idle = await measure(pid, async () => {
    await sleep(10_000);
    return {};
  });
  emit({ bench: 'playout-idle', channels: CHANNELS, seconds: 10, ...idle });

  // The demo's slugs (demoChannelName): airdeck-one … airdeck-nine, then airdeck-10 ….
  const words = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
  const slugs = Array.from({ length: CHANNELS }, (_, i) => `airdeck-${words[i] ?? String(i + 1)}`);
  const paths = slugs.map((s) => `/channels/${s}/main.m3u8`);
  // Warm up: every channel's playlist once, at the load's rate so its connections are open.
  await openLoop(serve.hostPort, paths, RATE, 1);

  await serve.loopDelay();
  const load = await measure(pid, async () => {
    const clientCpu = process.cpuUsage();
    const clientLoop = monitorEventLoopDelay({ resolution: 1 });
    clientLoop.enable();
    const r = await openLoop(serve.hostPort, paths, RATE, SECONDS);
    clientLoop.disable();
    const used = process.cpuUsage(clientCpu);
    const sorted = [...r.latencies].sort((a, b) => a - b);
    return {
      targetRate: RATE,
      achievedRate: Math.round(r.latencies.length / r.elapsed),
      requests: r.sent,
      skippedOverInflightCap: r.skipped,
      statuses: r.statuses,
      p50Ms: Math.round(percentile(sorted, 50) * 100) / 100,
      p95Ms: Math.round(percentile(sorted, 95) * 100) / 100,
      p99Ms: Math.round(percentile(sorted, 99) * 100) / 100,
      maxMs: Math.round((sorted.at(-1) ?? NaN) * 100) / 100,
      // The generator's own CPU (% of one core): near 100 it, not the server, sets the tail.
      clientCpuPercent: Math.round(((used.user + used.system) / 1e4 / r.elapsed) * 10) / 10,
      // The generator's own event-loop delay: a stall here lengthens every request in flight.
      clientLoopDelay: {
        p99Ms: Math.round(clientLoop.percentile(99) / 1e4) / 100,
        maxMs: Math.round(clientLoop.max / 1e4) / 100,
      },
      loadavg: loadavg().map((x) => x.toFixed(1)),
    };
  });
  const serverLoopDelay = await serve.loopDelay();
  openLoopAgent.destroy();
  emit({
    bench: 'playout-playlist-load',
    channels: CHANNELS,
    seconds: SECONDS,
    ...load,
    serverLoopDelay,
  });

  const ceiling = await measure(pid, async () => {
    const r = await closedLoop(serve.hostPort, paths, 32, 10);
    return { reqPerS: Math.round(r.n / r.elapsed), latencyMs: summarize(r.latencies) };
  });
  emit({ bench: 'playout-playlist-ceiling', channels: CHANNELS, concurrency: 32, ...ceiling });

  clearInterval(sampler);
  emit({ bench: 'playout-ffmpeg-children', during: 'idle + load + ceiling', max: maxChildren });

  if (PEER) {
    const clip = join(clipCache, 'programme-08.mp4');
    const peer = await transcodedPeer(clip);
    emit({
      bench: 'playout-transcoded-peer',
      what: 'ffmpeg -re libx264 veryfast 3000k + aac to HLS, 720p25 demo clip',
      seconds: 28,
      ...peer,
    });
  }
} finally {
  await serve.stop();
}
