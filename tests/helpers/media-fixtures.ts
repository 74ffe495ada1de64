// Generated media for ingest, library and UI tests: every awkward source a station receives,
// made with ffmpeg's lavfi sources at test time (no media files in the repository). Clips are
// short and small so a suite of them stays fast on two cores.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFfmpeg } from '../../src-main/core/ffmpeg/index';

export type ClipOptions = {
  durationS?: number;
  width?: number;
  height?: number;
  fps?: number;
  /** Without video: an audio-only file. */
  video?: boolean;
  /** Without audio: a video-only file. */
  audio?: boolean;
  audioChannels?: number;
  audioRate?: number;
  /** Keyframe interval in frames (default: 2 s). */
  gopFrames?: number;
  pixelFormat?: string;
  /** Extra output arguments placed before the file name (codec overrides, metadata). */
  extraArgs?: string[];
  videoCodec?: string[];
};

let ffmpegPath: string | undefined;
function ffmpeg(): string {
  ffmpegPath ??= resolveFfmpeg().ffmpeg.path;
  return ffmpegPath;
}

export function runFfmpegCli(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(ffmpeg(), ['-hide_banner', '-v', 'error', '-y', ...args], (error, _out, stderr) =>
      error ? reject(new Error(`ffmpeg failed: ${stderr || error.message}`)) : resolve(),
    );
  });
}

/** A test-pattern clip with a tone; every property can be bent into an awkward case. */
export async function makeClip(output: string, options: ClipOptions = {}): Promise<string> {
  const {
    durationS = 4,
    width = 320,
    height = 180,
    fps = 25,
    video = true,
    audio = true,
    audioChannels = 2,
    audioRate = 48000,
    pixelFormat = 'yuv420p',
  } = options;
  const gop = options.gopFrames ?? fps * 2;
  const args: string[] = [];
  if (video) {
    args.push(
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${width}x${height}:rate=${fps}:duration=${durationS}`,
    );
  }
  if (audio) {
    const layout = audioChannels === 1 ? 'mono' : audioChannels === 6 ? '5.1' : 'stereo';
    args.push(
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:sample_rate=${audioRate}:duration=${durationS},aformat=channel_layouts=${layout}`,
    );
  }
  if (video) {
    args.push(
      ...(options.videoCodec ?? [
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        pixelFormat,
        '-g',
        String(gop),
        '-keyint_min',
        String(gop),
        '-sc_threshold',
        '0',
      ]),
    );
  }
  if (audio) args.push('-c:a', 'aac', '-b:a', '96k');
  args.push(...(options.extraArgs ?? []), output);
  await runFfmpegCli(args);
  return output;
}

/** Already in the default house format (1280x720, 25 fps, H.264, 2 s GOP): remuxed, not encoded. */
export function makeHouseClip(output: string, durationS = 4): Promise<string> {
  return makeClip(output, { durationS, width: 1280, height: 720, fps: 25, gopFrames: 50 });
}

export function makeEmptyFile(output: string): string {
  writeFileSync(output, '');
  return output;
}

/** Text with a video extension. */
export function makeNonMediaFile(output: string): string {
  writeFileSync(
    output,
    'This is not a video, it is a shopping list: milk, eggs, tape.\n'.repeat(50),
  );
  return output;
}

/**
 * A clip cut in half as an interrupted copy leaves it. `indexAtStart` (faststart MP4) keeps
 * the index readable, so the damage shows only when decoding; otherwise the index is lost.
 */
export async function makeTruncatedFile(
  output: string,
  options: { indexAtStart?: boolean; keep?: number } = {},
): Promise<string> {
  await makeClip(output, {
    durationS: 6,
    extraArgs: options.indexAtStart ? ['-movflags', '+faststart'] : [],
  });
  truncateSync(output, Math.floor(statSync(output).size * (options.keep ?? 0.5)));
  return output;
}

export function makeAudioOnly(output: string, durationS = 4): Promise<string> {
  // Mono 44.1 kHz: ingest has to upmix and resample as well as invent a picture.
  return makeClip(output, { durationS, video: false, audioChannels: 1, audioRate: 44100 });
}

export function makeVideoOnly(output: string, durationS = 4): Promise<string> {
  return makeClip(output, { durationS, audio: false });
}

/** 30 fps nominal with 4 frames in every 10 dropped: r_frame_rate and avg_frame_rate disagree. */
export function makeVariableFrameRate(output: string, durationS = 4): Promise<string> {
  return makeClip(output, {
    durationS,
    fps: 30,
    extraArgs: ['-vf', 'select=lt(mod(n\\,10)\\,6)', '-fps_mode', 'vfr'],
  });
}

/** A portrait phone clip: stored 320x180 with a 90° display rotation (ffmpeg turns it upright). */
export async function makeRotated(output: string, durationS = 4): Promise<string> {
  const plain = `${output}.plain.mp4`;
  await makeClip(plain, { durationS });
  await runFfmpegCli(['-i', plain, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', output]);
  rmSync(plain, { force: true });
  return output;
}

/** 721x405: odd sizes need 4:4:4 in H.264, so this is also a non-4:2:0 source. */
export function makeOddSize(output: string, durationS = 4): Promise<string> {
  // testsrc2 rounds its size down to even numbers, so the odd size comes from a scaler.
  return makeClip(output, {
    durationS,
    width: 720,
    height: 404,
    pixelFormat: 'yuv444p',
    extraArgs: ['-vf', 'scale=721:405'],
  });
}

/**
 * 10-bit H.264 at the house size and rate: everything matches but the bit depth, so it must
 * be transcoded rather than remuxed.
 */
export function makeTenBit(output: string, durationS = 4): Promise<string> {
  return makeClip(output, {
    durationS,
    width: 1280,
    height: 720,
    pixelFormat: 'yuv420p10le',
  });
}

/** Interlaced MPEG-2 (top field first) in MPEG-TS, as from a broadcast recorder; 5.1 audio. */
export function makeInterlaced(output: string, durationS = 4): Promise<string> {
  return makeClip(output, {
    durationS,
    width: 720,
    height: 576,
    audioChannels: 6,
    videoCodec: [
      '-vf',
      'setfield=tff',
      '-c:v',
      'mpeg2video',
      '-flags',
      '+ilme+ildct',
      '-top',
      '1',
      '-b:v',
      '4M',
      '-pix_fmt',
      'yuv420p',
    ],
    extraArgs: ['-f', 'mpegts'],
  });
}

/** A 4K UHD frame (3840x2160): ingest has to scale it down. */
export function makeLargeFrame(output: string, durationS = 2): Promise<string> {
  return makeClip(output, { durationS, width: 3840, height: 2160 });
}

/** A file name with spaces, quotes and non-Latin letters (and a leading dash-like look). */
export function awkwardName(ext = '.mp4'): string {
  return `it's a "clip" — 名前 Ωmega ñ${ext}`;
}

/** Path helper that keeps fixtures in one folder. */
export function fixturePath(dir: string, name: string): string {
  return join(dir, name);
}

/** True if the file's first bytes are text (used to sanity-check the non-media fixture). */
export function looksLikeText(path: string): boolean {
  return /^[\x20-\x7e\n]*$/.test(readFileSync(path).subarray(0, 64).toString('latin1'));
}
