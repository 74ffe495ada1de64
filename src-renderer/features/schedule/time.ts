import { DateTime } from 'luxon';

export { applyStationZone } from '../../ui/calendar/station-zone';

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
    case 'week':
    case 'channels': {
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
