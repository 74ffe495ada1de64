import { describe, expect, it } from 'vitest';
import type { Conflict, Shift, ShiftSeries, TimeOff } from '../../src-shared/contract/shifts';
import { findConflicts } from '../../src-shared/shifts/conflicts';
import { expandSeries } from '../../src-shared/shifts/recurrence';
import { wallToInstant } from '../../src-shared/timeline/zone';

const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;
/** A local Berlin time as an instant. */
const at = (local: string) => wallToInstant(ZONE, Date.parse(`${local}Z`));
const days = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const teams = [
  { kind: 'early', startTime: '06:00' },
  { kind: 'late', startTime: '14:00' },
  { kind: 'night', startTime: '22:00' },
] as const;

// Four weeks around the end of summer time (2026-10-25). People 0–28 work eight-hour shifts
// on channel 1 in three teams (person i in team i % 3), five days a week, each with two days
// off in a row that rotate through the team, so every hour of the day is covered every day.
const window = { start: at('2026-10-12T00:00'), end: at('2026-11-09T00:00') };
const rota = 29;
const dropNight = at('2026-11-03T22:00');

function plan() {
  const series: ShiftSeries[] = [];
  for (let person = 0; person < rota; person += 1) {
    const team = teams[person % 3]!;
    const k = Math.floor(person / 3);
    const off = new Set([k % 7, (k + 1) % 7]);
    const exceptions: ShiftSeries['exceptions'] = [];
    // Planted: nobody of the night team works the night of 3 November.
    if (team.kind === 'night') exceptions.push({ kind: 'skip', occurrenceStart: dropNight });
    // A moved occurrence that breaks nothing (person 9 is early; others of the team still cover).
    if (person === 9)
      exceptions.push({
        kind: 'move',
        occurrenceStart: at('2026-10-19T06:00'),
        start: at('2026-10-19T07:00'),
        end: at('2026-10-19T15:00'),
      });
    series.push({
      id: person + 1,
      personId: person + 1,
      rrule: `FREQ=WEEKLY;BYDAY=${days.filter((_, d) => !off.has(d)).join(',')}`,
      startDate: '2026-10-05',
      startTime: team.startTime,
      durationMinutes: 8 * 60,
      kind: team.kind,
      channelIds: [1],
      sourceIds: [],
      note: '',
      exceptions,
    });
  }
  const single = (id: number, personId: number, start: number, end: number): Shift => ({
    key: `shift:${id}`,
    shiftId: id,
    seriesId: null,
    occurrenceStart: null,
    personId,
    start,
    end,
    kind: 'custom',
    channelIds: [],
    sourceIds: [],
    note: '',
  });
  const singles = [
    // Planted overlap: person 1 (early, works Thursdays) gets 12:00–16:00 on a Thursday.
    single(1, 1, at('2026-10-22T12:00'), at('2026-10-22T16:00')),
    // Planted short rest: person 4 (early, off Tue+Wed) works Wednesday 20–23, then 06:00.
    single(2, 4, at('2026-10-28T20:00'), at('2026-10-28T23:00')),
    // Planted: person 30 is disabled.
    single(3, 30, at('2026-10-30T09:00'), at('2026-10-30T12:00')),
  ];
  // Planted: person 7 (early, off We+Th) is on leave all of Monday 2 November.
  const timeOff: TimeOff[] = [
    { id: 1, personId: 7, start: at('2026-11-02T00:00'), end: at('2026-11-03T00:00'), reason: '' },
  ];
  const people = new Map<number, { disabled: boolean }>();
  for (let p = 1; p <= 30; p += 1) people.set(p, { disabled: p === 30 });
  return { series, singles, timeOff, people };
}

const summary = (c: Conflict) => ({
  kind: c.kind,
  personId: c.personId,
  start: new Date(c.start).toISOString(),
  end: new Date(c.end).toISOString(),
});

