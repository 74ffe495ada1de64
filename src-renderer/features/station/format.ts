export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value >= 100 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** "3d 04:05:06": days spelled out, the rest like a timecode operators read at a glance. */
export function formatUptime(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(totalSeconds / 86_400);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hms = `${pad(Math.floor(totalSeconds / 3600) % 24)}:${pad(Math.floor(totalSeconds / 60) % 60)}:${pad(totalSeconds % 60)}`;
  return days > 0 ? `${days}d ${hms}` : hms;
}

export function formatLoad(load: number[]): string {
  return load.length ? load.map((value) => value.toFixed(2)).join(' · ') : 'n/a';
}

/** "+0.012 s" — the sign says whether this workstation is behind (+) or ahead (−) of the core. */
export function formatOffset(ms: number): string {
  const sign = ms >= 0 ? '+' : '−';
  return `${sign}${(Math.abs(ms) / 1000).toFixed(3)} s`;
}

const ffmpegSources = {
  env: 'AIRDECK_FFMPEG',
  bundled: 'bundled (ffmpeg-static)',
  path: 'system PATH',
} as const;

export function describeFfmpegSource(source: keyof typeof ffmpegSources | null): string {
  return source ? ffmpegSources[source] : 'not found';
}
