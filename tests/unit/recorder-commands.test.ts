import { describe, expect, it } from 'vitest';
import {
  buildClipCutArgs,
  buildFrameGrabArgs,
  seekForFrameOnAir,
} from '../../src-main/core/ffmpeg/command-builders';

describe('screenshot and clip commands', () => {
  it('grabs one full-resolution frame after an output seek', () => {
    expect(
      buildFrameGrabArgs({ input: '/r/1.ts', seekSeconds: 1.2, format: 'png', output: '/o/1.png' }),
    ).toEqual([
      '-y',
      '-i',
      '/r/1.ts',
      '-ss',
      '1.200000',
      '-map',
      '0:v:0',
      '-frames:v',
      '1',
      '-c:v',
      'png',
      '-f',
      'image2',
      '-update',
      '1',
      '/o/1.png',
    ]);
    expect(
      buildFrameGrabArgs({ input: '/r/1.ts', seekSeconds: 0, format: 'jpeg', output: '/o/1.jpg' }),
    ).toContain('mjpeg');
  });

  it('re-encodes a clip from joined segments, audio optional', () => {
    const args = buildClipCutArgs({
      inputs: ['/r/a.ts', '/r/b.ts'],
      seekSeconds: 0.52,
      durationSeconds: 2,
      output: '/o/c.mp4',
    });
    expect(args.slice(0, 7)).toEqual([
      '-y',
      '-i',
      'concat:/r/a.ts|/r/b.ts',
      '-ss',
      '0.520000',
      '-t',
      '2.000000',
    ]);
    expect(args).toContain('0:a:0?');
    expect(args).toContain('libx264');
    expect(args.at(-1)).toBe('/o/c.mp4');
  });

  it('refuses what ffmpeg would misread', () => {
    expect(() =>
      buildClipCutArgs({
        inputs: ['/r/a|b.ts'],
        seekSeconds: 0,
        durationSeconds: 1,
        output: '/o.mp4',
      }),
    ).toThrow();
    expect(() =>
      buildClipCutArgs({ inputs: [], seekSeconds: 0, durationSeconds: 1, output: '/o.mp4' }),
    ).toThrow();
    expect(() =>
      buildFrameGrabArgs({ input: '/a.ts', seekSeconds: -1, format: 'png', output: '/o.png' }),
    ).toThrow();
    expect(() =>
      buildFrameGrabArgs({ input: '/a.ts', seekSeconds: 0, format: 'png', output: '-o.png' }),
    ).toThrow();
  });

  it('seeks onto the frame on air at an instant, B-frame order and rounding included', () => {
    // 25 fps from start 1.4 s; packets in decode order.
    const pts = [1.4, 1.52, 1.44, 1.48, 1.6, 1.56];
    expect(seekForFrameOnAir(pts, 1.4, 0.13)).toBeCloseTo(0.12 - 0.0001, 6); // frame 1.52 is on air
    expect(seekForFrameOnAir(pts, 1.4, 0.1196)).toBeCloseTo(0.12 - 0.0001, 6); // within half a ms of it
    expect(seekForFrameOnAir(pts, 1.4, 0.119)).toBeCloseTo(0.08 - 0.0001, 6);
    expect(seekForFrameOnAir([1.5, 1.54], 1.4, 0)).toBeCloseTo(0.1 - 0.0001, 6); // audio starts first
    expect(() => seekForFrameOnAir([], 0, 0)).toThrow();
  });
});
