// The air phase of one asset: from source file to a verified main rendition, inside a private
// work folder that becomes the asset's media folder by one rename, or disappears. The proxy,
// poster and filmstrip come afterwards (preview-job.ts), so an asset is ready for air as soon as
// its main rendition is in.
//
// What sits on the way to `ready`, in order: the probe, the integrated-loudness pass (a small
// fraction of the audio's playing time), the encode with its segments checked as they are
// written, the last segments' checks. The true-peak pass runs beside the encode: it can only
// lower the gain, and when it does the encode starts again with the lower gain. A source that
// may be copied is copied straight away; its own segments show whether its keyframes fit the
// house cadence, and if they do not, the copy stops at the first misfit and it is transcoded.
// A copied source whose audio is already house format at the loudness target keeps that audio
// untouched; any other audio is re-encoded with the gain.
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { HouseProfile, Probe } from '../../../src-shared/contract';
import {
  FfmpegCancelledError,
  buildIngestEncodeArgs,
  runFfmpeg,
  type FfmpegProcess,
  type FfmpegRegistry,
  type ResolvedBinaries,
} from '../ffmpeg';
import { IngestFailure, SegmentCutError } from './ingest-failure';
import { audioCopyable, isInterlaced, remuxBlockers, type IngestMethod } from './ingest-plan';
import {
  LOUDNESS_TOLERANCE_LU,
  buildLoudnessPassArgs,
  normalisationGainDb,
  parseEbur128Summary,
  type Loudness,
} from './loudness';
import { assetMediaDir, newPartialDir } from './media-layout';
import { probeMedia } from './probe-media';
import { FfprobeAbortedError, type FfprobeOptions } from './run-ffprobe';
import { watchRendition, type VerifiedRendition } from './segment-verifier';

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

/** Audio that ends this much before the picture still counts as covering it (a last block). */
const AUDIO_LENGTH_TOLERANCE_S = 0.2;

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

async function measureLoudness(
  input: IngestJobInput,
  pass: 'integrated' | 'true-peak',
  signal: AbortSignal,
): Promise<Loudness | null> {
  const proc = runFfmpeg(buildLoudnessPassArgs(input.source, pass), {
    binary: input.binaries.ffmpeg.path,
    signal,
    registry: input.registry,
    label: `ingest ${input.assetId} loudness`,
  });
  let audioMs: number | null = null;
  proc.on('progress', (p) => {
    if (p.outTimeMs !== null) audioMs = p.outTimeMs;
  });
  const result = await proc.done;
  const loudness = parseEbur128Summary(result.stderrTail);
  return loudness && { ...loudness, audioSeconds: audioMs === null ? null : audioMs / 1000 };
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
      throw new SegmentCutError(
        `Segment ${segment.file} of the ${name} rendition has ${segment.frames} frames instead of ${perSegment}.`,
      );
    }
  });
}

type Plan = { method: IngestMethod; gainDb: number; copyAudio: boolean };
type Outcome =
  | { kind: 'done'; main: VerifiedRendition }
  | { kind: 'cut'; error: SegmentCutError }
  | { kind: 'error'; error: unknown };
type Attempt = {
  /** Never rejects. */
  outcome: Promise<Outcome>;
  /** Ends the encode and every check; resolves once nothing of this attempt runs. */
  stop(): Promise<void>;
};

type EncodeContext = {
  input: IngestJobInput;
  mainDir: string;
  probe: Probe;
  durationS: number;
  probeOptions: FfprobeOptions;
};

