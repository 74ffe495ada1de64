import { endOf, type Span } from './intervals';

/**
 * Where a dragged span lands: its start on the end of a neighbour, or its end on the start of
 * one, whichever is nearest within `toleranceMs`; otherwise where it was dropped. Snapping to
 * the exact end (not to a frame) keeps back-to-back items gapless even when an asset's
 * duration is not a whole number of frames.
 */
export function snapStart(
  start: number,
  duration: number,
  neighbours: readonly Span[],
  toleranceMs: number,
  selfIds: ReadonlySet<number> = new Set(),
): number {
  let best = start;
  let bestDistance = toleranceMs + 1;
  for (const n of neighbours) {
    if (selfIds.has(n.id)) continue;
    for (const candidate of [endOf(n), n.start - duration]) {
      const distance = Math.abs(candidate - start);
      if (distance <= toleranceMs && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
  }
  return best;
}

/** The end of the last span that finishes at or before `at`: "append after the previous". */
export function endOfPrevious(at: number, spans: readonly Span[]): number | undefined {
  let found: number | undefined;
  for (const s of spans) {
    const end = endOf(s);
    if (end <= at && (found === undefined || end > found)) found = end;
  }
  return found;
}
