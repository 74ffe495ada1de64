// The air phase of one asset: from source file to a verified main rendition, inside a private
// work folder that becomes the asset's media folder by one rename, or disappears. The proxy,
// poster and filmstrip come afterwards (preview-job.ts), so an asset is ready for air as soon as
// its main rendition is in.
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { HouseProfile, Probe } from '../../../src-shared/contract';
import {
  FfmpegCancelledError,
  buildIngestEncodeArgs,
  buildLoudnessMeasureArgs,
  runFfmpeg,
  type FfmpegRegistry,
  type ResolvedBinaries,
} from '../ffmpeg';
import { IngestFailure } from './ingest-failure';
import { isInterlaced, keyframesAligned, remuxBlockers, type IngestMethod } from './ingest-plan';
import { normalisationGainDb, parseEbur128Summary } from './loudness';
import { assetMediaDir, newPartialDir } from './media-layout';
import { probeMedia } from './probe-media';
import { FfprobeAbortedError, runFfprobe, type FfprobeOptions } from './run-ffprobe';
import { verifyRendition, type VerifiedRendition } from './segment-verifier';

export type IngestJobInput = {
  assetId: number;
  source: string;
  mediaDir: string;
  profile: HouseProfile;
  binaries: ResolvedBinaries;
  registry: FfmpegRegistry;
  signal: AbortSignal;
  onProbed(probe: Probe): void;
  /** 0..1 of the encode-and-verify stage. */
  onProgress(fraction: number): void;
  /** Called after the work folder became the media folder; throwing undoes the rename. */
  commit(result: IngestJobResult): void;
};

export type IngestJobResult = {
  method: IngestMethod;
  probe: Probe;
  main: VerifiedRendition;
};

export class IngestAbortedError extends Error {
  override readonly name = 'IngestAbortedError';
}

/** A programme shorter than announced by more than this was cut short (truncated file). */
const TRUNCATION_TOLERANCE = { ms: 1000, ratio: 0.05 };

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new IngestAbortedError('ingest was aborted');
}

/** Cancellation surfaces as one error type whichever child was running. */
export function asAbort(error: unknown, signal: AbortSignal): unknown {
  if (
    signal.aborted &&
    (error instanceof FfmpegCancelledError || error instanceof FfprobeAbortedError)
  ) {
    return new IngestAbortedError('ingest was aborted');
  }
  if (error instanceof FfprobeAbortedError) {
    return new IngestFailure('Reading the file took too long: it is probably damaged.');
  }
  return error;
}

async function chooseMethod(
  probe: Probe,
  durationS: number,
  input: IngestJobInput,
  probeOptions: FfprobeOptions,
): Promise<IngestMethod> {
  if (remuxBlockers(probe, input.profile).length > 0) return 'transcode';
  // Packet flags need no decoding: a quick read of the file's index.
  const { code, stdout } = await runFfprobe(
    [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'packet=pts_time,flags',
      '-of',
      'csv=p=0',
      input.source,
    ],
    probeOptions,
  );
  if (code !== 0) return 'transcode';
  const keyframes = stdout
    .split('\n')
    .map((line) => line.split(','))
    .filter(([, flags]) => flags?.startsWith('K'))
    .map(([pts]) => Number(pts))
    .filter(Number.isFinite);
  return keyframesAligned(keyframes, durationS, input.profile) ? 'remux' : 'transcode';
}

async function measureGainDb(input: IngestJobInput, probe: Probe): Promise<number> {
  if (probe.audio.length === 0) return 0;
  const proc = runFfmpeg(buildLoudnessMeasureArgs(input.source), {
    binary: input.binaries.ffmpeg.path,
    signal: input.signal,
    registry: input.registry,
    label: `ingest ${input.assetId} loudness`,
  });
  const result = await proc.done;
  return normalisationGainDb(parseEbur128Summary(result.stderrTail), input.profile.loudnessLufs);
}

export function checkCadence(
  name: string,
  rendition: VerifiedRendition,
  profile: Pick<HouseProfile, 'fps' | 'segmentSeconds'>,
): void {
  const perSegment = profile.fps * profile.segmentSeconds;
  rendition.segments.forEach((segment, i) => {
    const last = i === rendition.segments.length - 1;
    if (last ? segment.frames > perSegment : segment.frames !== perSegment) {
      throw new IngestFailure(
        `Segment ${segment.file} of the ${name} rendition has ${segment.frames} frames instead of ${perSegment}.`,
      );
    }
  });
}

/** Probe, encode the main rendition, verify, publish. Throws IngestFailure, IngestAbortedError or a raw error. */
export async function runIngestJob(input: IngestJobInput): Promise<IngestJobResult> {
  const { signal, profile } = input;
  const probeOptions: FfprobeOptions = {
    binary: input.binaries.ffprobe.path,
    registry: input.registry,
    signal,
  };
  const work = newPartialDir(input.mediaDir, input.assetId);
  try {
    const { probe, durationS } = await probeMedia(input.source, probeOptions);
    throwIfAborted(signal);
    input.onProbed(probe);

    // Both only read the source (the loudness pass decodes audio only): run side by side.
    const [method, gainDb] = await Promise.all([
      chooseMethod(probe, durationS, input, probeOptions),
      measureGainDb(input, probe),
    ]);
    throwIfAborted(signal);
    input.onProgress(0.05);

    await mkdir(join(work, 'main'), { recursive: true });
    const encode = runFfmpeg(
      buildIngestEncodeArgs({
        input: input.source,
        mainDir: join(work, 'main'),
        profile,
        method,
        hasVideo: probe.video !== null,
        hasAudio: probe.audio.length > 0,
        interlaced: isInterlaced(probe),
        gainDb,
        durationS,
      }),
      {
        binary: input.binaries.ffmpeg.path,
        durationMs: durationS * 1000,
        signal,
        registry: input.registry,
        label: `ingest ${input.assetId} ${method}`,
      },
    );
    encode.on('progress', (p) => {
      if (p.percent !== undefined) input.onProgress(0.05 + (0.85 * p.percent) / 100);
    });
    await encode.done;
    input.onProgress(0.9);

    const main = await verifyRendition(join(work, 'main'), {
      ...probeOptions,
      fps: profile.fps,
      width: profile.width,
      height: profile.height,
      name: 'main',
    });
    checkCadence('main', main, profile);
    const expectedMs = durationS * 1000;
    const shortBy = expectedMs - main.durationMs;
    if (shortBy > Math.max(TRUNCATION_TOLERANCE.ms, expectedMs * TRUNCATION_TOLERANCE.ratio)) {
      throw new IngestFailure(
        `The file seems truncated or damaged: only ${(main.durationMs / 1000).toFixed(1)} s of its announced ${(expectedMs / 1000).toFixed(1)} s could be decoded.`,
      );
    }

    throwIfAborted(signal);
    const result: IngestJobResult = { method, probe, main };
    const final = assetMediaDir(input.mediaDir, input.assetId);
    // A re-ingest replaces the old media; the old rows go in the commit's transaction.
    await rm(final, { recursive: true, force: true });
    await rename(work, final);
    try {
      input.commit(result);
    } catch (error) {
      await rm(final, { recursive: true, force: true });
      throw error;
    }
    return result;
  } catch (error) {
    throw asAbort(error, signal);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
