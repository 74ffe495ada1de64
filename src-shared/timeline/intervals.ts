/**
 * Spans on one channel's timeline: what occupies air from `start` for `duration` ms, half-open
 * [start, start + duration). For a programme with breaks inside it, `duration` is its whole air
 * time (content plus inner breaks).
 */
export type Span = { id: number; start: number; duration: number };
export type Gap = { start: number; end: number; durationMs: number };
export type Overlap = { a: number; b: number; start: number; end: number; durationMs: number };

export const endOf = (span: Span): number => span.start + span.duration;

export function byStart(a: Span, b: Span): number {
  return a.start - b.start || a.id - b.id;
}

export function overlaps(a: Span, b: Span): boolean {
  return a.start < endOf(b) && b.start < endOf(a);
}

/** Empty air in [from, to): what the playout engine would fill with filler or slate. */
export function findGaps(spans: readonly Span[], from: number, to: number): Gap[] {
  const gaps: Gap[] = [];
  let cursor = from;
  for (const span of [...spans].sort(byStart)) {
    if (span.start >= to) break;
    if (span.start > cursor)
      gaps.push({ start: cursor, end: span.start, durationMs: span.start - cursor });
    cursor = Math.max(cursor, endOf(span));
  }
  if (cursor < to) gaps.push({ start: cursor, end: to, durationMs: to - cursor });
  return gaps;
}

/**
 * Every pair where a span starts before the latest-ending earlier span has finished. One sweep,
 * O(n log n): enough to show each clash on the calendar (a span covering three others is
 * reported three times, once per victim).
 */
export function findOverlaps(spans: readonly Span[]): Overlap[] {
  const result: Overlap[] = [];
  let reach: Span | undefined;
  for (const span of [...spans].sort(byStart)) {
    if (reach && span.start < endOf(reach)) {
      const end = Math.min(endOf(reach), endOf(span));
      result.push({
        a: reach.id,
        b: span.id,
        start: span.start,
        end,
        durationMs: end - span.start,
      });
    }
    if (!reach || endOf(span) > endOf(reach)) reach = span;
  }
  return result;
}

/** The first span in `others` that `candidate` would collide with (its own id excluded). */
export function firstClash(candidate: Span, others: readonly Span[]): Span | undefined {
  return [...others].sort(byStart).find((o) => o.id !== candidate.id && overlaps(candidate, o));
}
