// Remux ingest of a source already in the house format (720p25 H.264, 2 s GOP aligned, stereo
// AAC 48 kHz at the −23 LUFS target), as multiples of real time: the air phase (probe,
// loudness, main copy checked as it is written, commit: time to `ready`; median of
// BENCH_REMUX_AIR_RUNS runs, with its CPU time), the preview phase after the last one (proxy
// from the main rendition, verify, poster, filmstrip), and the main-rendition copy step alone
// by hand. The same picture with a mono tone off the target is measured too: its video is
// copied but its audio re-encoded with the gain (`airWithAudioEncode…`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mkdirSync } from 'node:fs';
import { HouseProfileSchema } from '../src-shared/contract';
import { buildIngestEncodeArgs } from '../src-main/core/ffmpeg/index';
import { runFfmpegCli } from '../tests/helpers/media-fixtures';
import { median, openIngestBench, startCpuClock } from './ingest-bench-setup';

const SECONDS = Number(process.env.BENCH_REMUX_SECONDS ?? 120);
/** Air phases measured one after another on the same source (the median is reported). */
const AIR_RUNS = Math.max(1, Number(process.env.BENCH_REMUX_AIR_RUNS ?? 3));

async function main(): Promise<void> {
  const bench = openIngestBench();
  try {
    const makeSource = async (name: string, audio: string) => {
      const file = join(bench.dir, name);
      await runFfmpegCli([
        ...['-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=25:duration=${SECONDS}`],
        ...['-f', 'lavfi', '-i', audio],
        ...['-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '3000k', '-pix_fmt', 'yuv420p'],
        ...['-g', '50', '-keyint_min', '50', '-sc_threshold', '0', '-c:a', 'aac', '-b:a', '128k'],
        file,
      ]);
      return file;
    };
    const stereoTone = (amplitude: number) => {
      const wave = `${amplitude.toFixed(5)}*sin(2*PI*440*t)`;
      return `aevalsrc=exprs=${wave}|${wave}:s=48000:d=${SECONDS}`;
    };
    // A first cut sets the tone's level; the second sits on the target.
    const level = integratedLufs(
      bench.binaries.ffmpeg.path,
      await makeSource('level.mp4', stereoTone(0.05)),
    );
    const source = await makeSource('house.mp4', stereoTone(0.05 * 10 ** ((-23 - level) / 20)));
    const sourceLufs = integratedLufs(bench.binaries.ffmpeg.path, source);
    const needsGain = await makeSource(
      'house-mono-tone.mp4',
      `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`,
    );

    const airPhase = async (file: string) => {
      const assetId = bench.insertAsset(file);
      const cpu = startCpuClock();
      const start = performance.now();
      bench.ingest.enqueue(assetId);
      const state = await bench.ingest.whenSettled(assetId);
      const ms = performance.now() - start;
      const row = bench.context.db
        .prepare('SELECT ingest_method AS method, error FROM assets WHERE id = ?')
        .get(assetId) as { method: string; error: string | null };
      if (state !== 'ready' || row.method !== 'remux') {
        throw new Error(`expected a ready remux, got ${state} ${row.method} ${row.error ?? ''}`);
      }
      await bench.ingest.cancel(assetId);
      return { ms, cpuMs: cpu.elapsedMs() };
    };
    const gainRuns: { ms: number; cpuMs: number | null }[] = [];
    for (let run = 0; run < AIR_RUNS; run += 1) gainRuns.push(await airPhase(needsGain));

    const airRuns: { ms: number; cpuMs: number | null }[] = [];
    let id = 0;
    for (let run = 0; run < AIR_RUNS; run += 1) {
      id = bench.insertAsset(source);
      const cpu = startCpuClock();
      const start = performance.now();
      bench.ingest.enqueue(id);
      const state = await bench.ingest.whenSettled(id);
      airRuns.push({ ms: performance.now() - start, cpuMs: cpu.elapsedMs() });
      const row = bench.context.db
        .prepare('SELECT ingest_method AS method, error FROM assets WHERE id = ?')
        .get(id) as { method: string; error: string | null };
      if (state !== 'ready' || row.method !== 'remux') {
        throw new Error(`expected a ready remux, got ${state} ${row.method} ${row.error ?? ''}`);
      }
      // Only the last asset's preview is measured; the others would hold up the next air phase.
      if (run < AIR_RUNS - 1) await bench.ingest.cancel(id);
    }
    const previewStart = performance.now();
    const preview = await bench.ingest.whenPreviewSettled(id);
    const previewMs = performance.now() - previewStart;
    if (preview !== 'ready') {
      const row = bench.context.db
        .prepare('SELECT preview_error FROM assets WHERE id = ?')
        .get(id) as { preview_error: string | null };
      throw new Error(`preview ${preview}: ${row.preview_error ?? ''}`);
    }
    const airMs = median(airRuns.map((r) => r.ms));
    const cpus = airRuns.map((r) => r.cpuMs).filter((c): c is number => c !== null);

    // The copy step alone: the ingest's own arguments for this source (video and audio copied),
    // run by hand.
    const out = join(bench.dir, 'copy');
    mkdirSync(out);
    const copyArgs = buildIngestEncodeArgs({
      input: source,
      mainDir: out,
      profile: HouseProfileSchema.parse({}),
      method: 'remux',
      hasVideo: true,
      hasAudio: true,
      interlaced: false,
      gainDb: 0,
      copyAudio: true,
      durationS: SECONDS,
    });
    const copyCpu = startCpuClock();
    const copyStart = performance.now();
    const copy = spawnSync(
      bench.binaries.ffmpeg.path,
      ['-hide_banner', '-nostdin', '-v', 'error', ...copyArgs],
      { stdio: 'ignore' },
    );
    if (copy.status !== 0) throw new Error(`hand-run copy exited ${copy.status}`);
    const copyMs = performance.now() - copyStart;
    const copyCpuMs = copyCpu.elapsedMs();

    const round = (x: number) => Math.round(x * 10) / 10;
    process.stdout.write(
      `${JSON.stringify({
        bench: 'ingest-remux',
        sourceSeconds: SECONDS,
        airMs: Math.round(airMs),
        airRealtimeX: round((SECONDS * 1000) / airMs),
        airRuns: airRuns.map((r) => round((SECONDS * 1000) / r.ms)),
        airCpuMs: cpus.length > 0 ? Math.round(median(cpus)) : null,
        sourceLufs: round(sourceLufs),
        airWithAudioEncodeRealtimeX: round((SECONDS * 1000) / median(gainRuns.map((r) => r.ms))),
        airWithAudioEncodeRuns: gainRuns.map((r) => round((SECONDS * 1000) / r.ms)),
        previewMs: Math.round(previewMs),
        previewRealtimeX: round((SECONDS * 1000) / previewMs),
        bothRealtimeX: round((SECONDS * 1000) / (airMs + previewMs)),
        mainCopyMs: Math.round(copyMs),
        mainCopyRealtimeX: round((SECONDS * 1000) / copyMs),
        mainCopyCpuMs: copyCpuMs,
        goalRealtimeX: 50,
      })}\n`,
    );
  } finally {
    await bench.close();
  }
}

/** Integrated loudness of a file's first audio stream (ffmpeg's ebur128 summary). */
function integratedLufs(ffmpeg: string, file: string): number {
  const run = spawnSync(
    ffmpeg,
    ['-hide_banner', '-nostdin', '-i', file, '-map', '0:a:0', '-af', 'ebur128', '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
  const summary = run.stderr.slice(run.stderr.lastIndexOf('Summary:'));
  const match = /I:\s*(-?[\d.]+) LUFS/.exec(summary);
  if (!match) throw new Error(`no loudness for ${file}: ${run.stderr.slice(-400)}`);
  return Number(match[1]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
