import { FfmpegError } from '../ffmpeg';

/** A reason an asset cannot be ingested, worded for the person who imported it. */
export class IngestFailure extends Error {
  override readonly name = 'IngestFailure';
}

/**
 * A segment that does not start on a keyframe or holds the wrong number of frames. From a copy
 * of the source's own video it means the source's keyframes do not fit the house cadence, so
 * the source is transcoded instead; from an encode it is a plain failure.
 */
export class SegmentCutError extends IngestFailure {}

export const CANCELLED_REASON = 'Cancelled by an operator.';
export const DISK_FULL_REASON =
  'Not enough disk space to ingest this asset: free space in the media folder, then retry.';

function isDiskFull(error: unknown): boolean {
  if ((error as NodeJS.ErrnoException | null)?.code === 'ENOSPC') return true;
  return (
    error instanceof FfmpegError &&
    error.stderrTail.some((line) => /No space left on device/i.test(line))
  );
}

/** The last stderr line that says something (ffmpeg ends with summaries and "Conversion failed!"). */
function telling(lines: readonly string[]): string | null {
  const useful = lines
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^Conversion failed!?$/i.test(line));
  return useful.at(-1) ?? null;
}

/** Turns anything a job threw into one sentence for the asset's `error` column. */
export function describeIngestError(error: unknown): string {
  if (error instanceof IngestFailure) return error.message;
  if (isDiskFull(error)) return DISK_FULL_REASON;
  if (error instanceof FfmpegError) {
    if (error.signal !== null) {
      return `The encoder stopped unexpectedly (killed by ${error.signal}). Retry to start again.`;
    }
    const line = telling(error.stderrTail);
    return line ? `The encoder failed: ${line}` : `The encoder failed (${error.message}).`;
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') {
    return 'Permission denied while writing the media folder.';
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Ingest failed unexpectedly: ${message}`;
}
