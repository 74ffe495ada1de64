// What the desk statistics feed costs: `deskEventsReport` as a window calls it (dispatcher,
// checks, one SQLite transaction), per call and per event; and the roll-up that turns the raw log
// into minute rows, both catching up on a backlog and in its steady state (a pass every few
// seconds recomputing the current minute). Baseline in the same run: the minute table computed
// from the same events in memory and stored (`stats.record` alone), without reading the log.
// People: BENCH_PEOPLE (default 30), each reporting 5 s of desk activity per call (an input a
// second, a playback speed change every minute) over BENCH_MINUTES (default 10) of air time.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ReportedDeskEvent } from '../src-shared/contract';
import type { DeskEvent } from '../src-shared/stats/desk-events';
import { createCore } from '../src-main/core/create-core';
import { silentLogger } from '../src-main/core/logger';
import type { Caller } from '../src-main/core/rpc/caller';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 30);
const MINUTES = Number(process.env.BENCH_MINUTES ?? 10);
const STEP_S = 5;

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { n: sorted.length, p50: round(at(50)), p99: round(at(99)), max: round(at(100)) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'airdeck-desk-bench-'));
  const core = await createCore({
    dataDir: dir,
    mode: 'headless',
    version: 'bench',
    logger: silentLogger,
    notes: { rollupIntervalMs: 3_600_000, deskSessionTimeoutMs: 3_600_000 },
  });
  const added = await core.dispatch('recorderSourceAdd', {
    name: 'Bench',
    url: 'http://127.0.0.1:9/none.m3u8',
    enabled: false,
  });
  if (!added.ok) throw new Error(added.error.message);
  const sourceId = (added.result as { id: number }).id;
  const callers: Caller[] = Array.from({ length: PEOPLE }, (_, i) => ({
    kind: 'window',
    principal: {
      personId: i + 1,
      username: `p${i}`,
      displayName: `P ${i}`,
      grant: { role: 'editor', scope: { channels: null, sources: null }, disabled: false },
      sessionId: i + 1,
    },
    meta: { address: '127.0.0.1', userAgent: 'bench', transport: 'browser' },
  }));
  const base = Math.floor((Date.now() - (MINUTES + 1) * 60_000) / 60_000) * 60_000;
  const steps = Math.floor((MINUTES * 60) / STEP_S);
  const chunk = (person: number, step: number): ReportedDeskEvent[] => {
    const t0 = base + step * STEP_S * 1000 + person * 7;
    const events: ReportedDeskEvent[] = [];
    if (step === 0) {
      events.push({ type: 'sessionStart', at: t0 });
      events.push({ type: 'sourceOpen', at: t0, sourceId });
    }
    if ((step * STEP_S) % 60 === 0)
      events.push({ type: 'playbackStart', at: t0, sourceId, speed: [2, 4, 8, 16][step % 4]! });
    for (let s = 0; s < STEP_S; s++) events.push({ type: 'input', at: t0 + s * 1000 + 1 });
    return events;
  };

  const perCall: number[] = [];
  let events = 0;
  const memory: DeskEvent[] = [];
  const started = performance.now();
  for (let step = 0; step < steps; step++)
    for (let p = 0; p < PEOPLE; p++) {
      const batch = chunk(p, step);
      const t = performance.now();
      const result = await core.dispatch(
        'deskEventsReport',
        { deskSession: `desk-${p}`, events: batch },
        callers[p],
      );
      perCall.push(performance.now() - t);
      if (!result.ok) throw new Error(result.error.message);
      events += batch.length;
      for (const e of batch)
        memory.push({ ...e, personId: p + 1, deskSession: `desk-${p}` } as DeskEvent);
    }
  const reportWallMs = performance.now() - started;

  // The backlog: every minute since the first event.
  let t = performance.now();
  core.notes.flushStats();
  const catchUpMs = performance.now() - t;

  // Steady state: one more report per person, then a pass (the current minute is recomputed).
  const steady: number[] = [];
  for (let round = 0; round < 10; round++) {
    for (let p = 0; p < PEOPLE; p++) {
      const at = Date.now() - 1000 + p;
      await core.dispatch(
        'deskEventsReport',
        { deskSession: `desk-${p}`, events: [{ type: 'input', at }] },
        callers[p],
      );
    }
    t = performance.now();
    core.notes.flushStats();
    steady.push(performance.now() - t);
  }

  // Baseline: the same log aggregated in memory and stored, no log read.
  memory.sort((a, b) => a.at - b.at);
  t = performance.now();
  core.stats.record(memory, base, Date.now());
  const baselineMs = performance.now() - t;

  const rows = core.context.db
    .prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM desk_events')
    .get()!.n;
  const bytes =
    core.context.db
      .prepare<[], { b: number }>(
        "SELECT SUM(pgsize) AS b FROM dbstat WHERE name IN ('desk_events', 'desk_events_at', 'desk_events_session')",
      )
      .get()?.b ?? null;
  const call = stats(perCall);
  console.log(
    JSON.stringify({
      bench: 'desk-stats',
      people: PEOPLE,
      minutes: MINUTES,
      calls: perCall.length,
      events,
      eventsPerCall: Math.round((events / perCall.length) * 10) / 10,
      reportCallMs: call,
      perEventUs: Math.round(((call.p50 * 1000) / (events / perCall.length)) * 10) / 10,
      reportThroughputEventsPerS: Math.round(events / (reportWallMs / 1000)),
      storedRows: rows,
      storedBytes: bytes,
      bytesPerEvent: bytes === null ? null : Math.round((bytes / rows) * 10) / 10,
      rollupCatchUpMs: Math.round(catchUpMs * 10) / 10,
      rollupSteadyMs: stats(steady),
      baselineRecordMs: Math.round(baselineMs * 10) / 10,
      load: loadavg().map((l) => Math.round(l * 100) / 100),
    }),
  );
  await core.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
