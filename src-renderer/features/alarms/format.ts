import type { Alarm, AlarmKind, MonitorSource, StreamProbe } from '../../../src-shared/contract';

export const kindLabels: Record<AlarmKind, string> = {
  black: 'Black',
  freeze: 'Freeze',
  silence: 'Silence',
  stalled: 'Stalled',
  offline: 'Offline',
  'media-not-ready': 'Media not ready',
  playout: 'Playout',
  'low-disk': 'Low disk',
};

const sourceKindLabels: Record<Alarm['sourceKind'], string> = {
  channel: 'Channel',
  outside: 'Outside',
  asset: 'Asset',
  station: 'Station',
};

export function sourceLabel(alarm: Alarm): string {
  return `${sourceKindLabels[alarm.sourceKind]} · ${alarm.sourceName}`;
}

/** "1280×720 h264 29.97 fps · aac 2 ch 48 kHz". */
export function describeProbe(probe: StreamProbe): string {
  const parts: string[] = [];
  if (probe.video) {
    const fps = probe.video.fps === null ? '' : ` ${probe.video.fps} fps`;
    parts.push(`${probe.video.width}×${probe.video.height} ${probe.video.codec}${fps}`);
  }
  if (probe.audio)
    parts.push(
      `${probe.audio.codec} ${probe.audio.channels} ch ${probe.audio.sampleRate / 1000} kHz`,
    );
  return parts.join(' · ') || probe.format;
}

export const stateTones: Record<MonitorSource['state'], 'ok' | 'warn' | 'bad' | 'idle'> = {
  running: 'ok',
  starting: 'idle',
  stalled: 'warn',
  offline: 'bad',
  stopped: 'idle',
};

/** "12 s", "4 min", "2 h 5 min": how long an alarm has been up. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
