import { DateTime, Settings } from 'luxon';
import { luxonLocalizer, type DateLocalizer } from 'react-big-calendar';

/**
 * The calendar shows the STATION's wall clock, whatever zone the browser is in: luxon's default
 * zone is set to the station zone and react-big-calendar's luxon localizer reads it on every call.
 */
export function applyStationZone(zone: string): void {
  if (Settings.defaultZone.name !== zone) Settings.defaultZone = zone;
}

/**
 * The stock localizer lays out time slots by wall-clock minutes (`set({minutes})`) and adds the
 * BROWSER's DST offset; both are wrong for a station zone different from the browser's and on
 * DST days. Slots here are elapsed minutes from the station midnight, so a spring-forward day
 * has 23 hour rows (00, 01, 03 …) and an autumn day 25 (… 02, 02 …).
 */
export function createStationLocalizer(): DateLocalizer {
  const localizer = luxonLocalizer(DateTime, { firstDayOfWeek: 1 });
  const patched = localizer as DateLocalizer & {
    getSlotDate(date: Date, minutesFromMidnight: number, offset: number): Date;
    getDstOffset(start: Date, end: Date): number;
    getTotalMin(start: Date, end: Date): number;
    getMinutesFromMidnight(date: Date): number;
  };
  patched.getSlotDate = (date, minutesFromMidnight, offset) =>
    DateTime.fromJSDate(date)
      .startOf('day')
      .plus({ minutes: minutesFromMidnight + offset })
      .toJSDate();
  patched.getDstOffset = () => 0;
  patched.getTotalMin = (start, end) => Math.round((+end - +start) / 60_000);
  patched.getMinutesFromMidnight = (date) =>
    Math.round((+date - +DateTime.fromJSDate(date).startOf('day').toJSDate()) / 60_000);
  return localizer;
}

/** Midnight of the station day containing `ms`, and of the next. */
export function stationDay(ms: number): { from: number; to: number } {
  const start = DateTime.fromMillis(ms).startOf('day');
  return { from: start.toMillis(), to: start.plus({ days: 1 }).toMillis() };
}

export function stationDate(ms: number): string {
  return DateTime.fromMillis(ms).toISODate() ?? '';
}

/** The range a view shows around `date` (station zone, weeks start on Monday). */
export function visibleRange(view: string, date: number): { from: number; to: number } {
  const dt = DateTime.fromMillis(date);
  switch (view) {
    case 'week': {
      const start = dt.startOf('week');
      return { from: start.toMillis(), to: start.plus({ weeks: 1 }).toMillis() };
    }
    case 'month': {
      const start = dt.startOf('month').startOf('week');
      const end = dt.endOf('month').endOf('week').plus({ milliseconds: 1 });
      return { from: start.toMillis(), to: end.toMillis() };
    }
    case 'agenda': {
      const start = dt.startOf('day');
      return { from: start.toMillis(), to: start.plus({ days: 30 }).toMillis() };
    }
    default:
      return stationDay(date);
  }
}

export function formatClock(ms: number): string {
  return DateTime.fromMillis(ms).toFormat('HH:mm:ss');
}

export function formatDayTime(ms: number): string {
  return DateTime.fromMillis(ms).toFormat('ccc dd LLL HH:mm:ss');
}

/** 1h 05m, 4m 30s, 12s — a gap's length at a glance. */
export function formatLength(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor(total / 60) % 60;
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return s ? `${m}m ${String(s).padStart(2, '0')}s` : `${m}m`;
  const frac = ms % 1000;
  return frac && total < 10 ? `${(ms / 1000).toFixed(2)}s` : `${s}s`;
}