describe('the conflict finder on a 30-person, four-week plan across a DST change', () => {
  const { series, singles, timeOff, people } = plan();
  const shifts = [
    ...series.flatMap((s) => expandSeries(s, ZONE, window.start, window.end)),
    ...singles,
  ];
  const conflicts = findConflicts({
    window,
    shifts,
    timeOff,
    people,
    minRestMs: 11 * HOUR,
    coverChannelIds: [1],
    coverSourceIds: [],
  });

  it('expands the series in local time on both sides of the change', () => {
    const early = shifts.filter((s) => s.personId === 1 && s.kind === 'early');
    // Person 1 (k = 0) is off Monday and Tuesday: 5 shifts a week for four weeks.
    expect(early).toHaveLength(20);
    const beforeChange = early.find((s) => s.start === at('2026-10-23T06:00'));
    const afterChange = early.find((s) => s.start === at('2026-10-29T06:00'));
    expect(new Date(beforeChange!.start).toISOString()).toBe('2026-10-23T04:00:00.000Z');
    expect(new Date(afterChange!.start).toISOString()).toBe('2026-10-29T05:00:00.000Z');
    // The night over the change ends at 06:00 local: nine real hours.
    const night = shifts.find((s) => s.kind === 'night' && s.start === at('2026-10-24T22:00'));
    expect(night!.end - night!.start).toBe(9 * HOUR);
  });

  it('finds every planted conflict and no other', () => {
    expect(conflicts.map(summary)).toEqual([
      {
        kind: 'overlap',
        personId: 1,
        start: '2026-10-22T10:00:00.000Z',
        end: '2026-10-22T12:00:00.000Z',
      },
      {
        kind: 'short_rest',
        personId: 4,
        start: '2026-10-28T22:00:00.000Z',
        end: '2026-10-29T05:00:00.000Z',
      },
      {
        kind: 'disabled_person',
        personId: 30,
        start: '2026-10-30T08:00:00.000Z',
        end: '2026-10-30T11:00:00.000Z',
      },
      {
        kind: 'time_off',
        personId: 7,
        start: '2026-11-02T05:00:00.000Z',
        end: '2026-11-02T13:00:00.000Z',
      },
      {
        kind: 'uncovered',
        personId: null,
        start: '2026-11-03T21:00:00.000Z',
        end: '2026-11-04T05:00:00.000Z',
      },
    ]);
    expect(conflicts.find((c) => c.kind === 'uncovered')!.target).toEqual({
      kind: 'channel',
      id: 1,
    });
    expect(conflicts.find((c) => c.kind === 'overlap')!.shiftKeys).toEqual([
      `series:1:${at('2026-10-22T06:00')}`,
      'shift:1',
    ]);
  });

  it('finds an uncovered source and a second overlap of three shifts at once', () => {
    const mk = (key: string, start: number, end: number, sourceIds: number[]): Shift => ({
      key,
      shiftId: 1,
      seriesId: null,
      occurrenceStart: null,
      personId: 1,
      start,
      end,
      kind: 'custom',
      channelIds: [],
      sourceIds,
      note: '',
    });
    const found = findConflicts({
      window: { start: 0, end: 10 * HOUR },
      shifts: [
        mk('a', 0, 4 * HOUR, [9]),
        mk('b', 1 * HOUR, 3 * HOUR, []),
        mk('c', 2 * HOUR, 5 * HOUR, [9]),
      ],
      timeOff: [],
      people: new Map([[1, { disabled: false }]]),
      minRestMs: 0,
      coverChannelIds: [],
      coverSourceIds: [9],
    });
    expect(found.map((c) => [c.kind, c.shiftKeys.join('+'), c.start / HOUR, c.end / HOUR])).toEqual(
      [
        ['overlap', 'a+b', 1, 3],
        ['overlap', 'a+c', 2, 4],
        ['overlap', 'b+c', 2, 3],
        ['uncovered', '', 5, 10],
      ],
    );
  });
});
