// Transcode ingest of a 1080p source: our queued job against the very same encode arguments
// run by hand with spawn. ratio = hand / ours (1 = no overhead; goal ≥ 0.95). The job is the
// air phase (time to `ready`, main rendition only); the preview phase is reported apart.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HouseProfileSchema } from '../src-shared/contract';
import { buildIngestEncodeArgs, runFfmpeg } from '../src-main/core/ffmpeg/index';
import { runFfmpegCli } from '../tests/helpers/media-fixtures';
import { mkdirSync } from 'node:fs';
import { openIngestBench, startCpuClock } from './ingest-bench-setup';

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
    const cpu = startCpuClock();
    const jobStart = performance.now();
    bench.ingest.enqueue(id);
    const state = await bench.ingest.whenSettled(id);
    const jobMs = performance.now() - jobStart;
    const jobCpuMs = cpu.elapsedMs();
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
        jobCpuMs,
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
