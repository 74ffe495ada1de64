import { describe, expect, it } from 'vitest';
import {
  buildFilmstripArgs,
  buildIngestEncodeArgs,
  buildPosterArgs,
  buildProxyEncodeArgs,
  buildTestPatternArgs,
} from '../../src-main/core/ffmpeg/command-builders';

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

describe('ingest builders', () => {
  const profile = {
    width: 1280,
    height: 720,
    fps: 25,
    videoBitrateKbps: 4000,
    audioBitrateKbps: 128,
    segmentSeconds: 2,
    proxyWidth: 480,
    proxyHeight: 270,
    proxyVideoBitrateKbps: 400,
  };
  const base = {
    input: '/src/it\'s "a" clip.mp4',
    mainDir: '/m/1.partial-a/main',
    proxyDir: '/m/1.partial-a/proxy',
    profile,
    method: 'transcode' as const,
    hasVideo: true,
    hasAudio: true,
    interlaced: false,
    gainDb: -1.9,
    durationS: 6,
  };
  const valueAfter = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

  it('transcodes into two HLS outputs with keyframes on every segment boundary', () => {
    const args = buildIngestEncodeArgs(base);
    expect(args.slice(0, 3)).toEqual(['-y', '-i', base.input]);
    const graph = valueAfter(args, '-filter_complex') ?? '';
    expect(graph).toContain(
      'fps=25,scale=1280:720:force_original_aspect_ratio=decrease:force_divisible_by=2,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p',
    );
    expect(graph).not.toContain('bwdif');
    expect(graph).toContain('volume=-1.90dB');
    expect(args.filter((a) => a === 'libx264')).toHaveLength(2);
    expect(args.filter((a) => a === 'expr:gte(t,n_forced*2)')).toHaveLength(2);
    expect(args.filter((a) => a === '-keyint_min').length).toBe(2);
    expect(valueAfter(args, '-g')).toBe('50');
    expect(args).toContain('/m/1.partial-a/main/seg_%05d.ts');
    expect(args.at(-1)).toBe('/m/1.partial-a/proxy/index.m3u8');
  });

  it('copies the video when remuxing and still encodes the proxy', () => {
    const args = buildIngestEncodeArgs({ ...base, method: 'remux' });
    expect(args.slice(args.indexOf('-c:v'), args.indexOf('-c:v') + 2)).toEqual(['-c:v', 'copy']);
    expect(args.filter((a) => a === 'libx264')).toHaveLength(1);
  });

  it('writes the main rendition alone when no proxy folder is given', () => {
    const { proxyDir: _proxy, ...mainOnly } = base;
    const transcode = buildIngestEncodeArgs(mainOnly);
    expect(transcode.filter((a) => a === 'libx264')).toHaveLength(1);
    expect(transcode.filter((a) => a === '-f' || a === 'hls')).toEqual(['-f', 'hls']);
    expect(valueAfter(transcode, '-filter_complex')).not.toMatch(/split/);
    expect(valueAfter(transcode, '-filter_complex')).toMatch(/\[vmain\];\[0:a:0\].*\[amain\]$/);
    expect(transcode.at(-1)).toBe('/m/1.partial-a/main/index.m3u8');

    const remux = buildIngestEncodeArgs({ ...mainOnly, method: 'remux' });
    expect(remux).not.toContain('libx264');
    expect(remux.slice(remux.indexOf('-c:v'), remux.indexOf('-c:v') + 2)).toEqual(['-c:v', 'copy']);
    expect(valueAfter(remux, '-filter_complex')).toBe(
      '[0:a:0]aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,volume=-1.90dB:precision=float,apad[amain]',
    );

    // House audio at the target: both streams copied, no filter graph at all.
    const copy = buildIngestEncodeArgs({ ...mainOnly, method: 'remux', copyAudio: true });
    expect(copy).not.toContain('-filter_complex');
    expect(copy).not.toContain('aac');
    expect(copy.slice(copy.indexOf('-map'), copy.indexOf('-map') + 4)).toEqual([
      '-map',
      '0:v:0',
      '-c:v',
      'copy',
    ]);
    expect(copy.slice(copy.lastIndexOf('-map'), copy.lastIndexOf('-map') + 4)).toEqual([
      '-map',
      '0:a:0',
      '-c:a',
      'copy',
    ]);
    expect(() => buildIngestEncodeArgs({ ...mainOnly, copyAudio: true })).toThrow(RangeError);
    expect(() => buildIngestEncodeArgs({ ...base, method: 'remux', copyAudio: true })).toThrow(
      RangeError,
    );
  });

  it('makes the proxy from the main playlist, keyframes on the main segment boundaries', () => {
    const args = buildProxyEncodeArgs({
      mainPlaylist: '/m/1/main/index.m3u8',
      proxyDir: '/m/1.partial-b/proxy',
      proxyWidth: 480,
      proxyHeight: 270,
      proxyVideoBitrateKbps: 400,
      fps: 25,
      segmentSeconds: 2,
      durationS: 6,
    });
    expect(args.slice(0, 3)).toEqual(['-y', '-i', '/m/1/main/index.m3u8']);
    expect(valueAfter(args, '-filter_complex')).toContain('scale=480:270');
    expect(valueAfter(args, '-filter_complex')).toContain('volume=0.00dB');
    expect(valueAfter(args, '-g')).toBe('50');
    expect(valueAfter(args, '-keyint_min')).toBe('50');
    expect(valueAfter(args, '-force_key_frames')).toBe('expr:gte(t,n_forced*2)');
    expect(valueAfter(args, '-b:a')).toBe('64k');
    expect(valueAfter(args, '-t')).toBe('6.000');
    expect(valueAfter(args, '-hls_time')).toBe('2');
    expect(args.at(-1)).toBe('/m/1.partial-b/proxy/index.m3u8');
    const ok = {
      mainPlaylist: 'i.m3u8',
      proxyDir: '/p',
      proxyWidth: 480,
      proxyHeight: 270,
      proxyVideoBitrateKbps: 400,
      fps: 25,
      segmentSeconds: 2,
      durationS: 6,
    };
    expect(() => buildProxyEncodeArgs({ ...ok, segmentSeconds: 0.05 })).toThrow(/whole number/);
    expect(() => buildProxyEncodeArgs({ ...ok, proxyDir: '-x' })).toThrow(RangeError);
    expect(() => buildProxyEncodeArgs({ ...ok, durationS: 0 })).toThrow(RangeError);
  });

  it('deinterlaces, and invents the missing stream of audio- or video-only sources', () => {
    expect(
      valueAfter(buildIngestEncodeArgs({ ...base, interlaced: true }), '-filter_complex'),
    ).toContain('bwdif=mode=send_frame');
    const audioOnly = buildIngestEncodeArgs({ ...base, hasVideo: false });
    expect(audioOnly).toContain('color=c=black:s=1280x720:r=25');
    expect(valueAfter(audioOnly, '-filter_complex')).toMatch(/^\[1:v:0\]/);
    const videoOnly = buildIngestEncodeArgs({ ...base, hasAudio: false });
    expect(videoOnly).toContain('anullsrc=channel_layout=stereo:sample_rate=48000');
  });

  it('refuses impossible plans', () => {
    expect(() => buildIngestEncodeArgs({ ...base, hasAudio: false, hasVideo: false })).toThrow(
      RangeError,
    );
    expect(() => buildIngestEncodeArgs({ ...base, method: 'remux', interlaced: true })).toThrow(
      RangeError,
    );
    expect(() => buildIngestEncodeArgs({ ...base, mainDir: '-x' })).toThrow(RangeError);
  });

  it('builds poster and filmstrip jobs', () => {
    expect(buildPosterArgs('/m/main/seg_00001.ts', '/m/poster.jpg')).toEqual([
      '-y',
      '-i',
      '/m/main/seg_00001.ts',
      '-map',
      '0:v:0',
      '-frames:v',
      '1',
      '-vf',
      'scale=640:-2',
      '-q:v',
      '3',
      '-update',
      '1',
      '/m/poster.jpg',
    ]);
    const strip = buildFilmstripArgs({
      playlist: '/m/proxy/index.m3u8',
      output: '/m/filmstrip.jpg',
      everyKeyframe: 3,
      columns: 10,
      rows: 4,
      tileWidth: 160,
      tileHeight: 90,
    });
    expect(strip.slice(0, 3)).toEqual(['-y', '-skip_frame', 'nokey']);
    expect(strip).toContain("select='not(mod(n\\,3))',scale=160:90,tile=10x4");
  });
});
