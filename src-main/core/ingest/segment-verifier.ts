// Reads back every segment ffmpeg wrote: it must open, start on a keyframe and hold both
// streams. Durations come from counted frames, so they are exact, not ffmpeg's estimates.
// Nothing is decoded: each segment's packets are read in process (ts-scan.ts), and ffprobe
// reads the stream parameters of the first segment and of any segment whose SPS differs from
// the first one's (so a picture size that changes mid-file is still caught).
//
// A rendition can be watched while ffmpeg writes it: each segment is checked as soon as ffmpeg
// has moved on to the next one, so when the encoder exits only the last segment is left to read.
import { watch, type FSWatcher } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { HLS_PLAYLIST } from '../ffmpeg';
import { IngestFailure, SegmentCutError } from './ingest-failure';
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

/**
 * Segments of a rendition still being written that ffmpeg has finished, in order: the HLS
 * muxer numbers its segment files and closes each one before it creates the next, so every
 * segment file but the newest is complete. (A VOD playlist is only written at the end.)
 */
export function closedSegments(names: readonly string[]): string[] {
  const numbered = names
    .map((name) => ({ name, match: /^\D*(\d+)\.ts$/.exec(name) }))
    .filter((n): n is { name: string; match: RegExpExecArray } => n.match !== null)
    .map(({ name, match }) => ({ name, n: Number(match[1]) }))
    .sort((a, b) => a.n - b.n);
  return numbered.slice(0, -1).map((n) => n.name);
}

export type VerifyOptions = FfprobeOptions & {
  fps: number;
  width: number;
  height: number;
  /** Which rendition, for messages ("main", "proxy"). */
  name: string;
};

type CheckedSegment = { file: string; bytes: number; frames: number; mtimeMs: number };

/** Checks segments in playlist order; keeps what it has checked so a later call can reuse it. */
class SegmentChecker {
  readonly checked: CheckedSegment[] = [];
  private referenceSps: Buffer | null = null;

  constructor(
    private readonly dir: string,
    private readonly options: VerifyOptions,
  ) {}

  /** Checks `files` beyond those already checked, in order; throws at the first bad one. */
  async extend(files: readonly string[], stopped: () => boolean = () => false): Promise<void> {
    for (let index = this.checked.length; index < files.length && !stopped(); index += 1) {
      this.checked.push(await this.check(index, files[index] as string));
    }
  }

  /**
   * Forgets checks that no longer describe the folder: a different name at that place in the
   * final playlist, or a file whose size or modification time has changed since it was read.
   */
  async revalidate(files: readonly string[]): Promise<void> {
    for (const [index, seen] of this.checked.entries()) {
      const now = await stat(join(this.dir, seen.file)).catch(() => null);
      if (files[index] !== seen.file || now?.size !== seen.bytes || now.mtimeMs !== seen.mtimeMs) {
        this.checked.length = index;
        if (index === 0) this.referenceSps = null;
        return;
      }
    }
  }

  private async check(index: number, file: string): Promise<CheckedSegment> {
    const { name } = this.options;
    const path = join(this.dir, file);
    const before = await stat(path).catch(() => null);
    const data = await readFile(path).catch(() => null);
    if (!before || !data || data.length === 0) {
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
      throw new SegmentCutError(
        `Segment ${file} of the ${name} rendition does not start on a keyframe.`,
      );
    }
    if (scan.audioPackets === 0) {
      throw new IngestFailure(`Segment ${file} of the ${name} rendition has no audio.`);
    }
    const sameSps =
      this.referenceSps !== null && scan.sps !== null && scan.sps.equals(this.referenceSps);
    if (index === 0 || !sameSps) {
      // The first segment, or one whose picture parameters may differ: ffprobe reads it.
      const frames = await this.probeFrames(file, path);
      if (frames !== scan.frames) {
        throw new IngestFailure(
          `Segment ${file} of the ${name} rendition holds ${frames} frames but ${scan.frames} video packets.`,
        );
      }
      if (index === 0) this.referenceSps = scan.sps;
    }
    // The size read and the time stamp from before the read: a later change shows in either.
    return { file, bytes: data.length, frames: scan.frames, mtimeMs: before.mtimeMs };
  }

