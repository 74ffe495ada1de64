import { RRule } from 'rrule';
import type { Shift, ShiftSeries } from '../contract/shifts';
import { instantToWall, wallToInstant } from '../timeline/zone';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Local date + local time as a "wall" value (local fields encoded as UTC ms). */
function wallOf(date: string, time: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  return Date.UTC(y, m - 1, d, hh, mm);
}

/**
 * The occurrences of a series that overlap [from, to). The rule runs over wall time (rrule
 * without a zone treats dates as floating), then each wall start and wall end becomes an
 * instant in the station's zone: an 06:00 shift starts at 06:00 local on both sides of a DST
 * change, and a night shift to 06:00 ends at 06:00 local (9 real hours on the long night).
 * Exceptions: `skip` drops the occurrence the rule put at `occurrenceStart` (EXDATE), `move`
 * puts it elsewhere, or gives it another person, assignments or note, and keeps its identity.
 */
export function expandSeries(series: ShiftSeries, zone: string, from: number, to: number): Shift[] {
  const durationMs = series.durationMinutes * MINUTE_MS;
  const options = RRule.parseString(series.rrule);
  const rule = new RRule({
    ...options,
    dtstart: new Date(wallOf(series.startDate, series.startTime)),
  });
  // Wall window widened by a day each side: offsets are under a day, and an occurrence that
  // starts before `from` may still run into it.
  const wallFrom = instantToWall(zone, from) - DAY_MS - durationMs;
  const wallTo = instantToWall(zone, to) + DAY_MS;
  const exceptions = new Map(series.exceptions.map((e) => [e.occurrenceStart, e]));
  const out: Shift[] = [];
  const push = (
    occurrenceStart: number,
    start: number,
    end: number,
    own: Partial<Pick<Shift, 'personId' | 'channelIds' | 'sourceIds' | 'note'>> = {},
  ) => {
    if (end <= from || start >= to) return;
    out.push({
      key: `series:${series.id}:${occurrenceStart}`,
      shiftId: null,
      seriesId: series.id,
      occurrenceStart,
      personId: own.personId ?? series.personId,
      start,
      end,
      kind: series.kind,
      channelIds: own.channelIds ?? series.channelIds,
      sourceIds: own.sourceIds ?? series.sourceIds,
      note: own.note ?? series.note,
    });
  };
  for (const date of rule.between(new Date(wallFrom), new Date(wallTo), true)) {
    const wallStart = date.getTime();
    const start = wallToInstant(zone, wallStart);
    if (exceptions.has(start)) continue;
    push(start, start, wallToInstant(zone, wallStart + durationMs));
  }
  for (const e of series.exceptions)
    if (e.kind === 'move') push(e.occurrenceStart, e.start, e.end, e);
  return out.sort((a, b) => a.start - b.start);
}

/** Checks a rule body before it is stored; returns a reason or null. */
export function ruleProblem(rrule: string): string | null {
  try {
    const options = RRule.parseString(rrule);
    if (options.freq === undefined) return 'the rule needs FREQ';
    new RRule(options);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : 'not a valid RRULE';
  }
}
