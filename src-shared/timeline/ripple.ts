import { byStart, endOf, overlaps, type Span } from './intervals';

export type Shift = { id: number; from: number; to: number };
export type RippleResult = { shifts: Shift[]; blocked?: Span };

/**
 * Makes room for `placed` (spans already at their new place) by pushing the spans that start
 * at or after the earliest placed one later, each only as far as needed: a gap further down
 * absorbs the push, so the rest of the day keeps its times. Spans before that point never move
 * (a clash with one of them is still a clash). `isLocked` spans cannot move: the first one
 * that would have to is returned as `blocked` and nothing should be applied.
 */
export function ripplePush(
  placed: readonly Span[],
  others: readonly Span[],
  isLocked: (span: Span) => boolean,
): RippleResult {
  if (placed.length === 0) return { shifts: [] };
  const pivot = Math.min(...placed.map((p) => p.start));
  const fixed = [...placed].sort(byStart);
  const movable = others.filter((o) => o.start >= pivot).sort(byStart);
  const shifts: Shift[] = [];
  let cursor = -Infinity;
  for (const span of movable) {
    let start = Math.max(span.start, cursor);
    // Step over every placed span this one would now land on.
    for (let moved = true; moved;) {
      moved = false;
      for (const f of fixed) {
        if (overlaps({ id: span.id, start, duration: span.duration }, f)) {
          start = endOf(f);
          moved = true;
        }
      }
    }
    if (start !== span.start) {
      if (isLocked(span)) return { shifts: [], blocked: span };
      shifts.push({ id: span.id, from: span.start, to: start });
    }
    cursor = start + span.duration;
  }
  return { shifts };
}

/**
 * After `removed` leaves the air, pulls the run of spans that followed it back to back
 * (each starting exactly where the previous ended) earlier by its duration. The first gap ends
 * the run, so later fixed times are kept.
 */
export function ripplePull(
  removed: Span,
  others: readonly Span[],
  isLocked: (span: Span) => boolean,
): RippleResult {
  const shifts: Shift[] = [];
  let expected = endOf(removed);
  for (const span of others.filter((o) => o.start >= removed.start).sort(byStart)) {
    if (span.start !== expected) break;
    if (isLocked(span)) return { shifts: [], blocked: span };
    shifts.push({ id: span.id, from: span.start, to: span.start - removed.duration });
    expected = endOf(span);
  }
  return { shifts };
}
