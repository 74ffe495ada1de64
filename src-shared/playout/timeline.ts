import type { BreakMark, PlayoutEntry } from './types';

/** A top-level schedule item with its inner breaks, as the resolver needs it. */
export type TimelineItem = {
  id: number;
  kind: 'asset' | 'break';
  assetId: number | null;
  startsAt: number;
  durationMs: number;
  inMs: number;
  title: string | null;
  category: string | null;
  /** Inner breaks, in offset order; `offsetMs` is into the programme's content. */
  breaks: readonly { id: number; offsetMs: number; durationMs: number }[];
};

export type TimelineOptions = {
  from: number;
  to: number;
  /** Nothing airs before the channel's first start. */
  epoch: number;
  /** A hold replaces everything from this instant with slate. */
  holdFrom: number | null;
  slateTitle: string;
};

const slateEntry = (start: number, end: number, title: string, hold = false): PlayoutEntry => ({
  // A hold's slate is keyed like a gap's: after release the same span is a gap again.
  key: `slate:${start}`,
  kind: 'slate',
  itemId: null,
  assetId: null,
  title,
  category: null,
  startsAt: start,
  durationMs: end - start,
  inMs: 0,
  scheduledAt: null,
  programmeStart: true,
  breakMark: null,
  afterBreak: null,
  hold,
});

/** A programme's air: content parts with its breaks between them (zero-length parts dropped). */
function expandItem(item: TimelineItem): PlayoutEntry[] {
  const title = item.title ?? (item.kind === 'break' ? 'Break' : `Item ${item.id}`);
  const base = {
    itemId: item.id,
    title,
    category: item.category,
    scheduledAt: item.startsAt,
    afterBreak: null,
    hold: false,
  };
  if (item.kind === 'break') {
    const mark: BreakMark = {
      id: `break-${item.id}`,
      startsAt: item.startsAt,
      durationMs: item.durationMs,
    };
    return [
      {
        ...base,
        key: `item:${item.id}`,
        kind: 'break',
        assetId: null,
        startsAt: item.startsAt,
        durationMs: item.durationMs,
        inMs: 0,
        programmeStart: true,
        breakMark: mark,
      },
    ];
  }
  const out: PlayoutEntry[] = [];
  let at = item.startsAt;
  let content = 0;
  let part = 0;
  const pushContent = (until: number) => {
    const length = until - content;
    if (length <= 0) return;
    out.push({
      ...base,
      key: `item:${item.id}:${part}`,
      kind: 'programme',
      assetId: item.assetId,
      startsAt: at,
      durationMs: length,
      inMs: item.inMs + content,
      programmeStart: part === 0,
      breakMark: null,
    });
    part += 1;
    at += length;
    content = until;
  };
  for (const brk of item.breaks) {
    const offset = Math.min(Math.max(brk.offsetMs, 0), item.durationMs);
    pushContent(offset);
    out.push({
      ...base,
      key: `item:${brk.id}`,
      title: `Break in ${title}`,
      kind: 'break',
      assetId: null,
      startsAt: at,
      durationMs: brk.durationMs,
      inMs: 0,
      programmeStart: false,
      breakMark: { id: `break-${brk.id}`, startsAt: at, durationMs: brk.durationMs },
    });
    at += brk.durationMs;
  }
  pushContent(item.durationMs);
  return out;
}

/** The part of `entry` from `at` on (an asset piece plays on from further into the media). */
export function clipStart(entry: PlayoutEntry, at: number): PlayoutEntry {
  const cut = at - entry.startsAt;
  if (cut <= 0) return entry;
  return {
    ...entry,
    startsAt: at,
    durationMs: entry.durationMs - cut,
    inMs: entry.kind === 'programme' ? entry.inMs + cut : entry.inMs,
  };
}

const clipEnd = (entry: PlayoutEntry, at: number): PlayoutEntry =>
  at >= entry.startsAt + entry.durationMs ? entry : { ...entry, durationMs: at - entry.startsAt };

/**
 * Tiles [from, to) with entries: items (split around their breaks), slate in every gap, slate
 * from a hold on. Gaps start where the previous item ended (or at the epoch), so a gap's slate
 * grid is the same whichever range asked for it. Items must not overlap (the schedule
 * refuses it); if they do, the later one is clipped rather than doubling air time.
 */
export function buildTimeline(
  items: readonly TimelineItem[],
  options: TimelineOptions,
): PlayoutEntry[] {
  const { epoch, slateTitle } = options;
  const start = Math.max(options.from, epoch);
  const end = options.holdFrom === null ? options.to : Math.min(options.to, options.holdFrom);
  const pieces = [...items]
    .sort((a, b) => a.startsAt - b.startsAt || a.id - b.id)
    .flatMap(expandItem);
  const tiled: PlayoutEntry[] = [];
  let cursor = epoch;
  for (const piece of pieces) {
    const pieceEnd = piece.startsAt + piece.durationMs;
    if (pieceEnd <= cursor) continue;
    if (piece.startsAt > cursor) tiled.push(slateEntry(cursor, piece.startsAt, slateTitle));
    tiled.push(clipStart(piece, cursor));
    cursor = pieceEnd;
    if (cursor >= end) break;
  }
  if (cursor < end) tiled.push(slateEntry(cursor, end, slateTitle));

  const result: PlayoutEntry[] = [];
  for (const entry of tiled) {
    if (entry.startsAt + entry.durationMs <= start || entry.startsAt >= end) continue;
    result.push(clipEnd(clipStart(entry, start), end));
  }
  if (options.holdFrom !== null && options.holdFrom < options.to) {
    // A hold that begins while slate plays continues that slate's grid rather than starting a
    // new one: after release the gap is one slate entry again, and the aired segments match.
    const last = result[result.length - 1];
    if (last && last.kind === 'slate' && last.startsAt + last.durationMs === options.holdFrom) {
      result[result.length - 1] = {
        ...last,
        durationMs: options.to - last.startsAt,
        hold: true,
        title: 'Hold',
      };
    } else {
      result.push(clipStart(slateEntry(options.holdFrom, options.to, 'Hold', true), start));
    }
  }
  for (let i = 1; i < result.length; i++) {
    const previous = result[i - 1] as PlayoutEntry;
    const entry = result[i] as PlayoutEntry;
    if (previous.breakMark) result[i] = { ...entry, afterBreak: previous.breakMark };
  }
  return result;
}