/** One encode of the main rendition into an emptied `mainDir`, checked while it is written. */
function startAttempt(ctx: EncodeContext, plan: Plan): Attempt {
  const { input, mainDir, probe, durationS } = ctx;
  const { profile, signal } = input;
  let encode: FfmpegProcess | null = null;
  let stopped = false;
  let cut: SegmentCutError | null = null;

  const run = async (): Promise<Outcome> => {
    await rm(mainDir, { recursive: true, force: true });
    await mkdir(mainDir, { recursive: true });
    if (stopped) return { kind: 'error', error: new FfmpegCancelledError(null, null) };
    // A copy may still turn out to be cut off the house cadence: its progress is shown once its
    // first segment is known to be cut right.
    let showProgress = plan.method !== 'remux';
    let lastFraction: number | null = null;
    const report = (fraction: number) => {
      lastFraction = fraction;
      if (showProgress) input.onProgress(fraction);
    };
    const proc = runFfmpeg(
      buildIngestEncodeArgs({
        input: input.source,
        mainDir,
        profile,
        method: plan.method,
        hasVideo: probe.video !== null,
        hasAudio: probe.audio.length > 0,
        interlaced: isInterlaced(probe),
        gainDb: plan.gainDb,
        copyAudio: plan.copyAudio,
        durationS,
      }),
      {
        binary: input.binaries.ffmpeg.path,
        durationMs: durationS * 1000,
        signal,
        registry: input.registry,
        label: `ingest ${input.assetId} ${plan.method}`,
      },
    );
    encode = proc;
    proc.on('progress', (p) => {
      if (p.percent !== undefined) report(0.05 + (0.85 * p.percent) / 100);
    });
    const watch = watchRendition(
      mainDir,
      {
        ...ctx.probeOptions,
        fps: profile.fps,
        width: profile.width,
        height: profile.height,
        name: 'main',
      },
      plan.method === 'remux'
        ? {
            framesPerSegment: profile.fps * profile.segmentSeconds,
            onCutError(error) {
              cut = error;
              void proc.cancel();
            },
            onFirstSegmentCut() {
              showProgress = true;
              if (lastFraction !== null) input.onProgress(lastFraction);
            },
          }
        : {},
    );
    try {
      await proc.done;
    } catch (error) {
      await watch.close();
      if (cut !== null && !signal.aborted) return { kind: 'cut', error: cut };
      return { kind: 'error', error };
    }
    try {
      const main = await watch.finish();
      checkCadence('main', main, profile);
      return { kind: 'done', main };
    } catch (error) {
      return error instanceof SegmentCutError ? { kind: 'cut', error } : { kind: 'error', error };
    }
  };

  const outcome = run().catch((error: unknown): Outcome => ({ kind: 'error', error }));
  return {
    outcome,
    async stop() {
      stopped = true;
      await encode?.cancel();
      await outcome;
    },
  };
}

/**
 * Encodes until an attempt with the final plan succeeds: a copy whose segments do not fit the
 * house cadence becomes a transcode, and a true peak that lowers the gain restarts the encode.
 */
