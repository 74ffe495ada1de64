// The channel as one endless MPEG-TS stream, written in real time from the same planned
// segments the HLS playlists list. No ffmpeg: each segment is restamped onto the channel's
// clock exactly as the HLS segment route serves it, so the stream is their plain concatenation
// (continuity counters renumbered) and a viewer (VLC, a set-top box, Plex as a tuner) sees one
// programme whose timestamps follow the air to the frame, whatever was skipped or cut.
import type { Writable } from 'node:stream';
import {
  DEFAULT_FRAME_TICKS,
  TsConcatenator,
  createSegmentRestamper,
  type SegmentRestamper,
} from './segment-restamp';

/** A planned segment of the channel's main rendition (a file already cut or slate). */
export type LiveSegment = { msn: number; startsAt: number; durationMs: number; path: string };

/** What the stream needs from playout. */
export type LiveTimeline = {
  now(): number;
  /** Planned segments overlapping [from, to), in order, with their files resolved. */
  segments(
    channelId: number,
    from: number,
    to: number,
  ): readonly LiveSegment[] | Promise<readonly LiveSegment[]>;
  /** False once the channel went off air: the stream ends. */
  onAir(channelId: number): boolean;
  /** Shared restamper (its per-file index cache); one for 25 fps otherwise. */
  restamper?: SegmentRestamper;
};

export type LiveStreamOptions = {
  /** A segment is written this long before its start instant (default 1 s). */
  leadMs?: number;
  /** A client whose socket accepts nothing for this long is dropped (default 15 s). */
  stallMs?: number;
  /** A client whose stream falls this far behind the air is dropped (default 20 s). */
  maxLagMs?: number;
  /** How long the timeline may have nothing to play before the stream ends (default 10 s). */
  emptyMs?: number;
  /** Polling step while waiting for a segment to be planned (default 500 ms). */
  retryMs?: number;
  onSegmentError?: (segment: LiveSegment, error: unknown) => void;
  /** A segment was written to the client (usage counting). */
  onSegment?: (segment: LiveSegment) => void;
};

export type LiveStreamEnd =
  'client-gone' | 'off-air' | 'nothing-planned' | 'slow-client' | 'write-error';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Resolves true once the sink drains, false when it stalls too long or closes. */
function drained(sink: Writable, stallMs: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      sink.off('drain', onDrain);
      sink.off('close', onClose);
      signal.removeEventListener('abort', onClose);
      resolve(ok);
    };
    const onDrain = () => finish(true);
    const onClose = () => finish(false);
    const timer = setTimeout(() => finish(false), stallMs);
    sink.on('drain', onDrain);
    sink.on('close', onClose);
    signal.addEventListener('abort', onClose, { once: true });
  });
}

/** The first segment after `lastMsn` still running at `at` (on air then, or planned after). */
async function segmentFrom(
  timeline: LiveTimeline,
  channelId: number,
  at: number,
  lastMsn: number,
): Promise<LiveSegment | null> {
  const list = await timeline.segments(channelId, at - 1, at + 30_000);
  return list.find((s) => s.msn > lastMsn && s.startsAt + s.durationMs > at) ?? null;
}

/**
 * Writes the channel to `sink` from the segment on air now (a one-segment pre-roll lets a
 * player start at once), then each next segment when its start is `leadMs` away, until the
 * client goes, the channel stops, or the client cannot keep up. Never ends the sink itself.
 */
export async function streamLiveTs(
  timeline: LiveTimeline,
  channelId: number,
  sink: Writable,
  signal: AbortSignal,
  options: LiveStreamOptions = {},
): Promise<LiveStreamEnd> {
  const leadMs = options.leadMs ?? 1000;
  const stallMs = options.stallMs ?? 15_000;
  const maxLagMs = options.maxLagMs ?? 20_000;
  const emptyMs = options.emptyMs ?? 10_000;
  const retryMs = options.retryMs ?? 500;
  const restamper =
    timeline.restamper ?? createSegmentRestamper({ frameTicks: () => DEFAULT_FRAME_TICKS });
  const joiner = new TsConcatenator();
  let lastMsn = -1;
  // The segment written last: the previous planned one when msn follows on (for the seam).
  let previous: LiveSegment | null = null;
  // Where the stream has got to on the air: now at first, then the end of each segment.
  let cursor = timeline.now();
  let next = await segmentFrom(timeline, channelId, cursor, lastMsn);
  let waitingSince: number | null = null;

  while (!signal.aborted) {
    if (!timeline.onAir(channelId)) return 'off-air';
    if (!next) {
      const now = timeline.now();
      waitingSince ??= now;
      if (now - waitingSince > emptyMs) return 'nothing-planned';
      await sleep(retryMs, signal);
      // After a gap in the plan, start again from what is on air now.
      next = await segmentFrom(
        timeline,
        channelId,
        Math.max(cursor, timeline.now() - leadMs),
        lastMsn,
      );
      continue;
    }
    waitingSince = null;
    const segment = next;
    const wait = segment.startsAt - leadMs - timeline.now();
    if (wait > 0) {
      await sleep(wait, signal);
      continue; // Re-check the air after sleeping: an operator may have changed it.
    }
    if (timeline.now() - (segment.startsAt + segment.durationMs) > maxLagMs) return 'slow-client';

    try {
      const before = previous && previous.msn === segment.msn - 1 ? previous : null;
      const chunk = joiner.append(await restamper.bytes(segment, before));
      if (signal.aborted) return 'client-gone';
      if (sink.destroyed || sink.writableEnded) return 'client-gone';
      if (!sink.write(chunk) && !(await drained(sink, stallMs, signal))) {
        return signal.aborted || sink.destroyed ? 'client-gone' : 'slow-client';
      }
      options.onSegment?.(segment);
    } catch (error) {
      // A missing or unreadable file costs its few seconds, not the stream: timestamps follow
      // the air, so the next segment resumes on time after a gap.
      if (signal.aborted || sink.destroyed) return 'client-gone';
      options.onSegmentError?.(segment, error);
    }
    lastMsn = segment.msn;
    previous = segment;
    cursor = segment.startsAt + segment.durationMs;
    // The plan is asked again for every segment, so operator actions show up at once.
    next = await segmentFrom(timeline, channelId, cursor, lastMsn);
  }
  return 'client-gone';
}
