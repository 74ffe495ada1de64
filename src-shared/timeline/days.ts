import { instantToWall, wallToInstant } from './zone';

/** A station calendar day, `YYYY-MM-DD`, read in the station's zone. */
export type LocalDate = string;
const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(wall).toISOString().slice(0, 10) === value;
}

function dateWall(date: LocalDate): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function wallDate(wall: number): LocalDate {
  return new Date(wall).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return wallDate(dateWall(date) + days * DAY_MS);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const d = new Date(dateWall(date)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Whole days from `a` to `b`. */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((dateWall(b) - dateWall(a)) / DAY_MS);
}

/** The station day an instant belongs to. */
export function localDateOf(zone: string, instant: number): LocalDate {
  return wallDate(instantToWall(zone, instant));
}

/** The instant a wall-clock time (ms after local midnight, may be 24 h) happens on `date`. */
export function instantAt(zone: string, date: LocalDate, msOfDay: number): number {
  return wallToInstant(zone, dateWall(date) + msOfDay);
}

/** [start, end) of a station day: 23 h on a spring-forward day, 25 h on a fall-back day. */
export function localDayRange(zone: string, date: LocalDate): { start: number; end: number } {
  return { start: instantAt(zone, date, 0), end: instantAt(zone, addDays(date, 1), 0) };
}

/** Wall-clock milliseconds since local midnight. */
export function msOfLocalDay(zone: string, instant: number): number {
  const wall = instantToWall(zone, instant);
  return wall - Math.floor(wall / DAY_MS) * DAY_MS;
}

/** Every date from `from` to `to`, both included. */
export function datesInclusive(from: LocalDate, to: LocalDate): LocalDate[] {
  const out: LocalDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}
