// Parser for the machine-readable progress ffmpeg writes with `-progress pipe:1 -nostats`:
// blocks of `key=value` lines, each block closed by `progress=continue` or `progress=end`.
// Pure and stateful only in the bytes it has not yet seen a newline for, so it can be fed
// whatever chunk sizes the pipe happens to deliver.

export interface FfmpegProgress {
  frame?: number;
  fps?: number;
  /** Output position; null while ffmpeg reports N/A or a nonsense (negative) time. */
  outTimeMs: number | null;
  totalSizeBytes?: number;
  /** Realtime factor (1 = realtime); null when ffmpeg reports N/A. */
  speed?: number | null;
  bitrateKbps?: number | null;
  /** True for the final block (`progress=end`). */
  done: boolean;
  /** 0..100, only when the expected duration was given. */
  percent?: number;
}

export interface ProgressParserOptions {
  /** Expected output duration, enables `percent`. */
  durationMs?: number;
}

export interface ProgressParser {
  /** Feed raw stdout text; returns the blocks completed by this chunk, in order. */
  push(chunk: string): FfmpegProgress[];
}

// A line longer than this is not progress output (someone wrote media to pipe:1): drop it
// rather than buffer it forever.
const MAX_LINE = 64 * 1024;

const TIMESTAMP = /^(-)?(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d*)?)$/;

/**
 * Parses an ffmpeg time duration (`[-][HH:]MM:SS[.frac]` or `[-]S[.frac]`) into milliseconds,
 * rounded to the nearest ms. Returns null for anything else.
 */
export function parseFfmpegTimestamp(text: string): number | null {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return null;
  const hours = m[2] === undefined ? 0 : Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  const seconds = Number(m[4]);
  // A minutes or seconds field of 60+ after a colon is not a timestamp ffmpeg would print.
  if (m[3] !== undefined && seconds >= 60) return null;
  if (m[2] !== undefined && minutes >= 60) return null;
  const ms = Math.round(((hours * 60 + minutes) * 60 + seconds) * 1000);
  if (!Number.isFinite(ms)) return null;
  return m[1] ? -ms : ms;
}

/** A finite, non-negative number, or undefined for N/A, garbage and negatives. */
function nonNegative(value: string | undefined, unit = ''): number | undefined {
  if (value === undefined) return undefined;
  let text = value.trim();
  if (unit && text.endsWith(unit)) text = text.slice(0, -unit.length).trim();
  if (text === '' || !/^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** For fields whose absence (undefined) differs from "ffmpeg does not know" (null). */
function nullable(value: string | undefined, unit = ''): number | null | undefined {
  if (value === undefined) return undefined;
  return nonNegative(value, unit) ?? null;
}

function outTimeMs(block: Map<string, string>): number | null {
  // out_time_ms is microseconds too (a historic ffmpeg mistake), so both divide by 1000.
  for (const key of ['out_time_us', 'out_time_ms']) {
    const us = nonNegative(block.get(key));
    if (us !== undefined) return Math.round(us / 1000);
  }
  const text = block.get('out_time');
  if (text === undefined) return null;
  const ms = parseFfmpegTimestamp(text);
  return ms !== null && ms >= 0 ? ms : null;
}

function toProgress(block: Map<string, string>, durationMs: number | undefined): FfmpegProgress {
  const done = block.get('progress')?.trim() === 'end';
  const progress: FfmpegProgress = { outTimeMs: outTimeMs(block), done };
  const frame = nonNegative(block.get('frame'));
  if (frame !== undefined && Number.isInteger(frame)) progress.frame = frame;
  const fps = nonNegative(block.get('fps'));
  if (fps !== undefined) progress.fps = fps;
  const size = nonNegative(block.get('total_size'));
  if (size !== undefined && Number.isInteger(size)) progress.totalSizeBytes = size;
  const speed = nullable(block.get('speed'), 'x');
  if (speed !== undefined) progress.speed = speed;
  const bitrate = nullable(block.get('bitrate'), 'kbits/s');
  if (bitrate !== undefined) progress.bitrateKbps = bitrate;
  if (durationMs !== undefined && durationMs > 0) {
    if (done) progress.percent = 100;
    else if (progress.outTimeMs !== null) {
      progress.percent = Math.min(100, Math.max(0, (progress.outTimeMs / durationMs) * 100));
    }
  }
  return progress;
}

export function createProgressParser(options: ProgressParserOptions = {}): ProgressParser {
  let partial = '';
  let block = new Map<string, string>();
  return {
    push(chunk: string): FfmpegProgress[] {
      const out: FfmpegProgress[] = [];
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      if (partial.length > MAX_LINE) partial = '';
      for (const raw of lines) {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        const eq = line.indexOf('=');
        if (eq <= 0) continue;
        const key = line.slice(0, eq).trim();
        block.set(key, line.slice(eq + 1));
        if (key === 'progress') {
          out.push(toProgress(block, options.durationMs));
          block = new Map();
        }
      }
      return out;
    },
  };
}
