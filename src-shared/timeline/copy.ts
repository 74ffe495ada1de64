import {
  addDays,
  daysBetween,
  instantAt,
  localDateOf,
  localDayRange,
  msOfLocalDay,
  type LocalDate,
} from './days';

/**
 * How copied items keep their times. `wallClock`: 20:00 stays 20:00 on the target day, so on a
 * DST target day the item spanning the change overlaps its successor (23 h day) or leaves an
 * hour's gap (25 h day), which the copy refuses or the validation report shows. `elapsed`:
 * the same offset from local midnight, so the run stays gapless and later wall-clock times
 * move by an hour.
 */
export type CopyAlign = 'wallClock' | 'elapsed';

/** Where an item that starts at `start` (inside the source days) lands when copied to `target`. */
export function copiedStart(
  zone: string,
  start: number,
  sourceFirstDay: LocalDate,
  targetFirstDay: LocalDate,
  align: CopyAlign,
): number {
  const date = localDateOf(zone, start);
  const dayIndex = daysBetween(sourceFirstDay, date);
  const targetDate = addDays(targetFirstDay, dayIndex);
  if (align === 'wallClock') return instantAt(zone, targetDate, msOfLocalDay(zone, start));
  return localDayRange(zone, targetDate).start + (start - localDayRange(zone, date).start);
}
