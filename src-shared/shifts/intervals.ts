/** Half-open [start, end) intervals in ms; small helpers the planner and the statistics share. */
export type Span = { start: number; end: number };

/** Sorted, merged, non-empty spans covering the same instants. */
export function unionSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** Where two sorted unions both hold. */
export function intersectSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i]!.start, b[j]!.start);
    const end = Math.min(a[i]!.end, b[j]!.end);
    if (end > start) out.push({ start, end });
    if (a[i]!.end < b[j]!.end) i += 1;
    else j += 1;
  }
  return out;
}

/** The parts of `within` that no span of the sorted union `covered` reaches. */
export function gapsIn(within: Span, covered: readonly Span[]): Span[] {
  const out: Span[] = [];
  let cursor = within.start;
  for (const c of covered) {
    if (c.end <= cursor) continue;
    if (c.start >= within.end) break;
    if (c.start > cursor) out.push({ start: cursor, end: Math.min(c.start, within.end) });
    cursor = Math.max(cursor, c.end);
  }
  if (cursor < within.end) out.push({ start: cursor, end: within.end });
  return out;
}
