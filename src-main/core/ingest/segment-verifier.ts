// Reads back every segment ffmpeg wrote: it must open, start on a keyframe and hold both
// streams. Durations come from counted frames, so they are exact, not ffmpeg's estimates.
// Nothing is decoded: each segment's packets are read in process (ts-scan.ts), and ffprobe
// reads the stream parameters of the first segment and of any segment whose SPS differs from
// the first one's (so a picture size that changes mid-file is still caught).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { HLS_PLAYLIST } from '../ffmpeg';
import { IngestFailure } from './ingest-failure';
import { runFfprobe, type FfprobeOptions } from './run-ffprobe';
import { STREAM_TYPE_AAC_ADTS, STREAM_TYPE_H264, scanTs } from './ts-scan';

export type VerifiedSegment = {
  seq: number;
  file: string;
  startMs: number;
  durationMs: number;
  bytes: number;
  frames: number;
};

export type VerifiedRendition = {
  segments: VerifiedSegment[];
  frames: number;
  durationMs: number;
  bytes: number;
  width: number;
  height: number;
};

const SegmentProbe = z.object({
  streams: z
    .array(
      z.looseObject({
        index: z.number().int(),
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        width: z.number().int().optional(),
        height: z.number().int().optional(),
        channels: z.number().int().optional(),
        sample_rate: z.string().optional(),
      }),
    )
    .default([]),
  packets: z
    .array(z.looseObject({ stream_index: z.number().int(), flags: z.string().optional() }))
    .default([]),
});

/** Segment file names in playlist order. */
export function playlistSegments(playlist: string): string[] {
  return playlist
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export type VerifyOptions = FfprobeOptions & {
  fps: number;
  width: number;
  height: number;
  /** Which rendition, for messages ("main", "proxy"). */
  name: string;
};

export async function verifyRendition(
  dir: string,
  options: VerifyOptions,
): Promise<VerifiedRendition> {
  const { fps, name } = options;
  let playlist: string;
  try {
    playlist = await readFile(join(dir, HLS_PLAYLIST), 'utf8');
  } catch {
    throw new IngestFailure(`The ${name} rendition has no playlist: the encoder wrote nothing.`);
  }
  if (!playlist.includes('#EXT-X-ENDLIST')) {
    throw new IngestFailure(`The ${name} rendition's playlist is unfinished.`);
  }
  const files = playlistSegments(playlist);
  if (files.length === 0) throw new IngestFailure(`The ${name} rendition has no segments.`);

  // ffprobe: codecs and picture size, packets with their keyframe flags (no decoding).
  const probeSegment = async (file: string, path: string, bytes: number) => {
    const { code, stdout, stderr } = await runFfprobe(
      [
        '-v',
        'error',
        '-print_format',
        'json',
        '-show_entries',
        'stream=index,codec_type,codec_name,width,height,channels,sample_rate:packet=stream_index,flags',
        path,
      ],
      options,
    );
    const parsed = code === 0 ? SegmentProbe.safeParse(JSON.parse(stdout || '{}')) : null;
    if (!parsed?.success) {
      const why = stderr.split('\n')[0]?.trim() || 'unreadable';
      throw new IngestFailure(`Segment ${file} of the ${name} rendition cannot be read (${why}).`);
    }
    const { streams, packets } = parsed.data;
    const video = streams.find((s) => s.codec_type === 'video');
    const audio = streams.find((s) => s.codec_type === 'audio');
    if (video?.codec_name !== 'h264' || audio?.codec_name !== 'aac') {
      throw new IngestFailure(
        `Segment ${file} of the ${name} rendition lacks H.264 video or AAC audio.`,
      );
    }
    if (video.width !== options.width || video.height !== options.height) {
      throw new IngestFailure(
        `Segment ${file} of the ${name} rendition is ${video.width}x${video.height}, not ${options.width}x${options.height}.`,
      );
    }
    const videoPackets = packets.filter((p) => p.stream_index === video.index);
    if (!videoPackets[0]?.flags?.startsWith('K')) {
      throw new IngestFailure(
        `Segment ${file} of the ${name} rendition does not start on a keyframe.`,
      );
    }
    if (!packets.some((p) => p.stream_index === audio.index)) {
      throw new IngestFailure(`Segment ${file} of the ${name} rendition has no audio.`);
    }
    return { file, bytes, frames: videoPackets.length };
  };

  let referenceSps: Buffer | null = null;
  const probed: { file: string; bytes: number; frames: number }[] = [];
  for (const [index, file] of files.entries()) {
    const path = join(dir, file);
    const data = await readFile(path).catch(() => null);
    if (!data || data.length === 0) {
      throw new IngestFailure(`Segment ${file} of the ${name} rendition is missing.`);
    }
    const scan = scanTs(data);
    if (!scan) {
      throw new IngestFailure(
        `Segment ${file} of the ${name} rendition cannot be read (not a whole MPEG-TS stream).`,
      );
    }
    if (scan.videoType !== STREAM_TYPE_H264 || scan.audioType !== STREAM_TYPE_AAC_ADTS) {
      throw new IngestFailure(
        `Segment ${file} of the ${name} rendition lacks H.264 video or AAC audio.`,
      );
    }
    if (scan.frames === 0 || !scan.startsWithIdr) {
      throw new IngestFailure(
        `Segment ${file} of the ${name} rendition does not start on a keyframe.`,
      );
    }
    if (scan.audioPackets === 0) {
      throw new IngestFailure(`Segment ${file} of the ${name} rendition has no audio.`);
    }
    const sameSps = referenceSps !== null && scan.sps !== null && scan.sps.equals(referenceSps);
    if (index === 0 || !sameSps) {
      // The first segment, or one whose picture parameters may differ: ffprobe reads it.
      const checked = await probeSegment(file, path, data.length);
      if (checked.frames !== scan.frames) {
        throw new IngestFailure(
          `Segment ${file} of the ${name} rendition holds ${checked.frames} frames but ${scan.frames} video packets.`,
        );
      }
      if (index === 0) referenceSps = scan.sps;
    }
    probed.push({ file, bytes: data.length, frames: scan.frames });
  }

  // Start and length from frame counts at the house rate: the sum is exact by construction.
  const frameMs = (frame: number) => Math.round((frame * 1000) / fps);
  let frame = 0;
  let bytes = 0;
  const segments = probed.map((p, seq) => {
    const startMs = frameMs(frame);
    frame += p.frames;
    bytes += p.bytes;
    return {
      seq,
      file: p.file,
      startMs,
      durationMs: frameMs(frame) - startMs,
      bytes: p.bytes,
      frames: p.frames,
    };
  });
  return {
    segments,
    frames: frame,
    durationMs: frameMs(frame),
    bytes,
    width: options.width,
    height: options.height,
  };
}
