// A time window of a recording as an HLS playlist, computed from the index on every request
// (no process per viewer). Pure: the routes hand it rows, it hands back text.

export type IndexedSegment = {
  id: number;
  mediaSequence: number;
  startAt: number;
  durationMs: number;
  /** The source marked a discontinuity before it. */
  discontinuity: boolean;
};

export type PlaylistOptions = {
  kind: 'vod' | 'event';
  /** Where the viewer asked to start (UTC ms): becomes EXT-X-START inside the first segment. */
  fromAt: number;
  /** A floor for EXT-X-TARGETDURATION (the source's), so an EVENT playlist keeps it steady. */
  targetDurationMs?: number;
  uri(segment: IndexedSegment): string;
};

/** Two segments further apart than this in air time are not back to back. */
export const CONTINUITY_TOLERANCE_MS = 250;

/** A segment starts a new run after a gap, a sequence break or a source discontinuity. */
export function startsRun(previous: IndexedSegment | undefined, segment: IndexedSegment): boolean {
  if (!previous) return true;
  if (segment.discontinuity) return true;
  if (segment.mediaSequence !== previous.mediaSequence + 1) return true;
  return (
    Math.abs(segment.startAt - (previous.startAt + previous.durationMs)) > CONTINUITY_TOLERANCE_MS
  );
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/**
 * Segments must be the window's, in air order. Every run (the first segment, and each one after
 * a gap or discontinuity) carries EXT-X-PROGRAM-DATE-TIME, as does a segment whose air time
 * drifts from its predecessors' durations, so a player maps any position to air time.
 */
export function buildRecordingPlaylist(
  segments: readonly IndexedSegment[],
  options: PlaylistOptions,
): string {
  const longest = Math.max(options.targetDurationMs ?? 0, ...segments.map((s) => s.durationMs));
  const target = Math.max(1, Math.ceil(longest / 1000 - 0.0005));
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${target}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-DISCONTINUITY-SEQUENCE:0',
    `#EXT-X-PLAYLIST-TYPE:${options.kind === 'vod' ? 'VOD' : 'EVENT'}`,
  ];
  const first = segments[0];
  if (first && options.fromAt > first.startAt)
    lines.push(`#EXT-X-START:TIME-OFFSET=${seconds(options.fromAt - first.startAt)},PRECISE=YES`);
  let previous: IndexedSegment | undefined;
  for (const segment of segments) {
    const run = startsRun(previous, segment);
    if (run && previous) lines.push('#EXT-X-DISCONTINUITY');
    const drift = previous ? segment.startAt - (previous.startAt + previous.durationMs) : 0;
    if (run || drift !== 0)
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.startAt).toISOString()}`);
    lines.push(`#EXTINF:${seconds(segment.durationMs)},`, options.uri(segment));
    previous = segment;
  }
  if (options.kind === 'vod') lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

/**
 * `from`/`to` as a query gives them: UTC ms or an ISO 8601 instant. Null when absent or bad.
 */
export function parseInstant(value: unknown): number | null {
  if (typeof value !== 'string' || value === '' || value.length > 40) return null;
  if (/^\d{1,15}$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) && /^\d{4}-\d{2}-\d{2}T/.test(value) ? parsed : null;
}
