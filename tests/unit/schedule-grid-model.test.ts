import { describe, expect, it } from 'vitest';
import type { ScheduleItem } from '../../src-shared/contract';
import {
  buildLanes,
  dragOutcome,
  hourLabelStep,
  laneWindow,
  roundToMinute,
} from '../../src-renderer/features/schedule/grid-model';

const MIN = 60_000;
let nextId = 1;
function item(channelId: number, startsAt: number, lengthMs: number, parent: number | null = null) {
  const it: ScheduleItem = {
    id: nextId++,
    channelId,
    kind: 'break',
    assetId: null,
    parentItemId: parent,
    offsetMs: null,
    startsAt,
    durationMs: lengthMs,
    inMs: 0,
    breaksMs: 0,
    endsAt: startsAt + lengthMs,
    title: null,
    category: null,
    version: 1,
    asset: null,
  };
  return it;
}

describe('channel grid lanes', () => {
  it('groups top-level items per shown channel in air order, dropping inner breaks and others', () => {
    const late = item(1, 60 * MIN, 10 * MIN);
    const early = item(1, 0, 10 * MIN);
    const inner = item(1, 5 * MIN, MIN, early.id);
    const other = item(2, 0, 10 * MIN);
    const hidden = item(9, 0, 10 * MIN);
    const lanes = buildLanes([late, inner, other, early, hidden], [1, 2, 3]);
    expect(lanes.get(1)!.items.map((i) => i.id)).toEqual([early.id, late.id]);
    expect(lanes.get(2)!.items).toEqual([other]);
    expect(lanes.get(3)!.items).toEqual([]);
    expect(lanes.has(9)).toBe(false);
  });

  it('finds exactly the items overlapping a window, whatever its edges', () => {
    // 60 back-to-back items of 24 minutes.
    const items = Array.from({ length: 60 }, (_, i) => item(1, i * 24 * MIN, 24 * MIN));
    const lane = buildLanes(items, [1]).get(1)!;
    const brute = (from: number, to: number) =>
      items.filter((i) => i.endsAt > from && i.startsAt < to).map((i) => i.id);
    for (const [from, to] of [
      [0, 24 * MIN],
      [24 * MIN, 48 * MIN],
      [23 * MIN, 25 * MIN],
      [-100 * MIN, 0],
      [0, 10_000 * MIN],
      [5000 * MIN, 6000 * MIN],
      [100 * MIN, 100 * MIN + 1],
    ] as const) {
      const [first, last] = laneWindow(lane, from, to);
      expect(lane.items.slice(first, last).map((i) => i.id)).toEqual(brute(from, to));
    }
  });

  it('still finds a long item that overlaps later, shorter ones', () => {
    const long = item(1, 0, 120 * MIN);
    const short = item(1, 10 * MIN, 5 * MIN);
    const lane = buildLanes([long, short], [1]).get(1)!;
    const [first, last] = laneWindow(lane, 60 * MIN, 61 * MIN);
    expect(lane.items.slice(first, last)).toContain(long);
    expect(laneWindow(lane, 200 * MIN, 300 * MIN)).toEqual([2, 2]);
  });
});

describe('channel grid edits', () => {
  const it10 = { startsAt: 10 * MIN, endsAt: 40 * MIN };

  it('moves by whole minutes', () => {
    expect(roundToMinute(89_000)).toBe(MIN);
    expect(roundToMinute(91_000)).toBe(2 * MIN);
    expect(dragOutcome(it10, { mode: 'move', deltaMs: 5 * MIN + 20_000 })).toEqual({
      start: 15 * MIN,
      end: 45 * MIN,
    });
  });

  it('trims one edge and never past the other', () => {
    expect(dragOutcome(it10, { mode: 'start', deltaMs: 10 * MIN })).toEqual({
      start: 20 * MIN,
      end: 40 * MIN,
    });
    expect(dragOutcome(it10, { mode: 'end', deltaMs: -10 * MIN })).toEqual({
      start: 10 * MIN,
      end: 30 * MIN,
    });
    expect(dragOutcome(it10, { mode: 'end', deltaMs: -60 * MIN }).end).toBe(10 * MIN + 1000);
    expect(dragOutcome(it10, { mode: 'start', deltaMs: 60 * MIN }).start).toBe(40 * MIN - 1000);
  });

  it('spaces hour labels to the room there is', () => {
    expect(hourLabelStep(60)).toBe(1);
    expect(hourLabelStep(8)).toBe(6);
    expect(hourLabelStep(1)).toBe(24);
  });
});
