import type { z } from 'zod';
import type { FfmpegInfoSchema } from '../../src-shared/contract';
import { probeFfmpegVersion, resolveFfmpeg, type ResolvedBinaries } from './ffmpeg';

export type FfmpegStatus = z.infer<typeof FfmpegInfoSchema>;

/**
 * Resolves ffmpeg once at start-up and says which one is used; a missing ffmpeg is reported in
 * health instead of stopping the control room from opening.
 */
export async function detectFfmpeg(): Promise<{
  status: FfmpegStatus;
  binaries: ResolvedBinaries | null;
}> {
  try {
    const binaries = resolveFfmpeg();
    const version = await probeFfmpegVersion(binaries.ffmpeg.path);
    return {
      status: { path: binaries.ffmpeg.path, source: binaries.ffmpeg.source, version },
      binaries,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: { path: null, source: null, version: null, error: message }, binaries: null };
  }
}
