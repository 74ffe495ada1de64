// When a scheduled report runs and which days it covers, in the station's time zone (luxon):
// "daily at 06:00" is 06:00 on the wall clock on a 23- or 25-hour day too.
import { DateTime } from 'luxon';
import type { ReportSchedule } from '../../../src-shared/contract';

type When = Pick<ReportSchedule, 'frequency' | 'weekday' | 'time'>;

/** The first planned run strictly after `after`. */
export function nextRunAfter(schedule: When, zone: string, after: number): number {
  const [hour, minute] = schedule.time.split(':').map(Number) as [number, number];
  const start = DateTime.fromMillis(after, { zone }).startOf('day');
  // Eight days always hold the next weekly slot; a daily one is within two.
  for (let d = 0; d <= 8; d++) {
    const day = start.plus({ days: d });
    if (schedule.frequency === 'weekly' && day.weekday !== schedule.weekday) continue;
    // On the day clocks spring forward, a time in the gap becomes the first instant after it.
    const slot = day.set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
    if (slot > after) return slot;
  }
  throw new Error(`no run found after ${after} for ${JSON.stringify(schedule)}`);
}

/**
 * The whole station days a run covers: the `periodDays` days before the day it runs on
 * ("daily at 06:00, 1 day" reports yesterday).
 */
export function periodBefore(
  runAt: number,
  zone: string,
  periodDays: number,
): { from: number; to: number } {
  const to = DateTime.fromMillis(runAt, { zone }).startOf('day');
  return { from: to.minus({ days: periodDays }).toMillis(), to: to.toMillis() };
}
