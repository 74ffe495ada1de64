import { DateTime } from 'luxon';
import type { PlayoutProgramme, PlayoutStatus, Settings } from '../../../src-shared/contract';
import { clockText, formatStationTime } from '../clock/format-station-time';

export type Zone = { timeZone: string; clockFormat: Settings['clockFormat'] };

/** "14:03:22" in the station zone (the station clock's own formatting). */
export function stationClock(ms: number, zone: Zone): string {
  return clockText(formatStationTime(ms, zone.timeZone, zone.clockFormat));
}

/** "14:03:22.040": the segment boundary an action takes effect at. */
export function stationClockMs(ms: number, zone: Zone): string {
  const time = formatStationTime(ms, zone.timeZone, zone.clockFormat);
  const fraction = `.${String(((ms % 1000) + 1000) % 1000).padStart(3, '0')}`;
  const hms = `${time.hours}:${time.minutes}:${time.seconds}${fraction}`;
  return time.dayPeriod ? `${hms} ${time.dayPeriod}` : hms;
}

/** "05:09", "1:02:03" or "12d 03:00:00": a countdown or an elapsed time, never negative. */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86_400);
  const h = Math.floor(total / 3600) % 24;
  const m = Math.floor(total / 60) % 60;
  const s = total % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  if (days > 0) return `${days}d ${String(h).padStart(2, '0')}:${mmss}`;
  return h > 0 || total >= 3600 ? `${h}:${mmss}` : mmss;
}

/** "+1.240 s (31 f)" — how far from the schedule an entry aired. */
export function difference(ms: number, fps: number): string {
  const frames = Math.round((ms * fps) / 1000);
  const sign = ms > 0 ? '+' : ms < 0 ? '−' : '±';
  return `${sign}${(Math.abs(ms) / 1000).toFixed(3)} s (${sign}${Math.abs(frames)} f)`;
}

/** "0:45", "1:05:09": a programme's length. */
export function length(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor(total / 60) % 60;
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The station date (YYYY-MM-DD) containing `ms`. */
export function stationDate(ms: number, timeZone: string): string {
  return DateTime.fromMillis(ms, { zone: timeZone }).toISODate() ?? '';
}

/** Midnight to midnight of a station date (23 or 25 hours on DST days). */
export function stationDayRange(date: string, timeZone: string): { from: number; to: number } {
  const start = DateTime.fromISO(date, { zone: timeZone }).startOf('day');
  return { from: start.toMillis(), to: start.plus({ days: 1 }).toMillis() };
}

export type LiveView = {
  now: PlayoutProgramme | null;
  next: PlayoutProgramme | null;
  later: PlayoutProgramme[];
};

/**
 * Where the air is at `at` according to the status the core last sent. Between two
 * `playoutChanged` events the clock keeps moving, so a programme that has ended hands over to
 * the following one here instead of counting down past zero.
 */
export function liveView(status: PlayoutStatus, at: number | null): LiveView {
  const list: PlayoutProgramme[] = [];
  if (status.now) list.push(status.now);
  list.push(...status.upcoming);
  if (at === null) return { now: status.now, next: status.next, later: status.upcoming };
  let index = list.findIndex((p) => p.endsAt > at);
  if (index === -1) index = list.length;
  const current = list[index];
  const now = current && current.startsAt <= at ? current : null;
  const rest = list.slice(now ? index + 1 : index);
  return { now, next: rest[0] ?? null, later: rest };
}

export type RundownRow = PlayoutProgramme & { gap: boolean };

/** Programmes in order with the holes between them as slate rows. */
export function withGaps(list: readonly PlayoutProgramme[], from: number | null): RundownRow[] {
  const rows: RundownRow[] = [];
  let cursor = from;
  for (const item of list) {
    if (cursor !== null && item.startsAt > cursor + 999) {
      rows.push({
        itemId: null,
        assetId: null,
        title: 'Slate (gap)',
        startsAt: cursor,
        endsAt: item.startsAt,
        kind: 'slate',
        category: null,
        gap: true,
      });
    }
    rows.push({ ...item, gap: false });
    cursor = Math.max(cursor ?? item.endsAt, item.endsAt);
  }
  return rows;
}
