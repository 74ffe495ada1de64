import { describe, expect, it } from 'vitest';
import {
  endOfPrevious,
  findGaps,
  findOverlaps,
  firstClash,
  isFrameAligned,
  ripplePull,
  ripplePush,
  snapStart,
  snapToFrame,
  type Span,
} from '../../src-shared/timeline';

const never = () => false;
const s = (id: number, start: number, duration: number): Span => ({ id, start, duration });

describe('gaps and overlaps', () => {
  it('lists every gap with its length, including before the first and after the last item', () => {
    const spans = [s(2, 300, 100), s(1, 100, 100), s(3, 400, 50)];
    expect(findGaps(spans, 0, 600)).toEqual([
      { start: 0, end: 100, durationMs: 100 },
      { start: 200, end: 300, durationMs: 100 },
      { start: 450, end: 600, durationMs: 150 },
    ]);
    expect(findGaps([s(1, 0, 1000)], 100, 500)).toEqual([]);
    expect(findGaps([], 0, 10)).toEqual([{ start: 0, end: 10, durationMs: 10 }]);
  });

  it('treats spans as half-open: back to back is not an overlap', () => {
    expect(findOverlaps([s(1, 0, 100), s(2, 100, 100)])).toEqual([]);
    expect(findOverlaps([s(1, 0, 100), s(2, 99, 100)])).toEqual([
      { a: 1, b: 2, start: 99, end: 100, durationMs: 1 },
    ]);
  });

  it('reports every item a long one covers', () => {
    const overlaps = findOverlaps([s(1, 0, 1000), s(2, 100, 50), s(3, 500, 50), s(4, 2000, 10)]);
    expect(overlaps.map((o) => [o.a, o.b])).toEqual([
      [1, 2],
      [1, 3],
    ]);
    expect(firstClash(s(9, 990, 20), [s(1, 0, 1000), s(4, 1005, 10)])?.id).toBe(1);
    expect(firstClash(s(1, 0, 1000), [s(1, 0, 1000)])).toBeUndefined();
  });
});

describe('snapping and frames', () => {
  it('snaps a start to the previous end or an end to the next start, nearest wins', () => {
    const neighbours = [s(1, 0, 1000), s(2, 5000, 1000)];
    expect(snapStart(1030, 2000, neighbours, 100)).toBe(1000);
    expect(snapStart(2950, 2000, neighbours, 100)).toBe(3000); // its end lands on 5000
    expect(snapStart(2000, 2000, neighbours, 100)).toBe(2000);
    // Exact, not frame-rounded: an asset of 1001 ms keeps the next item gapless.
    expect(snapStart(1020, 10, [s(1, 0, 1001)], 40)).toBe(1001);
    expect(snapStart(1000, 10, [s(7, 0, 1001)], 40, new Set([7]))).toBe(1000);
    expect(endOfPrevious(4000, neighbours)).toBe(1000);
  });

  it('rounds to 40 ms frames at 25 fps', () => {
    expect(snapToFrame(19)).toBe(0);
    expect(snapToFrame(20)).toBe(40);
    expect(snapToFrame(1_000_019)).toBe(1_000_000);
    expect(isFrameAligned(120)).toBe(true);
    expect(isFrameAligned(121)).toBe(false);
  });
});

describe('ripple', () => {
  it('pushes later items only as far as needed; a gap absorbs the push', () => {
    const others = [s(1, 0, 100), s(2, 100, 100), s(3, 200, 100), s(4, 500, 100)];
    const placed = [s(9, 100, 150)]; // a 150 ms item inserted at 100
    expect(ripplePush(placed, others, never)).toEqual({
      shifts: [
        { id: 2, from: 100, to: 250 },
        { id: 3, from: 200, to: 350 },
      ],
    });
  });

  it('pushes by the whole amount when there is no gap, and never moves earlier items', () => {
    const others = [s(1, 0, 100), s(2, 100, 100), s(3, 200, 100)];
    const result = ripplePush([s(9, 50, 100)], others, never);
    expect(result.shifts).toEqual([
      { id: 2, from: 100, to: 150 },
      { id: 3, from: 200, to: 250 },
    ]);
  });

  it('steps over several placed items, but uses a hole between them when it fits', () => {
    const placed = [s(8, 0, 100), s(9, 150, 100)];
    expect(ripplePush(placed, [s(1, 50, 100)], never).shifts).toEqual([
      { id: 1, from: 50, to: 250 },
    ]);
    expect(ripplePush(placed, [s(1, 50, 50)], never).shifts).toEqual([
      { id: 1, from: 50, to: 100 },
    ]);
  });

  it('refuses to move a locked item', () => {
    const result = ripplePush([s(9, 0, 100)], [s(1, 50, 100)], (span) => span.id === 1);
    expect(result).toEqual({ shifts: [], blocked: s(1, 50, 100) });
  });

  it('pulls the back-to-back run after a removed item, up to the first gap', () => {
    const others = [s(1, 0, 100), s(3, 200, 100), s(4, 300, 100), s(5, 1000, 100)];
    expect(ripplePull(s(2, 100, 100), others, never).shifts).toEqual([
      { id: 3, from: 200, to: 100 },
      { id: 4, from: 300, to: 200 },
    ]);
  });
});
