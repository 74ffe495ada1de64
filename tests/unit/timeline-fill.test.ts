import { describe, expect, it } from 'vitest';
import {
  localDayRange,
  planFill,
  seededRandom,
  shuffle,
  type FillAsset,
  type PlannedItem,
} from '../../src-shared/timeline';

const MIN = 60_000;
const assets: FillAsset[] = [
  { id: 1, durationMs: 22 * MIN },
  { id: 2, durationMs: 7 * MIN + 480 },
  { id: 3, durationMs: 13 * MIN + 40 },
  { id: 4, durationMs: 30 * MIN },
  { id: 5, durationMs: 1_001 }, // not a whole number of frames
];

function expectExact(items: PlannedItem[], start: number, end: number) {
  expect(items[0]?.start).toBe(start);
  for (let i = 1; i < items.length; i++) {
    const prev = items[i - 1] as PlannedItem;
    expect(items[i]?.start).toBe(prev.start + prev.durationMs);
  }
  const last = items.at(-1) as PlannedItem;
  expect(last.start + last.durationMs).toBe(end);
  expect(items.every((i) => Number.isInteger(i.durationMs) && i.durationMs > 0)).toBe(true);
}

describe('fill planning', () => {
  it('fills a gap exactly and gaplessly, cutting only the last item', () => {
    const plan = planFill([{ start: 1_000, end: 1_000 + 3 * 60 * MIN + 17 }], assets, {
      order: 'ordered',
      seed: 1,
      noRepeatWithinMs: 0,
    });
    expectExact(plan.items, 1_000, 1_000 + 3 * 60 * MIN + 17);
    expect(plan.items.slice(0, -1).every((i) => !i.trimmed)).toBe(true);
    expect(plan.items.slice(0, 5).map((i) => i.assetId)).toEqual([1, 2, 3, 4, 5]);
    expect(plan.unfilled).toEqual([]);
  });

  for (const [zone, date] of [
    ['Europe/Berlin', '2025-03-30'],
    ['Europe/Berlin', '2025-10-26'],
    ['America/New_York', '2025-03-09'],
    ['America/New_York', '2025-11-02'],
  ] as const) {
    it(`fills the whole station day ${date} in ${zone} (23 h / 25 h) exactly`, () => {
      const day = localDayRange(zone, date);
      const plan = planFill([day], assets, { order: 'shuffled', seed: 42, noRepeatWithinMs: 0 });
      expectExact(plan.items, day.start, day.end);
      const total = plan.items.reduce((sum, i) => sum + i.durationMs, 0);
      expect(total).toBe(day.end - day.start);
    });
  }

  it('fills several windows, carrying the no-repeat rule across them', () => {
    const windows = [
      { start: 0, end: 60 * MIN },
      { start: 90 * MIN, end: 150 * MIN },
    ];
    const plan = planFill(windows, assets.slice(0, 4), {
      order: 'shuffled',
      seed: 7,
      noRepeatWithinMs: 60 * MIN,
    });
    expectExact(
      plan.items.filter((i) => i.start < 60 * MIN),
      0,
      60 * MIN,
    );
    expectExact(
      plan.items.filter((i) => i.start >= 90 * MIN),
      90 * MIN,
      150 * MIN,
    );
    const last = new Map<number, number>();
    for (const item of plan.items) {
      const before = last.get(item.assetId);
      if (before !== undefined) expect(item.start - before).toBeGreaterThanOrEqual(60 * MIN);
      last.set(item.assetId, item.start);
    }
    expect(plan.repeats).toBe(0);
  });

  it('honours history from before the window', () => {
    const plan = planFill(
      [{ start: 0, end: 10 * MIN }],
      [
        { id: 1, durationMs: MIN },
        { id: 2, durationMs: MIN },
      ],
      {
        order: 'ordered',
        seed: 1,
        noRepeatWithinMs: 0,
        history: [{ assetId: 1, startsAt: -MIN }],
      },
    );
    expect(plan.items[0]?.assetId).toBe(2); // ordered fill continues after the last played
  });

  it('relaxes the no-repeat rule only when every asset played recently, and says so', () => {
    const plan = planFill(
      [{ start: 0, end: 10 * MIN }],
      [
        { id: 1, durationMs: MIN },
        { id: 2, durationMs: MIN },
      ],
      {
        order: 'shuffled',
        seed: 3,
        noRepeatWithinMs: 60 * MIN,
      },
    );
    expectExact(plan.items, 0, 10 * MIN);
    expect(plan.repeats).toBe(8);
    // Least recently used first: the two alternate.
    for (let i = 2; i < plan.items.length; i++)
      expect(plan.items[i]?.assetId).not.toBe(plan.items[i - 1]?.assetId);
  });

  it('is reproducible with a seed and differs with another', () => {
    const opts = { order: 'shuffled' as const, noRepeatWithinMs: 0 };
    const window = [{ start: 0, end: 24 * 60 * MIN }];
    const a = planFill(window, assets, { ...opts, seed: 5 });
    const b = planFill(window, assets, { ...opts, seed: 5 });
    const c = planFill(window, assets, { ...opts, seed: 6 });
    expect(a).toEqual(b);
    expect(c.items.map((i) => i.assetId)).not.toEqual(a.items.map((i) => i.assetId));
    expect(shuffle([1, 2, 3, 4, 5], seededRandom(9))).toEqual(
      shuffle([1, 2, 3, 4, 5], seededRandom(9)),
    );
  });

  it('leaves a sliver shorter than minTailMs to the slate', () => {
    const plan = planFill([{ start: 0, end: 2 * MIN + 20 }], [{ id: 1, durationMs: MIN }], {
      order: 'ordered',
      seed: 1,
      noRepeatWithinMs: 0,
    });
    expect(plan.items.map((i) => i.durationMs)).toEqual([MIN, MIN]);
    expect(plan.unfilled).toEqual([{ start: 2 * MIN, end: 2 * MIN + 20 }]);
    expect(
      planFill([{ start: 0, end: 10 }], [], { order: 'ordered', seed: 1, noRepeatWithinMs: 0 })
        .unfilled,
    ).toHaveLength(1);
  });
});
