// Frame-exactness checks against a reference decode, shared by the recorder's clip tests: the
// frames of a file as ffprobe lists them, decoded pixels per frame, and two ways to compare them.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolveFfmpeg } from '../../src-main/core/ffmpeg/index';

const binaries = resolveFfmpeg();

export function runTool(binary: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    execFile(binary, args, { encoding: 'buffer', maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${args.join(' ')}: ${stderr.toString()}`)) : resolve(stdout),
    ),
  );
}

/** Video frames of a file in display order: presentation times and the file's start time. */
export async function framesOf(file: string): Promise<{ pts: number[]; start: number }> {
  const out = await runTool(binaries.ffprobe.path, [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'packet=pts_time:format=start_time',
    '-of',
    'json',
    file,
  ]);
  const parsed = JSON.parse(out.toString()) as {
    packets: { pts_time: string }[];
    format: { start_time: string };
  };
  return {
    pts: parsed.packets.map((p) => Number(p.pts_time)).sort((a, b) => a - b),
    start: Number(parsed.format.start_time),
  };
}

/** Decoded frames as raw pixels (`-vf` chain applied), split per frame. */
export async function rawFrames(
  file: string,
  filter: string,
  frameBytes: number,
  extra: string[] = [],
): Promise<Buffer[]> {
  const out = await runTool(binaries.ffmpeg.path, [
    '-v',
    'error',
    '-i',
    file,
    ...extra,
    '-vf',
    filter,
    '-f',
    'rawvideo',
    '-',
  ]);
  const frames: Buffer[] = [];
  for (let at = 0; at + frameBytes <= out.length; at += frameBytes)
    frames.push(out.subarray(at, at + frameBytes));
  return frames;
}

/** Codec names of a file's streams, sorted. */
export async function streamCodecs(file: string): Promise<string[]> {
  const out = await runTool(binaries.ffprobe.path, [
    '-v',
    'error',
    '-show_entries',
    'stream=codec_name',
    '-of',
    'csv=p=0',
    file,
  ]);
  return out.toString().trim().split('\n').sort();
}

export const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
export const mse = (a: Buffer, b: Buffer) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return sum / a.length;
};

/**
 * Which of the reference frames `k − 1`, `k`, `k + 1` of `reference` the clip's first frame is
 * closest to (downscaled grey, so the clip's re-encode does not matter): 0, 1 or 2; a
 * frame-exact clip that should start on frame k gives 1.
 */
export async function firstFrameNeighbour(clip: string, reference: string, k: number) {
  const small = 'scale=64:36,format=gray';
  const [first] = await rawFrames(clip, small, 64 * 36, ['-frames:v', '1']);
  const candidates = await rawFrames(reference, small, 64 * 36);
  const errors = [k - 1, k, k + 1].map((i) =>
    candidates[i] ? mse(first!, candidates[i]) : Number.POSITIVE_INFINITY,
  );
  return errors.indexOf(Math.min(...errors));
}
