// The demo station's plan on 500 channels (by default) in a temp database, without HTTP or
// ffmpeg: stand-in ready assets with 2 s segment rows (so nothing is slate), every channel on
// air from START, the clock driven by hand. Shared by the playout benches that measure the
// core's own blocks of work.
import type { Database } from 'better-sqlite3';
import type { EventBus } from '../src-main/core/events/event-bus';
import { createEngineHarness } from '../tests/helpers/playout-engine-harness';
import { channelStagger, planChannel, type PlanClip } from '../src-main/core/demo/demo-plan';
import { createDemoScheduleWriter } from '../src-main/core/demo/demo-schedule-writer';
import { demoClipSet } from '../src-main/core/demo/demo-clips';

export const START = Math.ceil(Date.now() / 60_000) * 60_000;

export function createBenchStation(channels: number, hours: number) {
  const harness = createEngineHarness('airdeck-bench-station-', START, (db, bus) =>
    seed(db, bus, channels, hours),
  );
  for (let c = 1; c <= channels; c += 1) {
    harness.store.saveState({ channel_id: c, on_air: 1, epoch_at: START, held_since: null });
  }
  return harness;
}
export type BenchStation = ReturnType<typeof createBenchStation>;

function seed(db: Database, bus: EventBus, channels: number, hours: number) {
  const programmes: PlanClip[] = [];
  const ads: PlanClip[] = [];
  const asset = db.prepare(
    `INSERT INTO assets (folder_id, name, source_kind, source_location, state, duration_ms, created_at, updated_at)
     VALUES (1, ?, 'file', ?, 'ready', ?, 0, 0)`,
  );
  const rendition = db.prepare(
    `INSERT INTO renditions (asset_id, kind, dir, width, height, bandwidth, duration_ms) VALUES (?, ?, ?, 1280, 720, 1, ?)`,
  );
  const segment = db.prepare(`INSERT INTO segments VALUES (?, ?, ?, ?, ?, 100)`);
  for (const clip of demoClipSet()) {
    const ms = clip.durationS * 1000;
    const id = Number(asset.run(clip.file, `/demo/${clip.file}`, ms).lastInsertRowid);
    for (const kind of ['main', 'proxy']) {
      const r = rendition.run(id, kind, `${id}/${kind}`, ms).lastInsertRowid;
      for (let seq = 0, at = 0; at < ms; seq += 1, at += 2000) {
        segment.run(r, seq, `s${seq}.ts`, at, Math.min(2000, ms - at));
      }
    }
    (clip.kind === 'ad' ? ads : programmes).push({
      assetId: id,
      durationMs: ms,
      title: clip.title,
    });
  }
  const channel = db.prepare(
    `INSERT INTO channels (id, name, number, slug, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)`,
  );
  for (let c = 1; c <= channels; c += 1) channel.run(c, `Channel ${c}`, c, `channel-${c}`);
  createDemoScheduleWriter(db, bus)(
    (function* () {
      for (let i = 0; i < channels; i += 1) {
        const items = planChannel({
          channelIndex: i,
          startsAt: START + channelStagger(i, false),
          hours: hours,
          programmes,
          ads,
          short: false,
        });
        yield { channelId: i + 1, items };
      }
    })(),
    START,
  );
}