async function encodeMain(
  ctx: EncodeContext,
  first: Plan,
  finalGainDb: Promise<number> | null,
): Promise<{ method: IngestMethod; main: VerifiedRendition }> {
  let plan = first;
  type GainOutcome = { kind: 'gain'; gainDb: number } | { kind: 'gain-error'; error: unknown };
  let pendingGain: Promise<GainOutcome> | null =
    finalGainDb?.then(
      (gainDb): GainOutcome => ({ kind: 'gain', gainDb }),
      (error: unknown): GainOutcome => ({ kind: 'gain-error', error }),
    ) ?? null;

  for (;;) {
    const attempt = startAttempt(ctx, plan);
    let outcome: Outcome | GainOutcome = await (pendingGain
      ? Promise.race([attempt.outcome, pendingGain])
      : attempt.outcome);
    if (outcome.kind === 'gain' || outcome.kind === 'gain-error') {
      // The true peak arrived while the encode was running.
      pendingGain = null;
      if (outcome.kind === 'gain-error') {
        await attempt.stop();
        throw outcome.error;
      }
      if (outcome.gainDb !== plan.gainDb) {
        await attempt.stop();
        plan = { ...plan, gainDb: outcome.gainDb, copyAudio: false };
        continue;
      }
      outcome = await attempt.outcome;
    }
    if (outcome.kind === 'cut' && plan.method === 'remux') {
      plan = { ...plan, method: 'transcode', copyAudio: false };
      continue;
    }
    if (outcome.kind !== 'done') throw outcome.error;
    if (pendingGain) {
      const gain = await pendingGain;
      pendingGain = null;
      if (gain.kind === 'gain-error') throw gain.error;
      if (gain.gainDb !== plan.gainDb) {
        plan = { ...plan, gainDb: gain.gainDb, copyAudio: false };
        continue;
      }
    }
    return { method: plan.method, main: outcome.main };
  }
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
  // The loudness passes serve this job only: they end with it, however the job ends.
  const passesStop = new AbortController();
  const stopPasses = () => passesStop.abort();
  signal.addEventListener('abort', stopPasses, { once: true });
  const passes: Promise<unknown>[] = [];
  const startPass = (pass: 'integrated' | 'true-peak') => {
    const running = measureLoudness(input, pass, passesStop.signal);
    // Awaited below when its result is needed, and settled in any case by the finally.
    running.catch(() => undefined);
    passes.push(running);
    return running;
  };
  try {
    // The integrated loudness only reads the source, so it is measured while the probe runs;
    // without audio (or without a readable file) the probe says so and the pass is dropped.
    const integratedPass = startPass('integrated');
    const { probe, durationS } = await probeMedia(input.source, probeOptions);
    throwIfAborted(signal);
    input.onProbed(probe);

    const method: IngestMethod = remuxBlockers(probe, profile).length === 0 ? 'remux' : 'transcode';
    let gainDb = 0;
    let copyAudio = false;
    let finalGainDb: Promise<number> | null = null;
    if (probe.audio.length > 0) {
      const integrated = await integratedPass;
      gainDb = normalisationGainDb(
        integrated && { integratedLufs: integrated.integratedLufs, truePeakDbtp: null },
        profile.loudnessLufs,
      );
      // House-format audio already at the target (and as long as the picture, since a copy is
      // not padded) is copied untouched: no generation loss, and no encode to wait for.
      const audioSeconds = integrated?.audioSeconds ?? null;
      copyAudio =
        method === 'remux' &&
        audioCopyable(probe) &&
        Math.abs(gainDb) <= LOUDNESS_TOLERANCE_LU &&
        audioSeconds !== null &&
        audioSeconds >= durationS - AUDIO_LENGTH_TOLERANCE_S;
      if (copyAudio) gainDb = 0;
      // Started only now so that it competes with the encode, which it outlasts rarely, rather
      // than with the pass the encode waits for.
      finalGainDb = startPass('true-peak').then((loudness) => {
        const gain = normalisationGainDb(loudness, profile.loudnessLufs);
        return copyAudio && Math.abs(gain) <= LOUDNESS_TOLERANCE_LU ? 0 : gain;
      });
      finalGainDb.catch(() => undefined);
    }
    throwIfAborted(signal);
    input.onProgress(0.05);

    const { method: used, main } = await encodeMain(
      { input, mainDir: join(work, 'main'), probe, durationS, probeOptions },
      { method, gainDb, copyAudio },
      finalGainDb,
    );
    input.onProgress(0.9);

    const expectedMs = durationS * 1000;
    const shortBy = expectedMs - main.durationMs;
    if (shortBy > Math.max(TRUNCATION_TOLERANCE.ms, expectedMs * TRUNCATION_TOLERANCE.ratio)) {
      throw new IngestFailure(
        `The file seems truncated or damaged: only ${(main.durationMs / 1000).toFixed(1)} s of its announced ${(expectedMs / 1000).toFixed(1)} s could be decoded.`,
      );
    }

    throwIfAborted(signal);
    const result: IngestJobResult = { method: used, probe, main };
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
    signal.removeEventListener('abort', stopPasses);
    passesStop.abort();
    await Promise.allSettled(passes);
    await rm(work, { recursive: true, force: true });
  }
}
