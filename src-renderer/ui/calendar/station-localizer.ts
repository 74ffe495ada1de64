import { DateTime } from 'luxon';
import { luxonLocalizer, type DateLocalizer } from 'react-big-calendar';

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
