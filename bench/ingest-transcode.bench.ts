// Transcode ingest of a 1080p source: our queued job against the very same encode arguments
// run by hand with spawn. ratio = hand / ours (1 = no overhead; goal ≥ 0.95). The job is the
// air phase (time to `ready`, main rendition only); the preview phase is reported apart.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HouseProfileSchema } from '../src-shared/contract';
import { buildIngestEncodeArgs, runFfmpeg } from '../src-main/core/ffmpeg/index';
import { runFfmpegCli } from '../tests/helpers/media-fixtures';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { systemClock } from '../src-main/core/clock/clock';
import type { CoreContext } from '../src-main/core/core-context';
import { openDatabase } from '../src-main/core/db/open-database';
import { EventBus } from '../src-main/core/events/event-bus';
import { createFfmpegRegistry, resolveFfmpeg } from '../src-main/core/ffmpeg/index';
import { createIngestService } from '../src-main/core/ingest/ingest-service';
import { silentLogger } from '../src-main/core/logger';
import { createSettingsService } from '../src-main/core/settings/settings-service';

/** The ingest service on a temp data folder, built as the core builds it. */
function openIngestBench() {
  const dir = mkdtempSync(join(tmpdir(), 'airdeck-bench-ingest-'));
  const dataDir = join(dir, 'data');
  const mediaDir = join(dataDir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  const { db } = openDatabase(join(dataDir, 'airdeck.db'));
  const bus = new EventBus();
  const binaries = resolveFfmpeg();
  const registry = createFfmpegRegistry();
  const context: CoreContext = {
    db,
    bus,
    clock: systemClock,
    logger: silentLogger,
    dataDir,
    mediaDir,
    settings: createSettingsService(db, bus, () => Date.now()),
    ffmpeg: {
      status: { path: binaries.ffmpeg.path, source: binaries.ffmpeg.source, version: null },
      binaries,
      registry,
    },
  };
  const ingest = createIngestService(context);
  return {
    dir,
    binaries,
    context,
    ingest,
    insertAsset(path: string): number {
      const row = db
        .prepare(
          `INSERT INTO assets (folder_id, name, source_kind, source_location, state, created_at, updated_at)
           VALUES (1, 'bench', 'file', ?, 'probing', 0, 0)`,
        )
        .run(path);
      return Number(row.lastInsertRowid);
    },
    async close() {
      await ingest.close();
      await registry.killAll();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const SECONDS = Number(process.env.BENCH_TRANSCODE_SECONDS ?? 30);

async function main(): Promise<void> {
  const bench = openIngestBench();
  try {
    const source = join(bench.dir, 'source.mp4');
    await runFfmpegCli([
      ...['-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=25:duration=${SECONDS}`],
      ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
      source,
    ]);

    const id = bench.insertAsset(source);
    const jobStart = performance.now();
    bench.ingest.enqueue(id);
    const state = await bench.ingest.whenSettled(id);
    const jobMs = performance.now() - jobStart;
    if (state !== 'ready') throw new Error(`ingest ended ${state}`);
    const preview = await bench.ingest.whenPreviewSettled(id);
    const previewMs = performance.now() - jobStart - jobMs;
    if (preview !== 'ready') throw new Error(`preview ended ${preview}`);

    const encodeArgs = (dir: string) => {
      mkdirSync(join(dir, 'main'), { recursive: true });
      return buildIngestEncodeArgs({
        input: source,
        mainDir: join(dir, 'main'),
        profile: HouseProfileSchema.parse({}),
        method: 'transcode',
        hasVideo: true,
        hasAudio: true,
        interlaced: false,
        gainDb: -1.9,
        durationS: SECONDS,
      });
    };

    // The encode step through our wrapper (progress pipe, registry) …
    const wrappedStart = performance.now();
    await runFfmpeg(encodeArgs(join(bench.dir, 'wrapped')), {
      binary: bench.binaries.ffmpeg.path,
      registry: bench.context.ffmpeg.registry,
      durationMs: SECONDS * 1000,
    }).done;
    const wrappedMs = performance.now() - wrappedStart;

    // … and the same arguments by hand.
    const handStart = performance.now();
    const hand = spawnSync(
      bench.binaries.ffmpeg.path,
      ['-hide_banner', '-nostdin', '-v', 'error', ...encodeArgs(join(bench.dir, 'hand'))],
      { stdio: 'ignore' },
    );
    const handMs = performance.now() - handStart;
    if (hand.status !== 0) throw new Error(`hand-run ffmpeg exited ${hand.status}`);

    const r = (x: number) => Math.round(x * 1000) / 1000;
    process.stdout.write(
      `${JSON.stringify({
        bench: 'ingest-transcode',
        sourceSeconds: SECONDS,
        source: '1920x1080 25 fps H.264',
        handMs: Math.round(handMs),
        encodeStepMs: Math.round(wrappedMs),
        encodeStepRatio: r(handMs / wrappedMs),
        jobMs: Math.round(jobMs),
        jobRatio: r(handMs / jobMs),
        jobRealtimeX: r((SECONDS * 1000) / jobMs),
        previewMs: Math.round(previewMs),
        previewRealtimeX: r((SECONDS * 1000) / previewMs),
        goalRatio: 0.95,
      })}\n`,
    );
  } finally {
    await bench.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
