// What a source is, from ffprobe's JSON, in the library's Probe shape plus what ingest decides on.
import { open, stat } from 'node:fs/promises';
import { z } from 'zod';
import type { Probe } from '../../../src-shared/contract';
import { IngestFailure } from './ingest-failure';
import { runFfprobe, type FfprobeOptions } from './run-ffprobe';

const num = z.union([z.number(), z.string()]).transform(Number).pipe(z.number().finite());

const RawStream = z.looseObject({
  index: z.number().int(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  profile: z.string().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  pix_fmt: z.string().optional(),
  bits_per_raw_sample: num.optional(),
  field_order: z.string().optional(),
  r_frame_rate: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  channels: z.number().int().optional(),
  sample_rate: num.optional(),
  duration: num.optional(),
  tags: z.record(z.string(), z.unknown()).optional(),
  side_data_list: z.array(z.looseObject({ rotation: num.optional() })).optional(),
  disposition: z.record(z.string(), z.number()).optional(),
});
type RawStream = z.infer<typeof RawStream>;

const RawProbe = z.object({
  streams: z.array(RawStream).default([]),
  format: z
    .looseObject({
      format_name: z.string().optional(),
      duration: num.optional(),
      size: num.optional(),
      bit_rate: num.optional(),
    })
    .optional(),
});

export type ProbedMedia = {
  probe: Probe;
  /** Seconds of the video (or, without video, of the audio): the length of the output. */
  durationS: number;
};

function parseRate(rate: string | undefined): number | null {
  if (!rate) return null;
  const [n, d] = rate.split('/').map(Number);
  if (!Number.isFinite(n) || !Number.isFinite(d) || !d || !n) return null;
  return n / d;
}

function bitDepth(stream: RawStream): number | null {
  const match = /(\d+)(le|be)$/.exec(stream.pix_fmt ?? '');
  if (match) return Number(match[1]);
  if (stream.bits_per_raw_sample) return stream.bits_per_raw_sample;
  return stream.pix_fmt ? 8 : null;
}

function rotation(stream: RawStream): number {
  const fromMatrix = stream.side_data_list?.find((s) => s.rotation !== undefined)?.rotation;
  const fromTag = Number(stream.tags?.rotate);
  const raw = fromMatrix ?? (Number.isFinite(fromTag) ? fromTag : 0);
  return ((Math.round(raw) % 360) + 360) % 360;
}

/** A still image inside a media file (cover art) is not the programme's video. */
function isRealVideo(stream: RawStream): boolean {
  return stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1;
}

/** ffprobe's first error line, without its "[demuxer @ 0x…]" prefix or our own path. */
function firstErrorLine(stderr: string, file: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  if (!line) return 'no details';
  return line
    .replace(/^\[[^\]]+\]\s*/, '')
    .split(file)
    .join('the file')
    .replace(/:\s*$/, '');
}

/** An MP4/MOV begins with a box header, usually `ftyp`; a text file named .mp4 does not. */
async function startsLikeMp4(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8), 0, 8, 0);
    return (
      bytesRead === 8 && /^(ftyp|moov|mdat|wide|free|skip)$/.test(buffer.toString('latin1', 4, 8))
    );
  } finally {
    await handle.close();
  }
}

export async function probeMedia(file: string, options: FfprobeOptions): Promise<ProbedMedia> {
  let sizeBytes: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new IngestFailure('The source is not a file.');
    sizeBytes = info.size;
  } catch (error) {
    if (error instanceof IngestFailure) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new IngestFailure('The source file is missing (moved or deleted?).');
    }
    throw new IngestFailure(`The source file cannot be read (${(error as Error).message}).`);
  }
  if (sizeBytes === 0) throw new IngestFailure('The file is empty (0 bytes).');

  const { code, stdout, stderr } = await runFfprobe(
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
    options,
  );
  if (code !== 0) {
    if (/moov atom not found/i.test(stderr) && (await startsLikeMp4(file))) {
      throw new IngestFailure(
        'The file is incomplete (its index, the "moov atom", is missing): was it still being copied or recorded?',
      );
    }
    throw new IngestFailure(
      `Not a video or audio file that ffmpeg can read (${firstErrorLine(stderr, file)}).`,
    );
  }
  const parsed = RawProbe.safeParse(JSON.parse(stdout || '{}'));
  if (!parsed.success) {
    throw new IngestFailure('Not a video or audio file that ffmpeg can read (unexpected probe).');
  }
  const { streams, format } = parsed.data;
  const video = streams.find(isRealVideo);
  const audio = streams.filter((s) => s.codec_type === 'audio' && (s.channels ?? 0) > 0);
  if (!video && audio.length === 0) {
    throw new IngestFailure('The file has neither video nor audio that can be played.');
  }
  const main = video ?? audio[0];
  const durationS = main?.duration ?? format?.duration ?? 0;
  if (!(durationS > 0)) {
    throw new IngestFailure('The file has no playable duration (is it a still image or empty?).');
  }

  let videoInfo: Probe['video'] = null;
  if (video) {
    const rotate = rotation(video);
    const realFps = parseRate(video.r_frame_rate);
    const avgFps = parseRate(video.avg_frame_rate);
    const fps = avgFps ?? realFps;
    videoInfo = {
      codec: video.codec_name ?? 'unknown',
      profile: video.profile ?? null,
      width: video.width ?? 0,
      height: video.height ?? 0,
      fps: fps === null ? null : Math.round(fps * 1000) / 1000,
      fieldOrder: video.field_order ?? null,
      rotation: rotate,
      pixelFormat: video.pix_fmt ?? null,
      bitDepth: bitDepth(video),
      // Containers state the nominal rate in r_frame_rate; a different average means gaps or jitter.
      variableFrameRate:
        realFps !== null && avgFps !== null && Math.abs(realFps - avgFps) / realFps > 0.01,
    };
    if (videoInfo.width <= 0 || videoInfo.height <= 0) {
      throw new IngestFailure('The video stream has no picture size: the file is damaged.');
    }
  }
  const probe: Probe = {
    container: format?.format_name ?? 'unknown',
    durationMs: Math.round(durationS * 1000),
    sizeBytes,
    bitRate: format?.bit_rate !== undefined ? Math.round(format.bit_rate) : null,
    video: videoInfo,
    audio: audio.map((a) => ({
      codec: a.codec_name ?? 'unknown',
      channels: a.channels ?? 0,
      sampleRate: Math.round(a.sample_rate ?? 0),
    })),
  };
  return { probe, durationS };
}
