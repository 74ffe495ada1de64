import type {
  Checkpoint,
  Cut,
  DateRangeMark,
  PlannedSegment,
  PlayoutEntry,
  SegmentSource,
  SegmentTable,
} from './types';

export type ResolverInput = {
  /** Contiguous entries; the first starts at `checkpoint.at`. */
  entries: readonly PlayoutEntry[];
  checkpoint: Checkpoint;
  /** The main rendition's segments of a ready asset (the proxy is cut identically). */
  assetTable(assetId: number): SegmentTable | undefined;
  /** The station slate's segments; it loops to fill any length. */
  slate: SegmentTable;
};

type Slot = { offsetMs: number; durationMs: number; source: SegmentSource };

/** How one entry divides into segments, without listing them (a long programme is O(log n)). */
export type EntryPlan = {
  entry: PlayoutEntry;
  count: number;
  /**
   * Segments that open a discontinuity: the entry's first, and both sides of a cut (a cut is
   * re-encoded, so its timestamps do not continue the source's). Sorted.
   */
  discontinuityAt: readonly number[];
  /** The k-th segment of the entry; `offsetMs` from the entry start. */
  slot(k: number): Slot;
  /** True when the entry plays slate because its media is missing or too short. */
  substituted: boolean;
};

const tableEnd = (t: SegmentTable) => {
  const last = t[t.length - 1];
  return last ? last.startMs + last.durationMs : 0;
};

/** Index of the segment containing `ms` (the largest startMs ≤ ms). */
function segmentAt(table: SegmentTable, ms: number): number {
  let lo = 0;
  let hi = table.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((table[mid] as SegmentTable[number]).startMs <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const cutOf = (from: number, to: number, length: number): Cut | null =>
  from > 0 || to < length ? { fromMs: from, toMs: to } : null;

function discontinuityPositions(count: number, firstCut: boolean, lastCut: boolean): number[] {
  const at = new Set<number>([0]);
  if (firstCut && count > 1) at.add(1);
  if (lastCut && count > 1) at.add(count - 1);
  return [...at].sort((a, b) => a - b);
}

function slatePlan(entry: PlayoutEntry, slate: SegmentTable, substituted: boolean): EntryPlan {
  const loop = tableEnd(slate);
  if (loop <= 0) throw new Error('the slate has no segments');
  const cycles = Math.floor(entry.durationMs / loop);
  const rest = entry.durationMs - cycles * loop;
  const partial = rest === 0 ? 0 : segmentAt(slate, rest - 1) + 1;
  const count = cycles * slate.length + partial;
  const slot = (k: number): Slot => {
    const cycle = Math.floor(k / slate.length);
    const seg = slate[k % slate.length] as SegmentTable[number];
    const offsetMs = cycle * loop + seg.startMs;
    const durationMs = Math.min(seg.durationMs, entry.durationMs - offsetMs);
    return {
      offsetMs,
      durationMs,
      source: { kind: 'slate', seq: seg.seq, cut: cutOf(0, durationMs, seg.durationMs) },
    };
  };
  const lastCut = count > 0 && slot(count - 1).source.cut !== null;
  return {
    entry,
    count,
    discontinuityAt: discontinuityPositions(count, false, lastCut),
    slot,
    substituted,
  };
}

export function planEntry(
  entry: PlayoutEntry,
  input: Omit<ResolverInput, 'entries' | 'checkpoint'>,
): EntryPlan {
  if (entry.assetId === null) return slatePlan(entry, input.slate, false);
  const table = input.assetTable(entry.assetId);
  const out = entry.inMs + entry.durationMs;
  if (!table || table.length === 0 || tableEnd(table) < out || entry.inMs < 0) {
    return slatePlan(entry, input.slate, true);
  }
  const assetId = entry.assetId;
  const first = segmentAt(table, entry.inMs);
  const last = segmentAt(table, out - 1);
  const count = last - first + 1;
  const slot = (k: number): Slot => {
    const seg = table[first + k] as SegmentTable[number];
    const from = Math.max(entry.inMs, seg.startMs) - seg.startMs;
    const to = Math.min(out, seg.startMs + seg.durationMs) - seg.startMs;
    return {
      offsetMs: seg.startMs + from - entry.inMs,
      durationMs: to - from,
      source: { kind: 'asset', assetId, seq: seg.seq, cut: cutOf(from, to, seg.durationMs) },
    };
  };
  const firstCut = slot(0).source.cut !== null;
  const lastCut = slot(count - 1).source.cut !== null;
  return {
    entry,
    count,
    discontinuityAt: discontinuityPositions(count, firstCut, lastCut),
    slot,
    substituted: false,
  };
}

function materialise(plan: EntryPlan, k: number, msn: number, disc: number): PlannedSegment {
  const { entry } = plan;
  const slot = plan.slot(k);
  const dateranges: DateRangeMark[] = [];
  if (k === 0 && entry.afterBreak) dateranges.push({ kind: 'in', mark: entry.afterBreak });
  if (k === 0 && entry.breakMark) dateranges.push({ kind: 'out', mark: entry.breakMark });
  return {
    msn: msn + k,
    discontinuitySeq: disc + plan.discontinuityAt.filter((at) => at <= k).length,
    discontinuityBefore: plan.discontinuityAt.includes(k),
    startsAt: entry.startsAt + slot.offsetMs,
    durationMs: slot.durationMs,
    entryStart: entry.startsAt,
    entryKey: entry.key,
    programmeStart: k === 0 && entry.programmeStart,
    source: slot.source,
    dateranges,
  };
}

/** The k-th segment of a planned entry whose first segment is at `checkpoint`. */
export function segmentOf(plan: EntryPlan, k: number, checkpoint: Checkpoint): PlannedSegment {
  return materialise(plan, k, checkpoint.msn, checkpoint.disc);
}

/** First k whose segment ends after `at` (segments are in time order). */
function firstEndingAfter(plan: EntryPlan, at: number): number {
  let lo = 0;
  let hi = plan.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const slot = plan.slot(mid);
    if (plan.entry.startsAt + slot.offsetMs + slot.durationMs > at) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export type PlannedEntry = { plan: EntryPlan; checkpoint: Checkpoint };

/**
 * Walks the entries from the checkpoint, carrying the media and discontinuity sequence
 * numbers; O(entries) plus O(log n) per entry, however long the programmes.
 */
export function walkEntries(input: ResolverInput, until: number): PlannedEntry[] {
  const out: PlannedEntry[] = [];
  let { msn, disc } = input.checkpoint;
  for (const entry of input.entries) {
    if (entry.startsAt >= until) break;
    const plan = planEntry(entry, input);
    out.push({ plan, checkpoint: { at: entry.startsAt, msn, disc } });
    msn += plan.count;
    disc += plan.discontinuityAt.length;
  }
  return out;
}

/** Every segment overlapping [from, to), in order, with its derived numbers. */
export function planSegments(input: ResolverInput, from: number, to: number): PlannedSegment[] {
  const segments: PlannedSegment[] = [];
  for (const { plan, checkpoint } of walkEntries(input, to)) {
    const { entry } = plan;
    if (entry.startsAt + entry.durationMs <= from) continue;
    for (let k = firstEndingAfter(plan, from); k < plan.count; k++) {
      const segment = materialise(plan, k, checkpoint.msn, checkpoint.disc);
      if (segment.startsAt >= to) break;
      segments.push(segment);
    }
  }
  return segments;
}

/** The segment on air at `at` (start ≤ at < end), or undefined outside the entries. */
export function segmentAtInstant(input: ResolverInput, at: number): PlannedSegment | undefined {
  return planSegments(input, at, at + 1)[0];
}
