// How long the demo's schedule write takes for 500 channels × 24 h (1.2 M rows), on a real
// core (playout engine listening) with stand-in ready assets of the demo clips' lengths, so
// no ffmpeg runs. One JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore } from '../src-main/core/create-core';
import { silentLogger } from '../src-main/core/logger';
import { channelStagger, planChannel, type PlanClip } from '../src-main/core/demo/demo-plan';
import { createDemoScheduleWriter } from '../src-main/core/demo/demo-schedule-writer';
import { demoChannelName } from '../src-main/core/demo/seed-demo';
import { demoClipSet } from '../src-main/core/demo/demo-clips';

const CHANNELS = Number(process.env.PLAYOUT_CHANNELS ?? 500);
const HOURS = 24;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'airdeck-bench-seed-'));
  const core = await createCore({
    dataDir: dir,
    mode: 'headless',
    version: 'bench',
    logger: silentLogger,
  });
  try {
    const db = core.context.db;
    const addAsset = db.prepare(
      `INSERT INTO assets (folder_id, name, source_kind, source_location, state, duration_ms, created_at, updated_at)
     VALUES (1, ?, 'file', ?, 'ready', ?, 0, 0)`,
    );
    const programmes: PlanClip[] = [];
    const ads: PlanClip[] = [];
    for (const clip of demoClipSet()) {
      const id = Number(
        addAsset.run(clip.file, `/demo/${clip.file}`, clip.durationS * 1000).lastInsertRowid,
      );
      (clip.kind === 'ad' ? ads : programmes).push({
        assetId: id,
        durationMs: clip.durationS * 1000,
        title: clip.title,
      });
    }
    const t0 = performance.now();
    const channelIds: number[] = [];
    for (let i = 0; i < CHANNELS; i += 1) {
      const answer = await core.dispatch('channelCreate', { ...demoChannelName(i), number: i + 1 });
      if (!answer.ok) throw new Error(answer.error.message);
      channelIds.push((answer.result as { id: number }).id);
    }
    const channelsMs = performance.now() - t0;
    const startsAt = Math.ceil(Date.now() / 60_000) * 60_000;
    // Planned lazily, one channel at a time, as the demo does.
    let planMs = 0;
    function* schedules() {
      for (const [index, channelId] of channelIds.entries()) {
        const t = performance.now();
        const items = planChannel({
          channelIndex: index,
          startsAt: startsAt + channelStagger(index, false),
          hours: HOURS,
          programmes,
          ads,
          short: false,
        });
        planMs += performance.now() - t;
        yield { channelId, items };
      }
    }
    const cpu0 = process.cpuUsage();
    const t2 = performance.now();
    const rows = createDemoScheduleWriter(db, core.bus)(schedules(), Date.now());
    const writeMs = performance.now() - t2;
    const cpu = process.cpuUsage(cpu0);
    const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'playout-seed',
        channels: CHANNELS,
        hours: HOURS,
        rows,
        channelsMs: Math.round(channelsMs),
        planMs: Math.round(planMs),
        writeMs: Math.round(writeMs),
        writeCpuMs: Math.round((cpu.user + cpu.system) / 1000),
        rssMbAfter: rssMb,
        rowsPerS: Math.round(rows / (writeMs / 1000)),
      })}\n`,
    );
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
