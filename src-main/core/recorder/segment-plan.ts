// Which segments of a freshly fetched playlist are new, when each one aired, and whether media
// is missing before them (a gap). Pure: the recorder feeds it the last indexed segment.
import type { GapReason } from '../../../src-shared/contract';
import type { MediaPlaylist, MediaSegmentEntry } from './hls-parse';

/** The last segment on record for a source. */
export type Cursor = { mediaSequence: number; endAt: number };

export type PlannedSegment = MediaSegmentEntry & { startAt: number; timedBySource: boolean };

export type PlannedGap = { reason: GapReason; fromAt: number; toAt: number; detail: string };

export type SegmentPlan = { segments: PlannedSegment[]; gap: PlannedGap | null };

export type PlanInput = {
  cursor: Cursor | null;
  playlist: MediaPlaylist;
  /** Arrival time of the playlist (UTC ms). */
  now: number;
  /** Nothing indexed yet since the recorder (re)started for this source. */
  firstSinceStart: boolean;
  /** Why the recorder is in an outage right now (an open gap), if it is. */
  outage: GapReason | null;
};

/**
 * When a segment aired: its program date-time if the source gives one; else the segment right
 * after the cursor follows it seamlessly; else arrival arithmetic (the playlist's last segment
 * ends about now, its predecessors before it by their durations).
 */
function timeSegments(
  fresh: MediaSegmentEntry[],
  all: MediaSegmentEntry[],
  cursor: Cursor | null,
  now: number,
): PlannedSegment[] {
  const liveEdgeEnd = now;
  const tailAfter = new Map<number, number>();
  let sum = 0;
  for (let i = all.length - 1; i >= 0; i--) {
    sum += all[i]!.durationMs;
    tailAfter.set(all[i]!.mediaSequence, sum);
  }
  const out: PlannedSegment[] = [];
  let previousEnd: number | null =
    cursor && fresh[0]?.mediaSequence === cursor.mediaSequence + 1 ? cursor.endAt : null;
  for (const segment of fresh) {
    let startAt: number;
    let timedBySource = false;
    if (segment.programDateTime !== null) {
      startAt = segment.programDateTime;
      timedBySource = true;
    } else if (previousEnd !== null && !segment.discontinuity) {
      startAt = previousEnd;
    } else {
      startAt = liveEdgeEnd - (tailAfter.get(segment.mediaSequence) ?? segment.durationMs);
    }
    out.push({ ...segment, startAt, timedBySource });
    previousEnd = startAt + segment.durationMs;
  }
  return out;
}

export function planSegments(input: PlanInput): SegmentPlan {
  const { cursor, playlist, now } = input;
  const all = playlist.segments;
  if (all.length === 0) return { segments: [], gap: null };
  if (!cursor) return { segments: timeSegments(all, all, null, now), gap: null };

  const first = all[0]!;
  const last = all.at(-1)!;
  if (last.mediaSequence < cursor.mediaSequence) {
    // The sequence started again: an encoder restart. Keep only what aired after our cursor
    // when the source dates its segments, else the live edge.
    const timed = timeSegments(all, all, null, now);
    const fresh = timed.some((s) => s.timedBySource)
      ? timed.filter((s) => s.startAt >= cursor.endAt - 1)
      : timed.slice(-1);
    if (fresh.length === 0) return { segments: [], gap: null };
    return {
      segments: fresh,
      gap: gapBetween(
        cursor,
        fresh[0]!,
        'source_reset',
        `media sequence restarted at ${first.mediaSequence}`,
      ),
    };
  }
  const fresh = all.filter((s) => s.mediaSequence > cursor.mediaSequence);
  if (fresh.length === 0) return { segments: [], gap: null };
  const segments = timeSegments(fresh, all, cursor, now);
  if (fresh[0]!.mediaSequence === cursor.mediaSequence + 1) return { segments, gap: null };

  const missed = fresh[0]!.mediaSequence - cursor.mediaSequence - 1;
  const reason: GapReason = input.firstSinceStart ? 'restart' : (input.outage ?? 'sequence_jump');
  return {
    segments,
    gap: gapBetween(cursor, segments[0]!, reason, `${missed} segment(s) missed`),
  };
}

function gapBetween(
  cursor: Cursor,
  next: PlannedSegment,
  reason: GapReason,
  detail: string,
): PlannedGap {
  // Arrival arithmetic can place the next segment a little early; the gap is never negative.
  return { reason, fromAt: cursor.endAt, toAt: Math.max(cursor.endAt, next.startAt), detail };
}
