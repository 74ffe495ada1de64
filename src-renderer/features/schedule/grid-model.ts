import type { ScheduleItem } from '../../../src-shared/contract';

/**
 * One channel's top-level items in air order, with the running maximum of their ends so the
 * items overlapping any time window are found by binary search (the core refuses overlaps, but
 * no item is lost even if a stale cache briefly holds two overlapping ones).
 */
export type ChannelLane = { items: ScheduleItem[]; reach: number[] };

export const EMPTY_LANE: ChannelLane = { items: [], reach: [] };

export function buildLanes(
  items: readonly ScheduleItem[],
  channelIds: readonly number[],
): Map<number, ChannelLane> {
  const lanes = new Map<number, ChannelLane>();
  for (const id of channelIds) lanes.set(id, { items: [], reach: [] });
  for (const item of items) {
    if (item.parentItemId !== null) continue;
    lanes.get(item.channelId)?.items.push(item);
  }
  for (const lane of lanes.values()) {
    // The core answers in air order; sorting an already sorted array is linear in V8.
    lane.items.sort((a, b) => a.startsAt - b.startsAt || a.endsAt - b.endsAt);
    let reach = -Infinity;
    for (const item of lane.items) {
      reach = Math.max(reach, item.endsAt);
      lane.reach.push(reach);
    }
  }
  return lanes;
}

/**
 * Index range [first, last) holding every item of the lane that overlaps [from, to). Without
 * overlaps (what the core allows) it holds nothing else; with them, callers skip the few items
 * in the range that end before `from`.
 */
export function laneWindow(lane: ChannelLane, from: number, to: number): [number, number] {
  const { items, reach } = lane;
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (reach[mid]! > from) hi = mid;
    else lo = mid + 1;
  }
  const first = lo;
  hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]!.startsAt < to) lo = mid + 1;
    else hi = mid;
  }
  return [first, lo];
}

/** Hour ticks are labelled every `step` hours so labels stay at least `minPx` apart. */
export function hourLabelStep(hourPx: number, minPx = 44): number {
  for (const step of [1, 2, 3, 6, 12]) if (hourPx * step >= minPx) return step;
  return 24;
}

/** Horizontal scale of the channel grid: the span the scroll viewport shows at each zoom. */
export const GRID_SPAN_MS = { 1: 7 * 86_400_000, 2: 86_400_000, 3: 6 * 3_600_000 } as const;

/** A pointer drag becomes an edit only past this many pixels (a click otherwise). */
export const DRAG_THRESHOLD_PX = 4;

/** Time edits from the grid land on whole minutes; the core snaps onto neighbours from there. */
export function roundToMinute(ms: number): number {
  return Math.round(ms / 60_000) * 60_000;
}

export type GridDrag = {
  itemId: number;
  /** `move` drags the whole item (and the selection with it); `start`/`end` trim one edge. */
  mode: 'move' | 'start' | 'end';
  deltaMs: number;
  /** Row index under the pointer (a move to another row changes channel). */
  row: number;
};

/** Where a dragged item would land: its new start and end, and its channel row. */
export function dragOutcome(
  item: Pick<ScheduleItem, 'startsAt' | 'endsAt'>,
  drag: Pick<GridDrag, 'mode' | 'deltaMs'>,
): { start: number; end: number } {
  const delta = roundToMinute(drag.deltaMs);
  if (drag.mode === 'move') return { start: item.startsAt + delta, end: item.endsAt + delta };
  if (drag.mode === 'start') {
    return { start: Math.min(item.startsAt + delta, item.endsAt - 1000), end: item.endsAt };
  }
  return { start: item.startsAt, end: Math.max(item.endsAt + delta, item.startsAt + 1000) };
}
