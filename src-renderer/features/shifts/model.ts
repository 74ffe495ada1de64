import { DateTime } from 'luxon';
import type { Conflict, Shift, TimeOff } from '../../../src-shared/contract';

export type ConflictKind = Conflict['kind'];

export type ShiftEvent = {
  kind: 'shift';
  id: string;
  shift: Shift;
  start: Date;
  end: Date;
  resourceId: number;
  title: string;
  problems: ConflictKind[];
};
export type OffEvent = {
  kind: 'off';
  id: string;
  off: TimeOff;
  start: Date;
  end: Date;
  resourceId: number;
  title: string;
};
/** An interval in which a channel or source that needs cover has nobody assigned. */
export type UncoveredEvent = {
  kind: 'uncovered';
  id: string;
  conflict: Conflict;
  start: Date;
  end: Date;
  resourceId: typeof NEEDS_COVER_COLUMN;
  title: string;
};
export type CalEvent = ShiftEvent | OffEvent | UncoveredEvent;

/** The calendar column (before the people) that shows what nobody covers. */
export const NEEDS_COVER_COLUMN = -1;

/** Words and a shape for each conflict kind: the calendar never relies on colour alone. */
export const conflictText: Record<ConflictKind, { label: string; mark: string }> = {
  overlap: { label: 'Double booked', mark: '⧉' },
  short_rest: { label: 'Too little rest', mark: '⏱' },
  uncovered: { label: 'Nobody assigned', mark: '○' },
  disabled_person: { label: 'Account disabled', mark: '⊘' },
  time_off: { label: 'During time off', mark: '✕' },
};

export const kindLabel = { early: 'Early', late: 'Late', night: 'Night', custom: 'Shift' } as const;

/**
 * Calendar events for the people shown, with each shift's conflicts attached, and each
 * uncovered interval in the "Needs cover" column named by `targetName`.
 */
export function buildEvents(
  shifts: readonly Shift[],
  timeOff: readonly TimeOff[],
  conflicts: readonly Conflict[],
  shown: ReadonlySet<number>,
  targetName: (conflict: Conflict) => string,
): CalEvent[] {
  const problems = new Map<string, Set<ConflictKind>>();
  for (const c of conflicts)
    for (const key of c.shiftKeys) {
      const set = problems.get(key) ?? new Set();
      set.add(c.kind);
      problems.set(key, set);
    }
  const events: CalEvent[] = [];
  for (const shift of shifts) {
    if (!shown.has(shift.personId)) continue;
    events.push({
      kind: 'shift',
      id: shift.key,
      shift,
      start: new Date(shift.start),
      end: new Date(shift.end),
      resourceId: shift.personId,
      title: kindLabel[shift.kind],
      problems: [...(problems.get(shift.key) ?? [])],
    });
  }
  for (const off of timeOff) {
    if (!shown.has(off.personId)) continue;
    events.push({
      kind: 'off',
      id: `off:${off.id}`,
      off,
      start: new Date(off.start),
      end: new Date(off.end),
      resourceId: off.personId,
      title: `Time off${off.reason ? `: ${off.reason}` : ''}`,
    });
  }
  for (const [i, c] of conflicts.entries()) {
    if (c.kind !== 'uncovered' || !c.target) continue;
    events.push({
      kind: 'uncovered',
      id: `uncovered:${c.target.kind}:${c.target.id}:${c.start}:${i}`,
      conflict: c,
      start: new Date(c.start),
      // A millisecond short: the calendar files a midnight-to-midnight span as an all-day
      // event, away from the time grid; the dialog and the title keep the conflict's own times.
      end: new Date(c.end - 1),
      resourceId: NEEDS_COVER_COLUMN,
      title: `Nobody on ${targetName(c)}`,
    });
  }
  return events;
}

/** A `datetime-local` value in the station zone (luxon's default zone is the station's). */
export const toLocalInput = (ms: number) => DateTime.fromMillis(ms).toFormat("yyyy-LL-dd'T'HH:mm");
export const fromLocalInput = (value: string) => {
  const dt = DateTime.fromISO(value);
  return dt.isValid ? dt.toMillis() : null;
};
export const formatSpan = (start: number, end: number) =>
  `${DateTime.fromMillis(start).toFormat('ccc dd LLL HH:mm')}–${DateTime.fromMillis(end).toFormat(
    'HH:mm',
  )}`;

export const repeatRules = {
  none: null,
  daily: 'FREQ=DAILY',
  weekdays: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
  weekly: 'FREQ=WEEKLY',
} as const;
export type Repeat = keyof typeof repeatRules;
