// Remux ingest of a source already in the house format (720p25 H.264, 2 s GOP aligned), as
// multiples of real time: the air phase (probe, keyframe scan + loudness, main copy, verify,
// commit: time to `ready`), the preview phase after it (proxy from the main rendition, verify,
// poster, filmstrip), and the main-rendition copy step alone by hand.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
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

const SECONDS = Number(process.env.BENCH_REMUX_SECONDS ?? 120);

async function main(): Promise<void> {
  const bench = openIngestBench();
  try {
    const source = join(bench.dir, 'house.mp4');
    await runFfmpegCli([
      ...['-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=25:duration=${SECONDS}`],
      ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '3000k', '-pix_fmt', 'yuv420p'],
      ...['-g', '50', '-keyint_min', '50', '-sc_threshold', '0', '-c:a', 'aac', '-b:a', '128k'],
      source,
    ]);

    const id = bench.insertAsset(source);
    const start = performance.now();
    bench.ingest.enqueue(id);
    const state = await bench.ingest.whenSettled(id);
    const airMs = performance.now() - start;
    const preview = await bench.ingest.whenPreviewSettled(id);
    const previewMs = performance.now() - start - airMs;
    const row = bench.context.db
      .prepare('SELECT ingest_method AS method, error, preview_error FROM assets WHERE id = ?')
      .get(id) as { method: string; error: string | null; preview_error: string | null };
    if (state !== 'ready' || row.method !== 'remux') {
      throw new Error(`expected a ready remux, got ${state} ${row.method} ${row.error ?? ''}`);
    }
    if (preview !== 'ready') throw new Error(`preview ${preview}: ${row.preview_error ?? ''}`);

    // The copy step alone: what the main rendition costs when no proxy is made.
    const out = join(bench.dir, 'copy');
    mkdirSync(out);
    const copyStart = performance.now();
    spawnSync(bench.binaries.ffmpeg.path, [
      ...[
        '-hide_banner',
        '-nostdin',
        '-v',
        'error',
        '-i',
        source,
        '-map',
        '0:v:0',
        '-map',
        '0:a:0',
      ],
      ...['-c:v', 'copy', '-c:a', 'aac', '-b:a', '128k', '-f', 'hls', '-hls_time', '2'],
      ...['-hls_playlist_type', 'vod', '-hls_segment_filename', join(out, 'seg_%05d.ts')],
      join(out, 'index.m3u8'),
    ]);
    const copyMs = performance.now() - copyStart;

    const round = (x: number) => Math.round(x * 10) / 10;
    process.stdout.write(
      `${JSON.stringify({
        bench: 'ingest-remux',
        sourceSeconds: SECONDS,
        airMs: Math.round(airMs),
        airRealtimeX: round((SECONDS * 1000) / airMs),
        previewMs: Math.round(previewMs),
        previewRealtimeX: round((SECONDS * 1000) / previewMs),
        bothRealtimeX: round((SECONDS * 1000) / (airMs + previewMs)),
        mainCopyMs: Math.round(copyMs),
        mainCopyRealtimeX: round((SECONDS * 1000) / copyMs),
        goalRealtimeX: 50,
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
