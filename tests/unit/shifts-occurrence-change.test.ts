// One occurrence of a series given to another person, other sources or another note, without
// touching the series: the expansion, the conflicts it causes, and what keeps following the
// series afterwards.
import { describe, expect, it } from 'vitest';
import type { ShiftSeries } from '../../src-shared/contract/shifts';
import { SeriesExceptionSchema } from '../../src-shared/contract/shifts';
import { findConflicts } from '../../src-shared/shifts/conflicts';
import { occurrenceChange } from '../../src-shared/shifts/occurrence-change';
import { expandSeries } from '../../src-shared/shifts/recurrence';
import { wallToInstant } from '../../src-shared/timeline/zone';

const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;
const at = (local: string) => wallToInstant(ZONE, Date.parse(`${local}Z`));
const window = { from: at('2026-12-07T00:00'), to: at('2026-12-12T00:00') };

const series = (over: Partial<ShiftSeries> = {}): ShiftSeries => ({
  id: 1,
  personId: 10,
  rrule: 'FREQ=DAILY',
  startDate: '2026-12-07',
  startTime: '06:00',
  durationMinutes: 8 * 60,
  kind: 'early',
  channelIds: [1],
  sourceIds: [5],
  note: 'Morning news',
  exceptions: [],
  ...over,
});

describe('changing one occurrence of a series', () => {
  const tuesday = at('2026-12-08T06:00');

  it('keeps only what differs from the series', () => {
    const base = series();
    const same = occurrenceChange(base, tuesday, {
      start: tuesday + HOUR,
      end: tuesday + 9 * HOUR,
      personId: 10,
      channelIds: [1],
      sourceIds: [5],
      note: 'Morning news',
    });
    expect(same).toEqual({
      kind: 'move',
      occurrenceStart: tuesday,
      start: tuesday + HOUR,
      end: tuesday + 9 * HOUR,
    });
    const other = occurrenceChange(base, tuesday, {
      start: tuesday,
      end: tuesday + 8 * HOUR,
      personId: 11,
      channelIds: [1],
      sourceIds: [6, 7],
      note: 'Cover for Ann',
    });
    expect(other).toEqual({
      kind: 'move',
      occurrenceStart: tuesday,
      start: tuesday,
      end: tuesday + 8 * HOUR,
      personId: 11,
      sourceIds: [6, 7],
      note: 'Cover for Ann',
    });
    expect(SeriesExceptionSchema.safeParse(other).success).toBe(true);
  });

  it('gives that occurrence its person and sources; the others and later series edits follow the series', () => {
    const exception = occurrenceChange(series(), tuesday, {
      start: tuesday,
      end: tuesday + 8 * HOUR,
      personId: 11,
      channelIds: [1],
      sourceIds: [6],
      note: 'Morning news',
    });
    // The series later moves to source 9: the changed occurrence keeps its own source list,
    // the untouched fields (channels, note) follow the series.
    const edited = series({ sourceIds: [9], note: 'Breakfast', exceptions: [exception] });
    const shifts = expandSeries(edited, ZONE, window.from, window.to);
    expect(shifts).toHaveLength(5);
    const changed = shifts.find((s) => s.occurrenceStart === tuesday)!;
    expect(changed).toMatchObject({
      key: `series:1:${tuesday}`,
      personId: 11,
      sourceIds: [6],
      channelIds: [1],
      note: 'Breakfast',
    });
    for (const s of shifts.filter((x) => x.occurrenceStart !== tuesday))
      expect(s).toMatchObject({ personId: 10, sourceIds: [9], note: 'Breakfast' });
  });

  it('is checked like any shift: the new person working twice at once is a conflict', () => {
    const ann = series();
    const bob = series({ id: 2, personId: 11, startTime: '10:00', sourceIds: [6] });
    ann.exceptions = [
      occurrenceChange(ann, tuesday, {
        ...expandSeries(ann, ZONE, tuesday, tuesday + 1)[0]!,
        personId: 11,
      }),
    ];
    const shifts = [ann, bob].flatMap((s) => expandSeries(s, ZONE, window.from, window.to));
    const conflicts = findConflicts({
      window: { start: window.from, end: window.to },
      shifts,
      timeOff: [],
      people: new Map([
        [10, { disabled: false }],
        [11, { disabled: false }],
      ]),
      minRestMs: 0,
      coverChannelIds: [],
      coverSourceIds: [],
    });
    expect(conflicts.filter((c) => c.kind === 'overlap')).toEqual([
      expect.objectContaining({
        personId: 11,
        shiftKeys: expect.arrayContaining([
          `series:1:${tuesday}`,
          `series:2:${at('2026-12-08T10:00')}`,
        ]),
        start: at('2026-12-08T10:00'),
        end: at('2026-12-08T14:00'),
      }),
    ]);
  });
});
