import { describe, expect, it } from 'vitest';
import {
  minutesOf,
  seriesFromBuckets,
  totalsFromBuckets,
} from '../../src-shared/stats/team-totals';

const MINUTE = 60_000;

describe('Team screen totals from bucketed sums', () => {
  const data = {
    people: [
      {
        personId: 2,
        bucket: 0,
        signedInMs: 30 * MINUTE,
        activeMs: 20 * MINUTE,
        notes: 2,
        characters: 40,
        screenshots: 1,
        clips: 0,
      },
      {
        personId: 2,
        bucket: 2,
        signedInMs: 10 * MINUTE,
        activeMs: 1_234,
        notes: 0,
        characters: 0,
        screenshots: 0,
        clips: 1,
      },
      {
        personId: 1,
        bucket: 1,
        signedInMs: 5 * MINUTE,
        activeMs: 0,
        notes: 1,
        characters: 9,
        screenshots: 0,
        clips: 0,
      },
    ],
    sources: [
      { sourceId: 7, bucket: 0, reviewedMs: 15 * MINUTE, coveredMinutes: 20 },
      { sourceId: 7, bucket: 1, reviewedMs: 5 * MINUTE, coveredMinutes: 10 },
    ],
    presence: [{ personId: 3, plannedMs: 8 * 60 * MINUTE, inShiftMs: 0 }],
  };

  it('sums per person and source, keeps planned-only people, and measures coverage', () => {
    const { people, sources } = totalsFromBuckets(data, 0, 60 * MINUTE);
    expect(people.map((p) => [p.personId, p.signedInMs, p.activeMs, p.notes, p.plannedMs])).toEqual(
      [
        [1, 5 * MINUTE, 0, 1, 0],
        [2, 40 * MINUTE, 20 * MINUTE + 1_234, 2, 0],
        [3, 0, 0, 0, 8 * 60 * MINUTE],
      ],
    );
    expect(sources).toEqual([
      { sourceId: 7, reviewedMs: 20 * MINUTE, coveredMinutes: 30, coverage: 0.5 },
    ]);
  });

  it('lays series over the buckets with zeros between', () => {
    const series = seriesFromBuckets(
      data.people,
      3,
      (r) => r.personId,
      (r) => r.signedInMs,
    );
    expect(series.get(2)).toEqual([30 * MINUTE, 0, 10 * MINUTE]);
    expect(series.get(1)).toEqual([0, 5 * MINUTE, 0]);
  });

  it('rounds minutes as the reports do', () => {
    expect(minutesOf(20 * MINUTE + 1_234)).toBe(20.02);
    expect(minutesOf(45_000)).toBe(0.75);
  });
});
