/**
 * The arithmetic of a channel. Everything here is pure: the same schedule, segment tables and
 * checkpoint give the same segments on any machine, after any restart.
 */

/** One segment of a rendition, frame-exact: `startMs` of segment n+1 is `startMs + durationMs` of n. */
export type SegmentSpan = { seq: number; startMs: number; durationMs: number };
/** A rendition's segments in order, contiguous from 0. */
export type SegmentTable = readonly SegmentSpan[];

/** A break as the SCTE-35 markers announce it. */
export type BreakMark = {
  /** Stable across requests and machines: `break-<itemId>` or `break-<startsAt>`. */
  id: string;
  startsAt: number;
  durationMs: number;
};

/**
 * A contiguous piece of the channel's air: a programme's content (or a part of it between two
 * breaks), a break, or slate in a gap. Entries tile the timeline with no hole and no overlap.
 */
export type PlayoutEntry = {
  /** Stable identity of the piece, e.g. `item:12:0`, `slate:1740000000000`. */
  key: string;
  kind: 'programme' | 'break' | 'slate';
  itemId: number | null;
  /** null: the station slate plays (gaps, breaks, holds). */
  assetId: number | null;
  title: string;
  category: string | null;
  startsAt: number;
  durationMs: number;
  /** Where in the asset the entry starts (0 for slate). */
  inMs: number;
  /** The item's scheduled start (for the as-run log); null for gaps. */
  scheduledAt: number | null;
  /** True on the first piece of a programme (its air start), false on the part after a break. */
  programmeStart: boolean;
  /** Set on a break entry: OUT at its start, IN at its end. */
  breakMark: BreakMark | null;
  /** Set on the entry right after a break: it carries the break's IN marker. */
  afterBreak: BreakMark | null;
  /** A hold's slate (open-ended until release). */
  hold: boolean;
};

/**
 * Where counting resumes: the segment starting at `at` (an entry start) has media sequence
 * `msn`, and `disc` discontinuities were counted before it (so a playlist starting there says
 * EXT-X-DISCONTINUITY-SEQUENCE:`disc`). The channel's epoch is `{ at: epoch, msn: 0, disc: 0 }`.
 */
export type Checkpoint = { at: number; msn: number; disc: number };

export type Cut = { fromMs: number; toMs: number };

export type SegmentSource =
  | { kind: 'asset'; assetId: number; seq: number; cut: Cut | null }
  | { kind: 'slate'; seq: number; cut: Cut | null };

export type DateRangeMark = { kind: 'out' | 'in'; mark: BreakMark };

export type PlannedSegment = {
  msn: number;
  /** Discontinuity sequence number of this segment (its own discontinuity included). */
  discontinuitySeq: number;
  discontinuityBefore: boolean;
  startsAt: number;
  durationMs: number;
  /** Start of the entry this segment belongs to (the programme date-time of its discontinuity). */
  entryStart: number;
  entryKey: string;
  /** True when this is the first segment of a programme (not of a part after a break). */
  programmeStart: boolean;
  source: SegmentSource;
  /** SCTE-35 markers that take effect at this segment's start. */
  dateranges: DateRangeMark[];
};
