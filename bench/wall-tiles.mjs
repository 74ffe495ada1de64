/* global document, window */
// Multiview wall in Chromium: N tiles playing channel proxies for a while. Counts stalls
// (`waiting` after a tile first played), dropped frames (getVideoPlaybackQuality) and follows
// the page's JS heap and the browser's resident memory over time. One JSON line per wall size.
//
//   WALL_BENCH_URL   a running station's address (`http://host:port/`) with channels on air,
//                    signed in as WALL_BENCH_USER (default admin) with WALL_BENCH_PASSWORD;
//                    without it a demo station is started (`serve --demo-channels
//                    WALL_DEMO_CHANNELS --admin-password-file …`, several minutes of ffmpeg on
//                    first start) and removed afterwards
//   WALL_RUNS        "16:300,25:60" = 16 tiles for 300 s, then 25 tiles for 60 s (the default)
//   WALL_SAMPLE_S    seconds between samples (default 10)
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { BENCH_ADMIN, signIn, signInContext } from './lib.mjs';

const MB = 1024 * 1024;
const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * A station to measure: the one in WALL_BENCH_URL, or a demo started here. Returns its origin
 * (no trailing slash), who to sign in as, and an admin session cookie for the contract.
 */
export async function station({
  demoChannels = Number(process.env.WALL_DEMO_CHANNELS ?? 16),
} = {}) {
  if (process.env.WALL_BENCH_URL) {
    const link = new URL(process.env.WALL_BENCH_URL);
    if (link.searchParams.has('token'))
      throw new Error('WALL_BENCH_URL: stations no longer take a token; give its address');
    const who = {
      username: process.env.WALL_BENCH_USER ?? 'admin',
      password: process.env.WALL_BENCH_PASSWORD ?? '',
    };
    if (!who.password) throw new Error('WALL_BENCH_URL needs WALL_BENCH_PASSWORD (and _USER)');
    return {
      origin: link.origin,
      who,
      cookie: await signIn(link.origin, who),
      stop: async () => {},
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'airdeck-wall-bench-'));
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
      '--demo-channels',
      String(demoChannels),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  };
  const ready = new Promise((resolve, reject) => {
    let origin;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^Airdeck ready at (http:\/\/[^/]+)\/$/.exec(line);
      if (m) origin = m[1];
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (/demo ready/.test(line)) resolve(origin);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code})`)));
  });
  const origin = await ready;
  return { origin, who: BENCH_ADMIN, cookie: await signIn(origin, BENCH_ADMIN), stop };
}

/** A new browser context signed in to the station (its pages carry the session cookie). */
export async function signedInContext(browser, target, options) {
  const context = await browser.newContext(options);
  await signInContext(context, target.origin, target.who);
  return context;
}

/** The contract over the station's WebSocket. */
export async function contract({ origin, cookie }) {
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/api/ws`, { headers: { cookie } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let id = 0;
  const pending = new Map();
  ws.on('message', (raw) => {
    const frame = JSON.parse(raw.toString());
    const done = pending.get(frame.id);
    if (!done) return;
    pending.delete(frame.id);
    if (frame.ok) done.resolve(frame.result);
    else done.reject(new Error(`${frame.error.code}: ${frame.error.message}`));
  });
  return {
    call: (method, params) =>
      new Promise((resolve, reject) => {
        const myId = ++id;
        pending.set(myId, { resolve, reject });
        ws.send(JSON.stringify({ id: myId, method, params }));
      }),
    close: () => ws.close(),
  };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      '--enable-precise-memory-info',
      '--js-flags=--expose-gc',
    ],
  });
}

/**
 * Resident memory and CPU time (user + system, clock ticks) of the Chromium this bench launched:
 * its processes and their children.
 */
