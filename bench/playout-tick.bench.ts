// The playout's per-second work on the demo station, without HTTP or ffmpeg: 500 channels on
// air over the demo's plan (stand-in ready assets with 2 s segment rows, so nothing is slate),
// the clock driven by hand for PLAYOUT_TICK_SECONDS. For every second it measures the CPU of
// the longest block the event loop cannot answer a request in:
//   - "one go": every due channel walked, logged and announced in one synchronous block (what
//     the clock's tick did), the status built from scratch for each announcement;
//   - "spread": the clock's tick as it is now (slices of ~2 ms, the status's programmes kept).
// Each way in its own process on its own database, seeded alike. One JSON line.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { createAsRunTicker } from '../src-main/core/playout/as-run-ticker';
import { START, createBenchStation } from './playout-bench-station';

const CHANNELS = Number(process.env.PLAYOUT_CHANNELS ?? 500);
const SECONDS = Number(process.env.PLAYOUT_TICK_SECONDS ?? 120);
const HOURS = 8;
const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};

function station(spread: boolean) {
  const { bus, clock, engine, store, context, close } = createBenchStation(CHANNELS, HOURS);
  const ticker = createAsRunTicker({
    context,
    store,
    engine,
    onEntries: (ids) => {
      for (const id of ids) {
        const status = spread ? engine.status(id) : engine.freshStatus(id, clock.at);
        bus.emit('playoutChanged', { channelId: id, status });
      }
    },
  });
  let entries = 0;
  bus.on('asRunAppended', ({ rows }) => (entries += rows.length));
  return {
    clock,
    ticker,
    entries: () => entries,
    close() {
      ticker.close();
      close();
    },
  };
}

const summary = (blocks: number[]) => {
  const sorted = [...blocks].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  const r = (x: number | undefined) => Math.round((x ?? NaN) * 100) / 100;
  return { n: sorted.length, p50Ms: r(at(50)), p99Ms: r(at(99)), maxMs: r(sorted.at(-1)) };
};

/** Live JS heap (the child runs with --expose-gc). */
function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().heapUsed / 2 ** 20);
}

/** One way in this process (its garbage is its own), measured second by second. */
async function measureWay(spreadWay: boolean) {
  const way = station(spreadWay);
  try {
    // Start-up (back-fill, first walks, first statuses) is not the steady state measured: the
    // last channel's schedule begins ten minutes in (the demo's stagger).
    const from = 11 * 60;
    way.clock.at = START + from * 1000;
    way.ticker.tick(START + from * 1000);
    const blocks: number[] = [];
    let total = 0;
    const cpu0 = process.cpuUsage();
    for (let s = from + 1; s <= from + SECONDS; s += 1) {
      const now = START + s * 1000;
      way.clock.at = now;
      if (!spreadWay) {
        const a = process.cpuUsage();
        way.ticker.tick(now);
        blocks.push(cpuMs(a));
        continue;
      }
      let b = process.cpuUsage();
      way.ticker.tickSpread(now);
      // Each turn of the loop below runs one slice (see tickSpread): its CPU is one block.
      for (let i = 0; i < 200; i += 1) {
        await new Promise((resolve) => setImmediate(resolve));
        const ms = cpuMs(b);
        if (ms > 0.05) blocks.push(ms);
        b = process.cpuUsage();
      }
    }
    total = cpuMs(cpu0);
    return {
      entriesLogged: way.entries(),
      blockCpu: summary(blocks),
      cpuPerSecondMs: Math.round(total / SECONDS),
      rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
      heapAfterGcMb: heapAfterGc(),
    };
  } finally {
    way.close();
  }
}

async function main() {
  const only = process.env.PLAYOUT_TICK_WAY;
  if (only) {
    process.stdout.write(`${JSON.stringify(await measureWay(only === 'spread'))}\n`);
    return;
  }
  // Each way in a process of its own, so one's garbage collection does not land in the other.
  const run = (way: string) => {
    const out = spawnSync(process.execPath, ['--expose-gc', __filename], {
      env: { ...process.env, PLAYOUT_TICK_WAY: way },
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (out.status !== 0) throw new Error(`${way}: ${out.stderr}`);
    return JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '{}') as unknown;
  };
  process.stdout.write(
    `${JSON.stringify({
      bench: 'playout-tick',
      channels: CHANNELS,
      seconds: SECONDS,
      oneGo: run('one-go'),
      spread: run('spread'),
      loadavg: loadavg().map((x) => x.toFixed(1)),
    })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
