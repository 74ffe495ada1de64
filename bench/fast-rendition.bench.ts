// The cost of the review desk's fast-review rendition per source-hour, beside the plain way of
// making a low-rate rendition (decode every frame, keep 8 per second) in the same run. A 720p25
// recording with 2 s keyframe intervals is cut into 6 s MPEG-TS segments, as a recorded
// broadcast is; each segment is rendered both ways, one ffmpeg at a time, and the CPU time of the
// children is read from the kernel (cutime + cstime). Prints one JSON line.
//   FAST_BENCH_SECONDS=120 node bench/run.mjs fast-rendition
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFastRenditionArgs, resolveFfmpeg } from '../src-main/core/ffmpeg/index';

const SECONDS = Number(process.env.FAST_BENCH_SECONDS ?? 120);
const SEGMENT_S = 6;
const ffmpeg = resolveFfmpeg().ffmpeg.path;
const dir = mkdtempSync(join(tmpdir(), 'airdeck-fast-bench-'));

/** CPU seconds used by this process's finished children so far. */
function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ", field 3 is state; cutime and cstime are fields 16 and 17 (1-based).
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / 100;
}

function run(args: string[]): void {
  const result = spawnSync(ffmpeg, ['-hide_banner', '-v', 'error', '-nostdin', ...args]);
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr.toString()}`);
}

try {
  // The recording: 720p25 H.264 + AAC, a keyframe every 2 s, 6 s segments.
  run([
    ...['-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=25:duration=${SECONDS}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-g', '50', '-keyint_min', '50'],
    ...['-sc_threshold', '0', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k'],
    ...['-f', 'hls', '-hls_time', String(SEGMENT_S), '-hls_list_size', '0'],
    ...['-hls_segment_filename', join(dir, 'seg%03d.ts'), join(dir, 'index.m3u8')],
  ]);
  const segments = readdirSync(dir)
    .filter((f) => /^seg\d+\.ts$/.test(f))
    .sort();

  const ways = {
    /** Keyframes only, held at 8 fps, ≤480 px wide, audio copied (what the desk uses). */
    keyframesHeld: (input: string, output: string) =>
      buildFastRenditionArgs({ input, output, durationSeconds: SEGMENT_S }),
    /** The plain way: decode every frame, keep 8 per second, same size and audio. */
    everyFrameDecoded: (input: string, output: string) => [
      ...['-y', '-i', input, '-map', '0:v:0', '-map', '0:a:0?'],
      ...['-vf', "fps=8,scale='min(480,iw)':-2", '-c:v', 'libx264', '-preset', 'ultrafast'],
      ...['-bf', '0', '-pix_fmt', 'yuv420p', '-c:a', 'copy', '-copyts'],
      ...['-muxdelay', '0', '-muxpreload', '0', '-f', 'mpegts', output],
    ],
  };
  const originalBytes = segments.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  const results: Record<string, unknown> = {};
  for (const [name, argsFor] of Object.entries(ways)) {
    const cpuBefore = childCpuSeconds();
    const wallBefore = performance.now();
    let bytes = 0;
    let slowestMs = 0;
    for (const file of segments) {
      const output = join(dir, `${name}-${file}`);
      const started = performance.now();
      run(argsFor(join(dir, file), output));
      slowestMs = Math.max(slowestMs, performance.now() - started);
      bytes += statSync(output).size;
    }
    const cpu = childCpuSeconds() - cpuBefore;
    const wall = (performance.now() - wallBefore) / 1000;
    const mediaSeconds = segments.length * SEGMENT_S;
    results[name] = {
      cpuSecondsPerSourceHour: Math.round((cpu / mediaSeconds) * 3600),
      /** Media seconds made per wall second, one ffmpeg at a time. */
      speedX: Number((mediaSeconds / wall).toFixed(1)),
      slowestSegmentMs: Math.round(slowestMs),
      bytesOfOriginal: Number((bytes / originalBytes).toFixed(3)),
    };
  }
  console.log(
    JSON.stringify({
      bench: 'fast-rendition',
      source: '1280x720 25 fps H.264 + AAC, keyframe every 2 s',
      segments: segments.length,
      segmentSeconds: SEGMENT_S,
      ...results,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
