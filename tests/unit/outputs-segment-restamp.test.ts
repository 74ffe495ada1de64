// Restamping on real segments from ffmpeg's HLS muxer: one clip with B-frames, one without
// (the DTS seam), different audio (the AAC seam), and a file longer than its plan (slate
// standing in for a short cut). Checked by ffmpeg decoding and by ffprobe's timestamps.
import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../src-main/core/ffmpeg/index';
import {
  TsConcatenator,
  createSegmentRestamper,
  gridTicks,
  type TimedFile,
} from '../../src-main/core/outputs/segment-restamp';
import { inspectTs } from '../../src-main/core/outputs/ts-inspect';
import { wrap33 } from '../../src-main/core/outputs/ts-packet';
import { runFfmpegCli } from '../helpers/media-fixtures';
import { makeTempDir } from '../helpers/temp-dir';

const FRAME = 3600;

function hlsArgs(source: string, audioHz: number, seconds: number, dir: string, bf: number) {
  return [
    ...['-f', 'lavfi', '-i', `${source}=size=320x180:rate=25`],
    ...['-f', 'lavfi', '-i', `sine=frequency=${audioHz}:sample_rate=48000`],
    ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'veryfast', '-bf', String(bf)],
    ...['-g', '50', '-keyint_min', '50', '-sc_threshold', '0'],
    ...['-force_key_frames', 'expr:gte(t,n_forced*2)', '-c:a', 'aac', '-ar', '48000'],
    ...['-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod'],
    ...['-hls_segment_filename', `${dir}-%03d.ts`, `${dir}.m3u8`],
  ];
}

function run(binary: string, args: string[]) {
  return new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(binary, args, { maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      error ? reject(error) : resolve({ stdout, stderr }),
    );
  });
}

async function times(file: string, stream: 'v' | 'a', field: 'pts' | 'dts'): Promise<number[]> {
  const { stdout } = await run(resolveFfmpeg().ffprobe.path, [
    ...['-v', 'error', '-select_streams', stream, '-show_entries', `packet=${field}`],
    ...['-of', 'csv=p=0', file],
  ]);
  return stdout
    .split('\n')
    .map((l) => l.replace(/,$/, '').trim())
    .filter((l) => /^-?\d+$/.test(l))
    .map(Number);
}

describe('restampSegment', () => {
  const tmp = makeTempDir('airdeck-restamp-');
  let plan: TimedFile[] = [];
  const restamper = createSegmentRestamper({ frameTicks: () => FRAME });

  beforeAll(async () => {
    await runFfmpegCli(hlsArgs('testsrc2', 440, 5, join(tmp.path, 'a'), 3));
    await runFfmpegCli(hlsArgs('mandelbrot', 880, 4.4, join(tmp.path, 'b'), 0));
    const files = readdirSync(tmp.path).sort();
    const pick = (prefix: string) =>
      files
        .filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.ts'))
        .map((f) => join(tmp.path, f));
    // A's first segment (2 s) planned for 160 ms only, as slate stands in for a short cut.
    const durations = [160, 2000, 1000, 2000, 2000, 400];
    // An instant off the 40 ms grid: plans are whole milliseconds, pictures whole frames.
    let at = 1_700_000_000_013;
    plan = [...pick('a'), ...pick('b')].map((path, i) => {
      const segment = { path, startsAt: at, durationMs: durations[i]! };
      at += durations[i]!;
      return segment;
    });
  }, 60_000);
  afterAll(() => tmp.remove());

  const serve = (i: number) => restamper.bytes(plan[i]!, i > 0 ? plan[i - 1]! : null);

  it('serves identical bytes for a segment whatever was asked before', async () => {
    expect(plan).toHaveLength(6);
    const forward: Buffer[] = [];
    for (let i = 0; i < plan.length; i++) forward.push(await serve(i));
    const fresh = createSegmentRestamper({ frameTicks: () => FRAME });
    for (let i = plan.length - 1; i >= 0; i--) {
      const again = await fresh.bytes(plan[i]!, i > 0 ? plan[i - 1]! : null);
      expect(again.equals(forward[i]!)).toBe(true);
    }
    // Each segment's first picture is shown at its planned start, on the frame grid.
    const first = inspectTs(forward[3]!).pes.get(0x100)?.[0]?.pts ?? -1;
    expect(wrap33(first)).toBe(wrap33(gridTicks(plan[3]!.startsAt, FRAME)));
  });

  // ffmpeg and ffprobe on a shared two-core machine can take longer than the default 5 s.
  it('joins into one timeline: one frame a step, rising DTS and audio, nothing to decode wrong', async () => {
    const joiner = new TsConcatenator();
    const parts: Buffer[] = [];
    for (let i = 0; i < plan.length; i++) parts.push(joiner.append(await serve(i)));
    const file = join(tmp.path, 'joined.ts');
    writeFileSync(file, Buffer.concat(parts));
    expect(inspectTs(Buffer.concat(parts)).continuityErrors).toBe(0);

    const pts = (await times(file, 'v', 'pts')).sort((x, y) => x - y);
    const planned = plan.reduce((sum, s) => sum + s.durationMs, 0) / 40;
    expect(pts).toHaveLength(planned);
    expect(pts.slice(1).every((p, i) => p - pts[i]! === FRAME)).toBe(true);
    const dts = await times(file, 'v', 'dts');
    expect(dts.every((d, i) => i === 0 || d > dts[i - 1]!)).toBe(true);
    const audio = await times(file, 'a', 'pts');
    expect(audio.every((a, i) => i === 0 || a > audio[i - 1]!)).toBe(true);
    const decoded = await run(resolveFfmpeg().ffmpeg.path, [
      '-v',
      'error',
      '-i',
      file,
      '-f',
      'null',
      '-',
    ]);
    expect(decoded.stderr.trim()).toBe('');
  }, 60_000);
});
