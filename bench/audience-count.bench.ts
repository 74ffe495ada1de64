// What counting the audience costs each player request, and what its roll-up costs off the path.
// The HTTP server's one hook per 2xx playlist/segment calls the dashboard's 30-second viewer
// counter (before this change, the only counting) and the audience counter. Both are run here
// on the same stream of hits: 500 channels, 5,000 players (address + User-Agent as a browser
// sends it), segments every other hit. Blocks of the baseline (viewer counter alone) and of
// both are interleaved, so load on a shared machine hits each alike; CPU time, not wall time.
// Then the roll-up: one minute of those players drained and written to SQLite (migration 0019)
// in one transaction.
// One JSON line. BENCH_HITS (default 1,000,000), BENCH_CHANNELS (500), BENCH_VIEWERS (5,000),
// BENCH_MINUTES (roll-up minutes, 60).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAudienceCounter, MINUTE_MS } from '../src-main/core/audience/audience-counter';
import { createAudienceStore } from '../src-main/core/audience/audience-store';
import { viewerIdentity } from '../src-main/core/http/viewer-hits';
import { createViewerCounter } from '../src-main/core/monitor/viewer-counter';
import { openDatabase } from '../src-main/core/db/open-database';

const HITS = Number(process.env.BENCH_HITS ?? 1_000_000);
const ROLL_MINUTES = Number(process.env.BENCH_MINUTES ?? 60);
const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 500);
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 5000);
const BLOCK = 50_000;
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % MINUTE_MS);

const players = Array.from({ length: VIEWERS }, (_, i) => ({
  slug: `channel-${(i % CHANNELS) + 1}`,
  address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.${i}.0 Safari/537.36`,
}));

const cpuNs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

function run() {
  const viewers = createViewerCounter();
  const audience = createAudienceCounter();
  let baselineNs = 0;
  let bothNs = 0;
  let done = 0;
  // 2,000 requests a second of the clock: a minute turns over every 120,000 hits.
  const at = (i: number) => T0 + Math.floor(i / 2);
  for (let block = 0; done < HITS; block += 1) {
    const start = done;
    const end = Math.min(HITS, start + BLOCK);
    const both = block % 2 === 1;
    const before = cpuNs();
    for (let i = start; i < end; i += 1) {
      const p = players[i % VIEWERS]!;
      const now = at(i);
      viewers.seen(p.slug, p.address, p.userAgent, now);
      if (both)
        audience.hit(
          p.slug,
          viewerIdentity(undefined, p.address, p.userAgent),
          i & 1 ? 2000 : 0,
          now,
        );
    }
    const spent = cpuNs() - before;
    if (both) bothNs += spent;
    else baselineNs += spent;
    done = end;
  }
  const blocks = Math.ceil(HITS / BLOCK);
  const bothHits = Math.floor(blocks / 2) * BLOCK;
  const baselineHits = HITS - bothHits;
  return {
    baselineNsPerHit: Math.round(baselineNs / baselineHits),
    withAudienceNsPerHit: Math.round(bothNs / bothHits),
    audienceNsPerHit: Math.round(bothNs / bothHits - baselineNs / baselineHits),
    sessionsHeld: audience.size(),
  };
}

function rollUp() {
  const dir = mkdtempSync(join(tmpdir(), 'airdeck-audience-bench-'));
  try {
    const { db } = openDatabase(join(dir, 'a.db'));
    const insert = db.prepare(
      'INSERT INTO channels (id, name, number, slug, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 1)',
    );
    for (let c = 1; c <= CHANNELS; c += 1) insert.run(c, `Channel ${c}`, c, `channel-${c}`);
    const store = createAudienceStore(db);
    const counter = createAudienceCounter();
    // An hour of minutes for every channel, every player watching all of it (one session each).
    const minutes = ROLL_MINUTES;
    let drainNs = 0;
    let writeNs = 0;
    for (let m = 0; m < minutes; m += 1) {
      for (const p of players) {
        counter.hit(
          p.slug,
          viewerIdentity(undefined, p.address, p.userAgent),
          2000,
          T0 + m * MINUTE_MS,
        );
      }
      const a = cpuNs();
      const drained = counter.drain(T0 + (m + 1) * MINUTE_MS, m === minutes - 1);
      const b = cpuNs();
      store.write(drained.minutes, drained.sessions);
      writeNs += cpuNs() - b;
      drainNs += b - a;
    }
    const rows = (db.prepare('SELECT COUNT(*) AS n FROM audience_minutes').get() as { n: number })
      .n;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    let pages: number | null | undefined = null;
    try {
      pages = (
        db
          .prepare("SELECT SUM(pgsize) AS b FROM dbstat WHERE name LIKE 'audience_minutes%'")
          .get() as { b: number | null } | undefined
      )?.b;
    } catch {
      // Built without the dbstat table: the size is left out.
    }
    db.close();
    return {
      minuteRows: rows,
      minuteTableBytes: pages ?? null,
      bytesPerMinuteRow: pages ? Math.round(pages / rows) : null,
      pageSize,
      drainMsPerMinute: Math.round(drainNs / minutes / 1e4) / 100,
      writeMsPerMinute: Math.round(writeNs / minutes / 1e4) / 100,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const counting = run();
let roll: ReturnType<typeof rollUp> | { error: string };
try {
  roll = rollUp();
} catch (error) {
  roll = { error: error instanceof Error ? error.message : String(error) };
}
process.stdout.write(
  `${JSON.stringify({
    bench: 'audience-count',
    hits: HITS,
    channels: CHANNELS,
    viewers: VIEWERS,
    ...counting,
    rollUp: roll,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  })}\n`,
);
