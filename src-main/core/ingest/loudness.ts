// EBU R128 normalisation as one linear gain: measured once, applied while encoding. Cheaper
// than ffmpeg's dynamic loudnorm (which resamples to 192 kHz) and it keeps the mix's dynamics.
//
// Two passes over the audio: the integrated loudness alone (about half the cost of both, and
// a small fraction of the encode) gives the gain an encode can start with; the true-peak pass
// (4× oversampled) runs beside that encode. The true peak can only lower the gain, and the
// encode is redone in the rare case it does.
import type { HouseProfile } from '../../../src-shared/contract';

export type Loudness = {
  integratedLufs: number;
  truePeakDbtp: number | null;
  /** How far the measured audio went (ffmpeg's last progress report), s; null if unknown. */
  audioSeconds?: number | null;
};

/**
 * A programme within this many LU of the target is already normalised (EBU R128 allows
 * ±0.5 LU where exact normalisation is not practicable): its audio may be copied untouched.
 */
export const LOUDNESS_TOLERANCE_LU = 0.5;

/** Highest true peak the gain may push the programme to. */
export const TRUE_PEAK_CEILING_DBTP = -1;
const MAX_GAIN_DB = 30;

/**
 * ebur128 over the first audio stream, downmixed to stereo as the encode downmixes it; the
 * summary comes on stderr at the end. Both passes use the same chain, so they agree on the
 * integrated loudness.
 */
export function buildLoudnessPassArgs(input: string, pass: 'integrated' | 'true-peak'): string[] {
  const peak = pass === 'true-peak' ? 'peak=true:' : '';
  return [
    '-i',
    input,
    '-map',
    '0:a:0',
    '-vn',
    '-sn',
    '-dn',
    '-af',
    `aformat=channel_layouts=stereo,ebur128=${peak}framelog=verbose:metadata=0`,
    '-f',
    'null',
    '-',
  ];
}

/** Reads the summary ebur128 prints at the end of stderr; null if it is missing. */
export function parseEbur128Summary(stderr: readonly string[]): Loudness | null {
  const text = stderr.join('\n');
  const summary = text.lastIndexOf('Summary:');
  if (summary < 0) return null;
  const tail = text.slice(summary);
  const integrated = /Integrated loudness:\s*\n\s*I:\s*(-?[\d.]+|-inf)\s*LUFS/.exec(tail);
  if (!integrated) return null;
  const peak = /True peak:\s*\n\s*Peak:\s*(-?[\d.]+|-inf)\s*dBFS/.exec(tail);
  const toNumber = (s: string | undefined) =>
    s === undefined ? null : s === '-inf' ? -Infinity : Number(s);
  return {
    integratedLufs: toNumber(integrated[1]) ?? -Infinity,
    truePeakDbtp: toNumber(peak?.[1]),
  };
}

/**
 * Gain to reach the target, lowered if it would push true peaks above the ceiling. Silence
 * (ebur128 gates it away: −70 LUFS or −inf) is left alone rather than amplified into hiss.
 */
export function normalisationGainDb(
  measured: Loudness | null,
  target: HouseProfile['loudnessLufs'],
): number {
  if (!measured || !Number.isFinite(measured.integratedLufs) || measured.integratedLufs <= -70) {
    return 0;
  }
  let gain = target - measured.integratedLufs;
  if (measured.truePeakDbtp !== null && Number.isFinite(measured.truePeakDbtp)) {
    gain = Math.min(gain, TRUE_PEAK_CEILING_DBTP - measured.truePeakDbtp);
  }
  return Math.max(-MAX_GAIN_DB, Math.min(MAX_GAIN_DB, Math.round(gain * 100) / 100));
}
