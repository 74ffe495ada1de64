// The calendar's week view: scheduleRange over 20 channels × 7 days × 60 items (8,400 items)
// through the real dispatcher, plus the JSON encoding a transport adds.
import { performance } from 'node:perf_hooks';
import { CHANNELS, DAYS, PER_DAY, seededCore, summarize, WEEK_START } from './schedule-seed';

// esbuild bundles benches as CommonJS, which has no top-level await.
async function main(): Promise<void> {
  const RUNS = Number(process.env.BENCH_RUNS ?? 30);
  const { core, close } = await seededCore();
  const params = { from: WEEK_START, to: WEEK_START + DAYS * 86_400_000 };
  const dispatchMs: number[] = [];
  const withJsonMs: number[] = [];
  let items = 0;
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const result = await core.dispatch('scheduleRange', params);
    dispatchMs.push(performance.now() - start);
    const text = JSON.stringify(result);
    withJsonMs.push(performance.now() - start);
    if (!result.ok) throw new Error(result.error.message);
    items = (result.result as { items: unknown[] }).items.length;
    bytes = text.length;
  }
  await close();
  console.log(
    JSON.stringify({
      bench: 'schedule-range',
      channels: CHANNELS,
      days: DAYS,
      itemsPerDay: PER_DAY,
      items,
      payloadBytes: bytes,
      dispatchMs: summarize(dispatchMs),
      dispatchPlusJsonMs: summarize(withJsonMs),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
