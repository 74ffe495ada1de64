// The splicer on real segments from ffmpeg's HLS muxer: two different clips (with B-frames, as
// the house encode has) and a 7-frame cut, checked by our own reader and by ffprobe.
import { execFile } from 'node:child_process';
import { createReadStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../src-main/core/ffmpeg/index';
import { inspectTs } from '../../src-main/core/outputs/ts-inspect';
import {
  readPcr,
  readTimestamp,
  unwrapNear,
  writePcr,
  writeTimestamp,
  wrap33,
} from '../../src-main/core/outputs/ts-packet';
import { TsTimelineRemuxer, type SegmentReport } from '../../src-main/core/outputs/ts-remuxer';
import { runFfmpegCli } from '../helpers/media-fixtures';
import { makeTempDir } from '../helpers/temp-dir';

const FRAME = 3600;
/** ffprobe prints times with 6 decimals; steps are compared with this slack. */
const SLACK_S = 0.002;

function ffprobeTimes(file: string, stream: 'v' | 'a', field: 'pts_time' | 'dts_time') {
  const { ffprobe } = resolveFfmpeg();
  return new Promise<number[]>((resolve, reject) => {
    execFile(
      ffprobe.path,
      [
        '-v',
        'error',
        '-show_packets',
        '-select_streams',
        stream,
        '-of',
        'csv=p=0:nk=1',
        '-show_entries',
        `packet=${field}`,
        file,
      ],
      { maxBuffer: 64 << 20 },
      (error, stdout) =>
        error
          ? reject(error)
          : resolve(
              stdout
                .split('\n')
                .map((l) => l.split(',')[0]?.trim() ?? '')
                .filter((l) => l !== '' && l !== 'N/A')
                .map(Number),
            ),
    );
  });
}

const maxStep = (sorted: number[]) =>
  sorted.slice(1).reduce((m, t, i) => Math.max(m, t - sorted[i]!), 0);
const isStrictlyIncreasing = (values: number[]) =>
  values.every((v, i) => i === 0 || v > values[i - 1]!);

function hlsArgs(
  source: string,
  audioHz: number,
  seconds: number,
  dir: string,
  gopFrames = 50,
): string[] {
  return [
    '-f',
    'lavfi',
    '-i',
    `${source}=size=320x180:rate=25`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${audioHz}:sample_rate=48000`,
    '-t',
    String(seconds),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-g',
    String(gopFrames),
    '-keyint_min',
    String(gopFrames),
    '-sc_threshold',
    '0',
    '-force_key_frames',
    'expr:gte(t,n_forced*2)',
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    '-ac',
    '2',
    '-ar',
    '48000',
    '-f',
    'hls',
    '-hls_time',
    '2',
    '-hls_playlist_type',
    'vod',
    '-hls_segment_type',
    'mpegts',
    '-hls_segment_filename',
    `${dir}-%03d.ts`,
    `${dir}.m3u8`,
  ];
}

async function splice(
  files: string[],
  output: string,
  remuxer = new TsTimelineRemuxer(),
): Promise<SegmentReport[]> {
  const reports: SegmentReport[] = [];
  const chunks: Buffer[] = [];
  for (const file of files) {
    for await (const chunk of remuxer.segment(
      createReadStream(file, { highWaterMark: 7000 }),
      (r) => reports.push(r),
    ))
      chunks.push(chunk);
  }
  writeFileSync(output, Buffer.concat(chunks));
  return reports;
}

describe('TsTimelineRemuxer', () => {
  const tmp = makeTempDir('airdeck-remux-');
  let clipA: string[] = [];
  let clipB: string[] = [];
  let cut: string[] = [];

  beforeAll(async () => {
    await runFfmpegCli(hlsArgs('testsrc2', 440, 5, join(tmp.path, 'a')));
    await runFfmpegCli(hlsArgs('mandelbrot', 880, 4.4, join(tmp.path, 'b')));
    // A programme cut short after 7 frames, as a hard cut leaves its last segment.
    await runFfmpegCli(hlsArgs('smptebars', 300, 0.28, join(tmp.path, 'c')));
    const files = readdirSync(tmp.path).sort();
    const pick = (prefix: string) =>
      files
        .filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.ts'))
        .map((f) => join(tmp.path, f));
    clipA = pick('a');
    clipB = pick('b');
    cut = pick('c');
  }, 60_000);
  afterAll(() => tmp.remove());

  it('rewrites timestamps and PCR bit-exactly, wrap-around included', () => {
    const buf = new Uint8Array(6);
    for (const value of [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 33 - 1, 8_589_934_000]) {
      buf.fill(0x21);
      writeTimestamp(buf, 0, value);
      expect(readTimestamp(buf, 0)).toBe(value);
      expect(buf[0]! & 0xf0).toBe(0x20);
      writePcr(buf, 0, value, 299);
      expect(readPcr(buf, 0)).toEqual({ base: value, ext: 299 });
    }
    writeTimestamp(buf, 0, 2 ** 33 + 5);
    expect(readTimestamp(buf, 0)).toBe(5);
    expect(wrap33(-1)).toBe(2 ** 33 - 1);
    expect(unwrapNear(5, 2 ** 33 - 10)).toBe(2 ** 33 + 5);
    expect(unwrapNear(2 ** 33 - 10, 5)).toBe(-10);
  });

  it('splices two clips and a 7-frame cut into one continuous timeline', async () => {
    expect(clipA.length).toBeGreaterThanOrEqual(3);
    expect(cut).toHaveLength(1);
    const order = [...clipA, ...cut, ...clipB, ...clipA.slice(0, 1)];
    const output = join(tmp.path, 'spliced.ts');
    const reports = await splice(order, output);
    expect(reports.every((r) => r.skippedBytes === 0)).toBe(true);
    // Each segment starts exactly where the previous one ended.
    for (let i = 1; i < reports.length; i++)
      expect(reports[i]!.firstVideoDts).toBe(reports[i - 1]!.endTicks);

    const timeline = inspectTs(readFileSync(output));
    expect(timeline.continuityErrors).toBe(0);
    expect(timeline.discontinuities).toBe(0);
    const video = timeline.pes.get(0x100)!;
    const audio = timeline.pes.get(0x101)!;
    expect(isStrictlyIncreasing(video.map((v) => v.dts))).toBe(true);
    expect(isStrictlyIncreasing(audio.map((a) => a.pts))).toBe(true);
    const shown = video.map((v) => v.pts).sort((a, b) => a - b);
    expect(maxStep(shown)).toBe(FRAME);
    expect(isStrictlyIncreasing(timeline.pcr)).toBe(true);
    // The PCR never runs ahead of the frame it clocks.
    expect(timeline.pcr[0]!).toBeLessThanOrEqual(video[0]!.dts);

    const vPts = (await ffprobeTimes(output, 'v', 'pts_time')).sort((a, b) => a - b);
    const vDts = await ffprobeTimes(output, 'v', 'dts_time');
    const aPts = await ffprobeTimes(output, 'a', 'pts_time');
    const frames = reports.length;
    expect(vPts.length).toBeGreaterThan(frames);
    expect(isStrictlyIncreasing(vPts)).toBe(true);
    expect(maxStep(vPts)).toBeLessThanOrEqual(0.04 + SLACK_S);
    expect(isStrictlyIncreasing(vDts)).toBe(true);
    expect(isStrictlyIncreasing(aPts)).toBe(true);
    expect(maxStep(aPts)).toBeLessThanOrEqual(0.04 + SLACK_S);
    // Decodes cleanly end to end (no corrupt frames at the joins).
    await expect(runFfmpegCli(['-i', output, '-f', 'null', '-'])).resolves.toBeUndefined();
    // Roughly the sum of its parts: 5 + 0.28 + 4.4 + 2 seconds of pictures.
    expect(vPts.at(-1)! - vPts[0]!).toBeCloseTo(11.68 - 0.04, 1);
  });

  it('continues across the 33-bit wrap', async () => {
    const output = join(tmp.path, 'wrapped.ts');
    const remuxer = new TsTimelineRemuxer({ startTicks: 2 ** 33 - 3 * 90_000 });
    const reports = await splice([...clipA, ...clipB], output, remuxer);
    expect(reports.at(-1)!.endTicks).toBeGreaterThan(2 ** 33);
    const timeline = inspectTs(readFileSync(output));
    const video = timeline.pes.get(0x100)!;
    expect(isStrictlyIncreasing(video.map((v) => v.dts))).toBe(true);
    expect(maxStep(video.map((v) => v.pts).sort((a, b) => a - b))).toBe(FRAME);
    expect(timeline.continuityErrors).toBe(0);
  });

  it('skips garbage before a segment and keeps going', async () => {
    const broken = join(tmp.path, 'garbage.ts');
    writeFileSync(broken, Buffer.concat([Buffer.from('not a ts'), readFileSync(clipB[0]!)]));
    const reports = await splice([clipA[0]!, broken], join(tmp.path, 'g.ts'));
    expect(reports[1]!.skippedBytes).toBe(8);
    expect(reports[1]!.firstVideoDts).toBe(reports[0]!.endTicks);
  });
});