  /** ffprobe: codecs and picture size, packets with their keyframe flags (no decoding). */
  private async probeFrames(file: string, path: string): Promise<number> {
    const { name, width, height } = this.options;
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
      this.options,
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
    if (video.width !== width || video.height !== height) {
      throw new IngestFailure(
        `Segment ${file} of the ${name} rendition is ${video.width}x${video.height}, not ${width}x${height}.`,
      );
    }
    const videoPackets = packets.filter((p) => p.stream_index === video.index);
    if (!videoPackets[0]?.flags?.startsWith('K')) {
      throw new SegmentCutError(
        `Segment ${file} of the ${name} rendition does not start on a keyframe.`,
      );
    }
    if (!packets.some((p) => p.stream_index === audio.index)) {
      throw new IngestFailure(`Segment ${file} of the ${name} rendition has no audio.`);
    }
    return videoPackets.length;
  }
}

/** The finished rendition in `dir`: every segment checked (reusing `checker`'s valid work). */
async function verifyFinished(
  dir: string,
  options: VerifyOptions,
  checker: SegmentChecker,
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
  await checker.revalidate(files);
  await checker.extend(files);

  // Start and length from frame counts at the house rate: the sum is exact by construction.
  const frameMs = (frame: number) => Math.round((frame * 1000) / fps);
  let frame = 0;
  let bytes = 0;
  const segments = checker.checked.map((p, seq) => {
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

export async function verifyRendition(
  dir: string,
  options: VerifyOptions,
): Promise<VerifiedRendition> {
  return verifyFinished(dir, options, new SegmentChecker(dir, options));
}

export type WatchOptions = {
  /**
   * Frames every segment but the last must hold. When given, a segment cut elsewhere is
   * reported through `onCutError` as soon as it is seen, so a copy that cannot fit the house
   * cadence is stopped early.
   */
  framesPerSegment?: number;
  onCutError?(error: SegmentCutError): void;
  /** Called once the first segment is known to be cut right (it has a successor). */
  onFirstSegmentCut?(): void;
};

export type RenditionWatch = {
  /** After the encoder has exited: the whole rendition verified, as `verifyRendition` does. */
  finish(): Promise<VerifiedRendition>;
  /** Stops watching; resolves once no check (and no ffprobe) is running. */
  close(): Promise<void>;
};

/**
 * Checks the segments of the rendition ffmpeg is writing in `dir` while it writes them. Early
 * checks only save time: anything they could not settle (a failure included) is checked again
 * by `finish`, which is as strict as `verifyRendition`.
 */
export function watchRendition(
  dir: string,
  options: VerifyOptions,
  watchOptions: WatchOptions = {},
): RenditionWatch {
  const checker = new SegmentChecker(dir, options);
  const { framesPerSegment } = watchOptions;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let firstCut = false;

  /** Closed segments all have a successor, so each must hold exactly one segment's frames. */
  const checkCadence = () => {
    if (framesPerSegment === undefined) return;
    for (const segment of checker.checked) {
      if (segment.frames !== framesPerSegment) {
        throw new SegmentCutError(
          `Segment ${segment.file} of the ${options.name} rendition has ${segment.frames} frames instead of ${framesPerSegment}.`,
        );
      }
    }
    if (!firstCut && checker.checked.length > 0) {
      firstCut = true;
      watchOptions.onFirstSegmentCut?.();
    }
  };

  const pass = async () => {
    do {
      again = false;
      const listed = closedSegments(await readdir(dir).catch(() => []));
      await checker.extend(listed, () => stopped);
      checkCadence();
    } while (again && !stopped);
  };

  const onChange = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pass()
      .catch((error: unknown) => {
        // Whatever failed is left for finish() to check again and report.
        stopped = true;
        if (error instanceof SegmentCutError) watchOptions.onCutError?.(error);
      })
      .finally(() => {
        running = null;
      });
  };

  let watcher: FSWatcher | null = null;
  try {
    // A new file (a 'rename' event) is a new segment; writes to the open one do not matter.
    watcher = watch(dir, (event) => {
      if (event === 'rename') onChange();
    });
    // Without notifications every segment is simply checked at the end.
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = null;
  }

  const close = async () => {
    stopped = true;
    watcher?.close();
    watcher = null;
    while (running) await running;
  };

  return {
    close,
    async finish() {
      await close();
      return verifyFinished(dir, options, checker);
    },
  };
}
