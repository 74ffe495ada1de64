import { describe, expect, it } from 'vitest';
import { buildTestPatternArgs } from '../../src-main/core/ffmpeg/command-builders';

describe('buildTestPatternArgs', () => {
  it('builds a testsrc2 + sine clip encoded to H.264/AAC MP4', () => {
    expect(
      buildTestPatternArgs({
        output: '/tmp/x.mp4',
        durationS: 5,
        width: 320,
        height: 240,
        fps: 30,
      }),
    ).toEqual([
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x240:rate=30:duration=5',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=1000:sample_rate=48000:duration=5',
      '-map',
      '0:v:0',
      '-map',
      '1:a:0',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-g',
      '60',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      '-ac',
      '2',
      '-shortest',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      '/tmp/x.mp4',
    ]);
  });

  it('defaults to 1280x720 at 25 fps', () => {
    const args = buildTestPatternArgs({ output: 'out.mp4', durationS: 1.5 });
    expect(args).toContain('testsrc2=size=1280x720:rate=25:duration=1.5');
    expect(args[args.indexOf('-g') + 1]).toBe('50');
  });

  it('keeps the output path as one argument, last', () => {
    const args = buildTestPatternArgs({ output: '/tmp/a dir/clip; rm -rf.mp4', durationS: 1 });
    expect(args.at(-1)).toBe('/tmp/a dir/clip; rm -rf.mp4');
  });

  it('rejects values ffmpeg would choke on', () => {
    const ok = { output: 'o.mp4', durationS: 1 };
    expect(() => buildTestPatternArgs({ ...ok, durationS: 0 })).toThrow(RangeError);
    expect(() => buildTestPatternArgs({ ...ok, durationS: Number.NaN })).toThrow(RangeError);
    expect(() => buildTestPatternArgs({ ...ok, width: 321 })).toThrow(/even/);
    expect(() => buildTestPatternArgs({ ...ok, height: -2 })).toThrow(RangeError);
    expect(() => buildTestPatternArgs({ ...ok, fps: 29.97 })).toThrow(RangeError);
    expect(() => buildTestPatternArgs({ ...ok, output: '-evil' })).toThrow(/file path/);
    expect(() => buildTestPatternArgs({ ...ok, output: '' })).toThrow(RangeError);
  });
});