function chromiumUsage() {
  const children = new Map();
  const comm = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      comm.set(Number(name), stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  let rss = 0;
  let ticks = 0;
  const byType = {};
  const stack = (children.get(process.pid) ?? []).filter((pid) => /chrom/i.test(comm.get(pid)));
  while (stack.length) {
    const pid = stack.pop();
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) rss += Number(m[1]) * 1024;
      const type =
        /--type=([\w-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
      const label = type === 'utility' ? 'utility' : type;
      if (m) byType[label] = (byType[label] ?? 0) + Number(m[1]) * 1024;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone.
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return { rss, ticks, byType };
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

// Counted in the page: `waiting` on a video that has played before is a stall.
const INSTRUMENT = () => {
  const state = { stalls: 0, played: new WeakSet() };
  window.__wallBench = state;
  document.addEventListener('playing', (e) => state.played.add(e.target), true);
  document.addEventListener(
    'waiting',
    (e) => {
      if (state.played.has(e.target)) state.stalls += 1;
    },
    true,
  );
};

const sample = () => {
  // A full collection first: the live heap, so growth means something is kept.
  window.gc?.();
  let dropped = 0;
  let total = 0;
  for (const video of document.querySelectorAll('video')) {
    const q = video.getVideoPlaybackQuality();
    dropped += q.droppedVideoFrames;
    total += q.totalVideoFrames;
  }
  const playing = document.querySelectorAll('[data-testid="wall-tile"][data-playing="yes"]').length;
  return {
    stalls: window.__wallBench.stalls,
    dropped,
    total,
    playing,
    tiles: document.querySelectorAll('[data-testid="wall-tile"]').length,
    meters: [...document.querySelectorAll('[data-testid="wall-meter"]')].filter(
      (c) => c.dataset.peak !== '-inf' && Number(c.dataset.peak) > -60,
    ).length,
    heap: performance.memory?.usedJSHeapSize ?? 0,
  };
};

async function runWall(target, api, browser, tiles, seconds, sampleSeconds) {
  const { channels } = await api.call('playoutStatus', {});
  const onAir = channels.filter((c) => c.onAir);
  if (onAir.length === 0) throw new Error('no channel is on air');
  const side = Math.ceil(Math.sqrt(tiles));
  // More tiles than channels: channels repeat (a wall may show a feed twice).
  const cells = Array.from({ length: side * side }, (_, i) =>
    i < tiles
      ? { kind: 'channel', channelId: onAir[i % onAir.length].channelId }
      : { kind: 'empty' },
  );
  const name = `Bench ${tiles} tiles`;
  const existing = (await api.call('wallLayoutsList', {})).layouts.find((l) => l.name === name);
  const layout = await api.call('wallLayoutSave', {
    ...(existing ? { id: existing.id } : {}),
    name,
    cols: side,
    rows: side,
    cells,
  });

  const context = await signedInContext(browser, target, {
    viewport: { width: 1920, height: 1080 },
  });
  await context.addInitScript(INSTRUMENT);
  const page = await context.newPage();
  const url = `${target.origin}/?fullscreen=1&layout=${layout.id}#/wall`;
  // Joining: from opening the page until every tile has played (at most 60 s), not measured.
  const joinStart = Date.now();
  await page.goto(url);
  await page.waitForSelector('[data-testid="wall-tile"]');
  while (Date.now() - joinStart < 60_000) {
    const s = await page.evaluate(sample);
    if (s.playing >= tiles) break;
    await page.waitForTimeout(1000);
  }
  const joinedMs = Date.now() - joinStart;
  const first = await page.evaluate(sample);
  const cpuStart = chromiumUsage().ticks;
  const samples = [];
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    await page.waitForTimeout(sampleSeconds * 1000);
    const s = await page.evaluate(sample);
    const usage = chromiumUsage();
    samples.push({ ...s, at: Date.now() - started, ...usage });
  }
  const last = samples.at(-1);
  await context.close();

  const heaps = samples.map((s) => s.heap / MB);
  const rss = samples.map((s) => s.rss / MB);
  const frames = last.total - first.total;
  const dropped = last.dropped - first.dropped;
  const minPlaying = Math.min(...samples.map((s) => s.playing));
  return {
    bench: 'wall-tiles',
    tiles,
    seconds,
    joinedMs,
    playingAtEnd: last.playing,
    minPlaying,
    metersMoving: last.meters,
    stalls: last.stalls - first.stalls,
    frames,
    droppedPct: frames > 0 ? round((100 * dropped) / frames, 2) : null,
    fpsPerTile: round(frames / seconds / tiles),
    /** Chromium's CPU time over the run, % of one core (200 % = both cores of this machine). */
    /** Chromium CPU time per video frame shown: the cost of the wall, less sensitive to load. */
    cpuMsPerFrame: frames > 0 ? round((10 * (last.ticks - cpuStart)) / frames, 3) : null,
    chromiumCpuPct: round((100 * (last.ticks - cpuStart)) / TICKS_PER_S / ((last.at || 1) / 1000)),
    heapMB: { first: round(heaps[0]), last: round(heaps.at(-1)), max: round(Math.max(...heaps)) },
    browserRssMB: { first: round(rss[0]), last: round(rss.at(-1)), max: round(Math.max(...rss)) },
    /** Every sample, to see whether memory levels off. */
    series: samples.map((x) => ({
      s: Math.round(x.at / 1000),
      heapMB: round(x.heap / MB),
      rssMB: round(x.rss / MB),
      rendererMB: round((x.byType.renderer ?? 0) / MB),
    })),
    rssByProcessMB: Object.fromEntries(
      Object.keys(last.byType).map((type) => [
        type,
        [round((samples[0].byType[type] ?? 0) / MB), round(last.byType[type] / MB)],
      ]),
    ),
    load: loadavg().map((x) => round(x, 2)),
  };
}

async function main() {
  const runs = (process.env.WALL_RUNS ?? '16:300,25:60').split(',').map((r) => {
    const [tiles, seconds] = r.split(':').map(Number);
    return { tiles, seconds };
  });
  const sampleSeconds = Number(process.env.WALL_SAMPLE_S ?? 10);
  const target = await station();
  const api = await contract(target);
  const browser = await launchChromium();
  try {
    for (const { tiles, seconds } of runs) {
      const result = await runWall(target, api, browser, tiles, seconds, sampleSeconds);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    }
  } finally {
    await browser.close();
    api.close();
    await target.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
