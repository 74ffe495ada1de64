import { describe, expect, it } from 'vitest';
import {
  createProgressParser,
  parseFfmpegTimestamp,
} from '../../src-main/core/ffmpeg/progress-parser';
import type { FfmpegProgress } from '../../src-main/core/ffmpeg/progress-parser';

// Captured from ffmpeg 5.1 (`-progress pipe:1 -nostats`), including its padded values.
const REAL_OUTPUT = [
  'frame=1',
  'fps=0.00',
  'stream_0_0_q=0.0',
  'bitrate=N/A',
  'total_size=48',
  'out_time_us=0',
  'out_time_ms=0',
  'out_time=00:00:00.000000',
  'dup_frames=0',
  'drop_frames=0',
  'speed=   0x',
  'progress=continue',
  'frame=25',
  'fps=0.00',
  'stream_0_0_q=-1.0',
  'bitrate= 799.2kbits/s',
  'total_size=102061',
  'out_time_us=1021678',
  'out_time_ms=1021678',
  'out_time=00:00:01.021678',
  'dup_frames=0',
  'drop_frames=0',
  'speed=29.9x',
  'progress=end',
  '',
].join('\n');

function parseAll(chunks: string[], durationMs?: number): FfmpegProgress[] {
  const parser = createProgressParser({ durationMs });
  return chunks.flatMap((chunk) => parser.push(chunk));
}

describe('parseFfmpegTimestamp', () => {
  it('parses HH:MM:SS.frac into milliseconds', () => {
    expect(parseFfmpegTimestamp('01:02:03.45')).toBe(3_723_450);
    expect(parseFfmpegTimestamp('00:00:01.021678')).toBe(1022);
    expect(parseFfmpegTimestamp('00:00:00.000000')).toBe(0);
    expect(parseFfmpegTimestamp('100:00:00')).toBe(360_000_000);
  });

  it('accepts the shorter forms ffmpeg allows', () => {
    expect(parseFfmpegTimestamp('02:03.5')).toBe(123_500);
    expect(parseFfmpegTimestamp('12.25')).toBe(12_250);
    expect(parseFfmpegTimestamp('7')).toBe(7000);
    expect(parseFfmpegTimestamp(' 00:00:02.000 ')).toBe(2000);
  });

  it('keeps the sign of negative times', () => {
    expect(parseFfmpegTimestamp('-00:00:01.500')).toBe(-1500);
  });

  it('returns null for anything else', () => {
    for (const text of ['', 'N/A', 'abc', '1:2:3:4', '00:61:00', '00:00:60', '1e3', '--1', ':5']) {
      expect(parseFfmpegTimestamp(text), text).toBeNull();
    }
  });
});

