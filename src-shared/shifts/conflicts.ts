import type { Conflict, Shift, TimeOff } from '../contract/shifts';
import { gapsIn, unionSpans, type Span } from './intervals';

export type ConflictInput = {
  window: Span;
  shifts: readonly Shift[];
  timeOff: readonly TimeOff[];
  /** Every person the plan may name; one missing or disabled cannot work a shift. */
  people: ReadonlyMap<number, { disabled: boolean }>;
  minRestMs: number;
  coverChannelIds: readonly number[];
  coverSourceIds: readonly number[];
};

/**
 * Every conflict in a plan, in O(n log n) per person: overlapping shifts of one person (each
 * overlapping pair once), too little rest between one shift's end and the next one's start,
 * shifts of a disabled or unknown account, shifts during the person's time off, and intervals
 * of the window in which a channel or source that needs cover has nobody assigned.
 */
export function findConflicts(input: ConflictInput): Conflict[] {
  const out: Conflict[] = [];
  const byPerson = new Map<number, Shift[]>();
  for (const s of input.shifts) {
    const list = byPerson.get(s.personId);
    if (list) list.push(s);
    else byPerson.set(s.personId, [s]);
  }
  const offByPerson = new Map<number, TimeOff[]>();
  for (const t of input.timeOff) {
    const list = offByPerson.get(t.personId);
    if (list) list.push(t);
    else offByPerson.set(t.personId, [t]);
  }

  for (const [personId, list] of byPerson) {
    list.sort((a, b) => a.start - b.start || a.end - b.end);
    const person = input.people.get(personId);
    if (!person || person.disabled)
      for (const s of list)
        out.push(conflict('disabled_person', [s.key], personId, s.start, s.end));

    // Shifts still running at the current start: any of them overlaps it.
    let open: Shift[] = [];
    let previous: Shift | null = null;
    for (const s of list) {
      open = open.filter((o) => o.end > s.start);
      for (const o of open)
        out.push(conflict('overlap', [o.key, s.key], personId, s.start, Math.min(o.end, s.end)));
      if (open.length === 0 && previous) {
        const rest = s.start - previous.end;
        if (rest < input.minRestMs)
          out.push(conflict('short_rest', [previous.key, s.key], personId, previous.end, s.start));
      }
      open.push(s);
      if (!previous || s.end > previous.end) previous = s;
    }

    for (const t of offByPerson.get(personId) ?? [])
      for (const s of list)
        if (s.start < t.end && t.start < s.end)
          out.push(
            conflict(
              'time_off',
              [s.key],
              personId,
              Math.max(s.start, t.start),
              Math.min(s.end, t.end),
            ),
          );
  }

  const coverage = (pick: (s: Shift) => readonly number[], id: number): Span[] =>
    unionSpans(input.shifts.filter((s) => pick(s).includes(id)));
  for (const id of input.coverChannelIds)
    for (const gap of gapsIn(
      input.window,
      coverage((s) => s.channelIds, id),
    ))
      out.push({
        ...conflict('uncovered', [], null, gap.start, gap.end),
        target: { kind: 'channel', id },
      });
  for (const id of input.coverSourceIds)
    for (const gap of gapsIn(
      input.window,
      coverage((s) => s.sourceIds, id),
    ))
      out.push({
        ...conflict('uncovered', [], null, gap.start, gap.end),
        target: { kind: 'source', id },
      });

  return out.sort((a, b) => a.start - b.start || a.kind.localeCompare(b.kind));
}

function conflict(
  kind: Conflict['kind'],
  shiftKeys: string[],
  personId: number | null,
  start: number,
  end: number,
): Conflict {
  return { kind, shiftKeys, personId, target: null, start, end };
}
