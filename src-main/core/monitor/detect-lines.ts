// Reads what ffmpeg's detection filters write on stderr. Times are the stream's own
// (seconds from the first frame ffmpeg read), turned into integer milliseconds.

export type Condition = 'black' | 'freeze' | 'silence';

export type DetectLine =
  /** The stream position ffmpeg has reached (a progress block's out_time, a frame's pts). */
  | { type: 'clock'; mediaMs: number }
  | { type: 'start' | 'end'; condition: Condition; mediaMs: number }
  /** The input's first timestamp (the banner's `start:`): what stream time 0 stands for. */
  | { type: 'origin'; ptsMs: number }
  /** The reader fell behind a live playlist and jumped ahead: stream time lost some air. */
  | { type: 'skipped' };

const toMs = (seconds: string): number | null => {
  const value = Number(seconds);
  return Number.isFinite(value) ? Math.round(value * 1000) : null;
};

// `metadata=mode=print` after blackdetect: blackdetect itself logs only when black ends.
const BLACK = /lavfi\.black_(start|end)=(-?[\d.]+)/;
const FREEZE = /lavfi\.freezedetect\.freeze_(start|end): (-?[\d.]+)/;
const SILENCE = /silence_(start|end): (-?[\d.]+)/;
const PTS_TIME = /\bpts_time:(-?[\d.]+)/;
const OUT_TIME_US = /^out_time_us=(\d+)$/;
const INPUT_START = /^Duration: [^,]*, start: (-?\d+\.\d+)/;
const SKIPPED = /\bskipping \d+ segments ahead\b/;

export function parseDetectLine(line: string): DetectLine | null {
  const trimmed = line.trim();
  const out = OUT_TIME_US.exec(trimmed);
  if (out) return { type: 'clock', mediaMs: Math.round(Number(out[1]) / 1000) };
  const origin = INPUT_START.exec(trimmed);
  if (origin) return { type: 'origin', ptsMs: Number(origin[1]) * 1000 };
  if (SKIPPED.test(trimmed)) return { type: 'skipped' };
  for (const [pattern, condition] of [
    [BLACK, 'black'],
    [FREEZE, 'freeze'],
    [SILENCE, 'silence'],
  ] as const) {
    const match = pattern.exec(trimmed);
    if (!match) continue;
    const mediaMs = toMs(match[2]!);
    if (mediaMs === null) return null;
    return {
      type: match[1] === 'start' ? 'start' : 'end',
      condition,
      mediaMs: Math.max(0, mediaMs),
    };
  }
  const pts = PTS_TIME.exec(trimmed);
  if (pts) {
    const mediaMs = toMs(pts[1]!);
    return mediaMs === null ? null : { type: 'clock', mediaMs: Math.max(0, mediaMs) };
  }
  return null;
}