describe('createProgressParser', () => {
  it('yields one progress object per block', () => {
    const result = parseAll([REAL_OUTPUT]);
    expect(result).toEqual([
      {
        frame: 1,
        fps: 0,
        bitrateKbps: null,
        totalSizeBytes: 48,
        outTimeMs: 0,
        speed: 0,
        done: false,
      },
      {
        frame: 25,
        fps: 0,
        bitrateKbps: 799.2,
        totalSizeBytes: 102061,
        outTimeMs: 1022,
        speed: 29.9,
        done: true,
      },
    ]);
  });

  it('gives the same result however the stream is split', () => {
    const whole = parseAll([REAL_OUTPUT], 2000);
    for (let i = 0; i <= REAL_OUTPUT.length; i++) {
      expect(
        parseAll([REAL_OUTPUT.slice(0, i), REAL_OUTPUT.slice(i)], 2000),
        `split at ${i}`,
      ).toEqual(whole);
    }
    expect(parseAll([...REAL_OUTPUT], 2000)).toEqual(whole);
  });

  it('gives the same result with CRLF line endings split anywhere', () => {
    const crlf = REAL_OUTPUT.replaceAll('\n', '\r\n');
    const whole = parseAll([REAL_OUTPUT]);
    for (let i = 0; i <= crlf.length; i++) {
      expect(parseAll([crlf.slice(0, i), crlf.slice(i)])).toEqual(whole);
    }
  });

  it('emits a block only once its progress line is complete', () => {
    const parser = createProgressParser();
    expect(parser.push('frame=3\nout_time_us=40000\nprogress=cont')).toEqual([]);
    expect(parser.push('inue')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ frame: 3, outTimeMs: 40, done: false }]);
  });

  it('treats out_time_ms as microseconds, like ffmpeg does', () => {
    expect(parseAll(['out_time_ms=2500000\nprogress=continue\n'])[0]?.outTimeMs).toBe(2500);
  });

  it('falls back to out_time when the microsecond fields are missing or N/A', () => {
    const [a, b] = parseAll([
      'out_time=00:01:00.250000\nprogress=continue\n',
      'out_time_us=N/A\nout_time_ms=N/A\nout_time=00:00:03.000000\nprogress=continue\n',
    ]);
    expect(a?.outTimeMs).toBe(60_250);
    expect(b?.outTimeMs).toBe(3000);
  });

  it('turns N/A into null', () => {
    const [p] = parseAll([
      'frame=0\nbitrate=N/A\ntotal_size=N/A\nout_time_us=N/A\nout_time_ms=N/A\nout_time=N/A\nspeed=N/A\nprogress=continue\n',
    ]);
    expect(p).toEqual({ frame: 0, bitrateKbps: null, outTimeMs: null, speed: null, done: false });
  });

  it('ignores negative and garbage values', () => {
    const [p] = parseAll([
      [
        'frame=-1',
        'fps=abc',
        'bitrate=-5.0kbits/s',
        'total_size=12.5',
        'out_time_us=-9223372036854775807',
        'out_time_ms=-9223372036854775807',
        'out_time=-577014:32:22.775808',
        'speed=-1x',
        'progress=continue',
        '',
      ].join('\n'),
    ]);
    expect(p).toEqual({ outTimeMs: null, bitrateKbps: null, speed: null, done: false });
  });

  it('prefers a valid field over a broken one', () => {
    const [p] = parseAll(['out_time_us=garbage\nout_time_ms=1500000\nprogress=continue\n']);
    expect(p?.outTimeMs).toBe(1500);
  });

  it('ignores lines that are not key=value and unknown keys', () => {
    const [p] = parseAll(['\nhello\n=5\nstream_0_0_q=28.0\nframe=7\nprogress=continue\n']);
    expect(p).toEqual({ frame: 7, outTimeMs: null, done: false });
  });

  it('does not carry fields from one block into the next', () => {
    const [, second] = parseAll(['frame=5\nspeed=2x\nprogress=continue\nprogress=continue\n']);
    expect(second).toEqual({ outTimeMs: null, done: false });
  });

  it('computes percent from the expected duration, clamped to 0..100', () => {
    const result = parseAll(
      [
        'out_time_us=2500000\nprogress=continue\n',
        'out_time_us=15000000\nprogress=continue\n',
        'out_time_us=N/A\nprogress=continue\n',
      ],
      10_000,
    );
    expect(result.map((p) => p.percent)).toEqual([25, 100, undefined]);
  });

  it('reports 100 percent at progress=end even when out_time falls short', () => {
    const [p] = parseAll(['out_time_us=9000000\nprogress=end\n'], 10_000);
    expect(p).toMatchObject({ done: true, percent: 100, outTimeMs: 9000 });
  });

  it('omits percent without a usable duration', () => {
    expect(parseAll(['out_time_us=1\nprogress=end\n'])[0]).not.toHaveProperty('percent');
    expect(parseAll(['out_time_us=1\nprogress=end\n'], 0)[0]).not.toHaveProperty('percent');
  });

  it('keeps parsing blocks after an end block', () => {
    const result = parseAll(['frame=1\nprogress=end\nframe=2\nprogress=continue\n']);
    expect(result.map((p) => [p.frame, p.done])).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it('drops an absurdly long line instead of buffering it', () => {
    const parser = createProgressParser();
    parser.push('x'.repeat(200_000));
    expect(parser.push('\nframe=9\nprogress=continue\n')).toEqual([
      { frame: 9, outTimeMs: null, done: false },
    ]);
  });
});
