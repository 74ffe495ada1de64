import { datesInclusive, instantAt, isoWeekday, type LocalDate } from './days';

/** A weekly time block in station wall-clock time, e.g. weekdays 06:00–09:00 cartoons. */
export type TimeBlock = {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: readonly number[];
  /** Minutes after local midnight; `endMinute` may be 1440 (midnight at the end of the day). */
  startMinute: number;
  endMinute: number;
};
export type BlockWindow = { date: LocalDate; block: number; start: number; end: number };

/**
 * The real instants each block covers on each date. Wall-clock times are kept across DST, so
 * a 00:00–06:00 block lasts 5 h on a spring-forward night and 7 h on a fall-back one.
 */
export function templateWindows(
  zone: string,
  blocks: readonly TimeBlock[],
  from: LocalDate,
  to: LocalDate,
): BlockWindow[] {
  const windows: BlockWindow[] = [];
  for (const date of datesInclusive(from, to)) {
    const weekday = isoWeekday(date);
    blocks.forEach((b, block) => {
      if (!b.weekdays.includes(weekday)) return;
      const start = instantAt(zone, date, b.startMinute * 60_000);
      const end = instantAt(zone, date, b.endMinute * 60_000);
      if (end > start) windows.push({ date, block, start, end });
    });
  }
  return windows;
}

/** "06:30" → 390; "24:00" → 1440. */
export function parseHhMm(value: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && minutes <= 1440 ? minutes : undefined;
}
