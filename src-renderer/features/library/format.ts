import type { AssetState, AssetSummary } from '../../../src-shared/contract';

/** The house frame rate for timecodes shown in lists (PAL/25p station). */
export const STATION_FPS = 25;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** HH:MM:SS:FF at `fps` (non-drop-frame), e.g. 00:01:30:12. */
export function timecode(ms: number | null | undefined, fps = STATION_FPS): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '--:--:--:--';
  const totalFrames = Math.floor((ms * fps) / 1000 + 1e-6);
  const frames = totalFrames % fps;
  const totalSeconds = Math.floor(totalFrames / fps);
  const s = totalSeconds % 60;
  const m = Math.floor(totalSeconds / 60) % 60;
  const h = Math.floor(totalSeconds / 3600);
  return `${pad(h)}:${pad(m)}:${pad(s)}:${pad(frames)}`;
}

/** HH:MM:SS.mmm, for places where a frame count would mislead (variable frame rate, audio). */
export function clockDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '--:--:--.---';
  const whole = Math.floor(ms);
  const h = Math.floor(whole / 3_600_000);
  const m = Math.floor(whole / 60_000) % 60;
  const s = Math.floor(whole / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(whole % 1000, 3)}`;
}

/** Decimal units, as disks and operators count them. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatResolution(width: number | null, height: number | null): string {
  return width && height ? `${width}×${height}` : '—';
}

export function formatPercent(progress: number): string {
  return `${Math.floor(Math.max(0, Math.min(1, progress)) * 100)}%`;
}

export const stateNames: Record<AssetState, string> = {
  probing: 'Probing',
  queued: 'Queued',
  ingesting: 'Ingesting',
  ready: 'Ready',
  failed: 'Failed',
};

/** One line a person understands: "Ingesting 42%", "Failed: not a video file". */
export function describeState(asset: Pick<AssetSummary, 'state' | 'progress' | 'error'>): string {
  switch (asset.state) {
    case 'probing':
      return 'Probing…';
    case 'queued':
      return 'Queued for ingest';
    case 'ingesting':
      return `Ingesting ${formatPercent(asset.progress)}`;
    case 'ready':
      return 'Ready';
    case 'failed':
      return asset.error ? `Failed: ${asset.error}` : 'Failed';
  }
}

/**
 * Reads "90", "1:30", "1:02:03" or "1.5" (seconds) as milliseconds; empty → undefined;
 * anything else → null (invalid).
 */
export function parseDurationInput(text: string): number | undefined | null {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (!/^\d+(:\d{1,2}){0,2}(\.\d+)?$/.test(trimmed)) return null;
  const parts = trimmed.split(':');
  let seconds = 0;
  for (const part of parts) seconds = seconds * 60 + Number(part);
  return Number.isFinite(seconds) ? Math.round(seconds * 1000) : null;
}

export function formatDateTime(ms: number, timeZone?: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(ms);
  } catch {
    return new Date(ms).toISOString();
  }
}
