import { describe, expect, it } from 'vitest';
import {
  addDays,
  copiedStart,
  dstChanges,
  instantAt,
  isLocalDate,
  isoWeekday,
  localDateOf,
  localDayRange,
  msOfLocalDay,
  templateWindows,
  wallToInstant,
  zoneOffsetMs,
} from '../../src-shared/timeline';

const H = 3_600_000;
const utc = (s: string) => Date.parse(s);

describe('time zones and station days (Intl only)', () => {
  it('reads offsets on both sides of a change', () => {
    expect(zoneOffsetMs('Europe/Berlin', utc('2025-01-15T12:00:00Z'))).toBe(1 * H);
    expect(zoneOffsetMs('Europe/Berlin', utc('2025-07-15T12:00:00Z'))).toBe(2 * H);
    expect(zoneOffsetMs('America/New_York', utc('2025-01-15T12:00:00Z'))).toBe(-5 * H);
    expect(zoneOffsetMs('America/New_York', utc('2025-07-15T12:00:00Z'))).toBe(-4 * H);
  });

  const days: [string, string, number, string, string][] = [
    // zone, date, hours, start (UTC), next midnight (UTC)
    ['Europe/Berlin', '2025-03-30', 23, '2025-03-29T23:00:00Z', '2025-03-30T22:00:00Z'],
    ['Europe/Berlin', '2025-10-26', 25, '2025-10-25T22:00:00Z', '2025-10-26T23:00:00Z'],
    ['Europe/Berlin', '2025-06-01', 24, '2025-05-31T22:00:00Z', '2025-06-01T22:00:00Z'],
    ['America/New_York', '2025-03-09', 23, '2025-03-09T05:00:00Z', '2025-03-10T04:00:00Z'],
    ['America/New_York', '2025-11-02', 25, '2025-11-02T04:00:00Z', '2025-11-03T05:00:00Z'],
    ['America/New_York', '2025-06-01', 24, '2025-06-01T04:00:00Z', '2025-06-02T04:00:00Z'],
  ];
  for (const [zone, date, hours, start, end] of days) {
    it(`${zone} ${date} lasts ${hours} h`, () => {
      const range = localDayRange(zone, date);
      expect(range).toEqual({ start: utc(start), end: utc(end) });
      expect(range.end - range.start).toBe(hours * H);
      expect(localDateOf(zone, range.start)).toBe(date);
      expect(localDateOf(zone, range.end - 1)).toBe(date);
      expect(localDateOf(zone, range.end)).toBe(addDays(date, 1));
    });
  }

  it('finds each clock change to the millisecond', () => {
    expect(
      dstChanges('Europe/Berlin', utc('2025-03-29T00:00:00Z'), utc('2025-03-31T00:00:00Z')),
    ).toEqual([{ at: utc('2025-03-30T01:00:00Z'), offsetBeforeMs: H, offsetAfterMs: 2 * H }]);
    expect(
      dstChanges('America/New_York', utc('2025-11-01T00:00:00Z'), utc('2025-11-03T00:00:00Z')),
    ).toEqual([{ at: utc('2025-11-02T06:00:00Z'), offsetBeforeMs: -4 * H, offsetAfterMs: -5 * H }]);
    expect(dstChanges('UTC', 0, 400 * 86_400_000)).toEqual([]);
  });

  it('reads a skipped wall time forward and a repeated one as its first occurrence', () => {
    // 02:30 does not exist in Berlin on 2025-03-30: it is read as 03:30 CEST.
    expect(wallToInstant('Europe/Berlin', utc('2025-03-30T02:30:00Z'))).toBe(
      utc('2025-03-30T01:30:00Z'),
    );
    // 01:30 happens twice in New York on 2025-11-02: the first (EDT) is taken.
    expect(wallToInstant('America/New_York', utc('2025-11-02T01:30:00Z'))).toBe(
      utc('2025-11-02T05:30:00Z'),
    );
    expect(instantAt('Europe/Berlin', '2025-10-26', 2.5 * H)).toBe(utc('2025-10-26T00:30:00Z'));
  });

  it('gives wall-clock positions and weekdays', () => {
    expect(msOfLocalDay('Europe/Berlin', utc('2025-03-30T18:00:00Z'))).toBe(20 * H);
    expect(isoWeekday('2025-03-30')).toBe(7);
    expect(isoWeekday('2025-03-31')).toBe(1);
    expect(isLocalDate('2025-02-29')).toBe(false);
    expect(isLocalDate('2024-02-29')).toBe(true);
  });

  it('places template blocks by wall clock: a night block is 5 h or 7 h on DST nights', () => {
    const block = { weekdays: [1, 2, 3, 4, 5, 6, 7], startMinute: 0, endMinute: 6 * 60 };
    const [spring] = templateWindows('Europe/Berlin', [block], '2025-03-30', '2025-03-30');
    const [fall] = templateWindows('America/New_York', [block], '2025-11-02', '2025-11-02');
    expect(spring && spring.end - spring.start).toBe(5 * H);
    expect(fall && fall.end - fall.start).toBe(7 * H);
    const weekdaysOnly = templateWindows(
      'Europe/Berlin',
      [{ ...block, weekdays: [1, 2, 3, 4, 5] }],
      '2025-03-24',
      '2025-03-30',
    );
    expect(weekdaysOnly.map((w) => w.date)).toEqual([
      '2025-03-24',
      '2025-03-25',
      '2025-03-26',
      '2025-03-27',
      '2025-03-28',
    ]);
  });

  it('copies a day onto a DST day by wall clock or by elapsed time', () => {
    const zone = 'Europe/Berlin';
    const evening = instantAt(zone, '2025-03-29', 20 * H); // 20:00 on a 24 h day
    expect(copiedStart(zone, evening, '2025-03-29', '2025-03-30', 'wallClock')).toBe(
      instantAt(zone, '2025-03-30', 20 * H),
    );
    // Elapsed: 20 h after midnight on a 23 h day is 21:00 on the wall.
    expect(copiedStart(zone, evening, '2025-03-29', '2025-03-30', 'elapsed')).toBe(
      instantAt(zone, '2025-03-30', 21 * H),
    );
  });
});
