// The preview phase of one ready asset: the proxy rendition (made from the main rendition, which
// is already house format), the poster and the filmstrip. Everything is written to a private
// work folder and moved into the asset's media folder before one transaction adds the proxy
// rendition. A failure here never touches the main rendition.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HouseProfile } from '../../../src-shared/contract';
import {
  HLS_PLAYLIST,
  buildFilmstripArgs,
  buildPosterArgs,
  runFfmpeg,
  type FfmpegRegistry,
  type ResolvedBinaries,
} from '../ffmpeg';
import { buildProxyEncodeArgs } from '../ffmpeg/command-builders';
import { IngestFailure } from './ingest-failure';
import { asAbort, throwIfAborted } from './ingest-job';
import {
  FILMSTRIP_FILE,
  FILMSTRIP_META_FILE,
  POSTER_FILE,
  assetMediaDir,
  newPartialDir,
} from './media-layout';
import type { FfprobeOptions } from './run-ffprobe';
import { verifyRendition, type VerifiedRendition } from './segment-verifier';

const FILMSTRIP_MAX_TILES = 100;
const FILMSTRIP_COLUMNS = 10;
const FILMSTRIP_TILE_WIDTH = 160;

/** What the preview needs to know of the main rendition: where it is and how it is cut. */
export type MainLayout = {
  /** Relative to the media folder, e.g. `7/main`. */
  dir: string;
  fps: number;
  /** Frames of each segment, in order; the proxy must be cut identically. */
  segments: { file: string; frames: number }[];
};

export type PreviewJobInput = {
  assetId: number;
  mediaDir: string;
  profile: HouseProfile;
  binaries: ResolvedBinaries;
  registry: FfmpegRegistry;
  signal: AbortSignal;
  main: MainLayout;
  /** 0..1 of the proxy encode. */
  onProgress?(fraction: number): void;
  /** Called once the files are in the media folder; throwing removes them again. */
  commit(proxy: VerifiedRendition): void;
};

/**
 * The main rendition's layout from its segment files (packet counts, no decoding), for a
 * preview that has no layout at hand (after a restart or a retry). `durationMs` is what the
 * database holds for the main rendition; with the frame count it gives the frame rate.
 */
export async function readMainLayout(
  mediaDir: string,
  dir: string,
  size: { width: number; height: number; durationMs: number },
  options: FfprobeOptions,
): Promise<MainLayout> {
  // fps only turns frames into milliseconds, which are not used here.
  const main = await verifyRendition(join(mediaDir, dir), {
    ...options,
    fps: 25,
    width: size.width,
    height: size.height,
    name: 'main',
  });
  const fps = size.durationMs > 0 ? Math.round((main.frames * 1000) / size.durationMs) : 0;
  if (!(fps > 0)) throw new IngestFailure('The main rendition has no frame rate.');
  return { dir, fps, segments: main.segments.map((s) => ({ file: s.file, frames: s.frames })) };
}

export async function runPreviewJob(input: PreviewJobInput): Promise<VerifiedRendition> {
  const { signal, profile, main } = input;
  const { proxyWidth, proxyHeight } = profile;
  const probeOptions: FfprobeOptions = {
    binary: input.binaries.ffprobe.path,
    registry: input.registry,
    signal,
  };
  const run = (args: string[], label: string, durationMs?: number) =>
    runFfmpeg(args, {
      binary: input.binaries.ffmpeg.path,
      signal,
      registry: input.registry,
      label: `ingest ${input.assetId} ${label}`,
      ...(durationMs !== undefined ? { durationMs } : {}),
    });

  const first = main.segments[0];
  if (!first) throw new IngestFailure('The main rendition has no segments.');
  const framesPerSegment = first.frames;
  const totalFrames = main.segments.reduce((sum, s) => sum + s.frames, 0);
  const mainDir = join(input.mediaDir, main.dir);
  const work = newPartialDir(input.mediaDir, input.assetId);
  try {
    await mkdir(join(work, 'proxy'), { recursive: true });
    const encode = run(
      buildProxyEncodeArgs({
        mainPlaylist: join(mainDir, HLS_PLAYLIST),
        proxyDir: join(work, 'proxy'),
        proxyWidth,
        proxyHeight,
        proxyVideoBitrateKbps: profile.proxyVideoBitrateKbps,
        fps: main.fps,
        segmentSeconds: framesPerSegment / main.fps,
        durationS: totalFrames / main.fps,
      }),
      'proxy',
      (totalFrames / main.fps) * 1000,
    );
    encode.on('progress', (p) => {
      if (p.percent !== undefined) input.onProgress?.(p.percent / 100);
    });
    await encode.done;

    const proxy = await verifyRendition(join(work, 'proxy'), {
      ...probeOptions,
      fps: main.fps,
      width: proxyWidth,
      height: proxyHeight,
      name: 'proxy',
    });
    // Same boundaries as the main rendition, so playout can switch between them at any segment.
    const sameCut =
      proxy.segments.length === main.segments.length &&
      proxy.segments.every((s, i) => s.frames === main.segments[i]?.frames);
    if (!sameCut) {
      throw new IngestFailure(
        `The proxy rendition is not cut like the main one (${proxy.segments.length} segments of ${proxy.frames} frames, against ${main.segments.length} of ${totalFrames}).`,
      );
    }

    // The segment holding the 10 % point starts on a keyframe: one frame to decode.
    const posterSegment = main.segments[Math.floor(main.segments.length * 0.1)] ?? first;
    await run(buildPosterArgs(join(mainDir, posterSegment.file), join(work, POSTER_FILE)), 'poster')
      .done;

    const keyframes = main.segments.length;
    const everyKeyframe = Math.max(1, Math.ceil(keyframes / FILMSTRIP_MAX_TILES));
    const count = Math.ceil(keyframes / everyKeyframe);
    const columns = Math.min(FILMSTRIP_COLUMNS, count);
    const rows = Math.ceil(count / columns);
    const tileWidth = FILMSTRIP_TILE_WIDTH;
    const tileHeight = Math.round((tileWidth * proxyHeight) / proxyWidth / 2) * 2;
    await run(
      buildFilmstripArgs({
        playlist: join(work, 'proxy', HLS_PLAYLIST),
        output: join(work, FILMSTRIP_FILE),
        everyKeyframe,
        columns,
        rows,
        tileWidth,
        tileHeight,
      }),
      'filmstrip',
    ).done;
    const meta = {
      columns,
      rows,
      count,
      intervalMs: Math.round((everyKeyframe * framesPerSegment * 1000) / main.fps),
      tileWidth,
      tileHeight,
    };
    await writeFile(join(work, FILMSTRIP_META_FILE), `${JSON.stringify(meta)}\n`);

    throwIfAborted(signal);
    // Into the media folder: the proxy folder by one rename (any leftover of an interrupted
    // attempt goes first), then the images, which replace older ones atomically.
    const final = assetMediaDir(input.mediaDir, input.assetId);
    const files = [POSTER_FILE, FILMSTRIP_FILE, FILMSTRIP_META_FILE];
    await rm(join(final, 'proxy'), { recursive: true, force: true });
    await rename(join(work, 'proxy'), join(final, 'proxy'));
    for (const file of files) await rename(join(work, file), join(final, file));
    try {
      input.commit(proxy);
    } catch (error) {
      await Promise.all(
        ['proxy', ...files].map((name) => rm(join(final, name), { recursive: true, force: true })),
      );
      throw error;
    }
    return proxy;
  } catch (error) {
    throw asAbort(error, signal);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
