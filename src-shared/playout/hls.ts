import { spliceEventId, spliceInsertHex } from './scte35';
import type { DateRangeMark, PlannedSegment } from './types';

export const HLS_VERSION = 6;
/** Segments in a live window: about three target durations behind the edge, and a few more. */
export const LIVE_WINDOW_SEGMENTS = 6;

const iso = (ms: number) => new Date(ms).toISOString();
const seconds = (ms: number) => (ms / 1000).toFixed(3);

export type VariantInfo = {
  uri: string;
  bandwidth: number;
  width: number;
  height: number;
  fps: number;
  codecs: string;
};

export function renderMasterPlaylist(variants: readonly VariantInfo[]): string {
  const lines = ['#EXTM3U', `#EXT-X-VERSION:${HLS_VERSION}`, '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const v of variants) {
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${v.bandwidth},RESOLUTION=${v.width}x${v.height},FRAME-RATE=${v.fps.toFixed(3)},CODECS="${v.codecs}"`,
      v.uri,
    );
  }
  return `${lines.join('\n')}\n`;
}

function dateRangeLine(d: DateRangeMark): string {
  const { mark } = d;
  const eventId = spliceEventId(mark.id);
  if (d.kind === 'out') {
    return `#EXT-X-DATERANGE:ID="${mark.id}",START-DATE="${iso(mark.startsAt)}",PLANNED-DURATION=${seconds(mark.durationMs)},SCTE35-OUT=${spliceInsertHex({ eventId, out: true, durationMs: mark.durationMs })}`;
  }
  // Same ID and START-DATE as the OUT tag (attributes present in both must agree).
  return `#EXT-X-DATERANGE:ID="${mark.id}",START-DATE="${iso(mark.startsAt)}",END-DATE="${iso(mark.startsAt + mark.durationMs)}",DURATION=${seconds(mark.durationMs)},SCTE35-IN=${spliceInsertHex({ eventId, out: false })}`;
}

/**
 * A live media playlist for the given window (oldest first). The numbers come from the
 * segments, so every origin and every refresh agree. A discontinuity on the first segment is
 * kept, so the header's sequence is one less than that segment's number.
 */
export function renderMediaPlaylist(
  segments: readonly PlannedSegment[],
  uri: (segment: PlannedSegment) => string,
  minTargetSeconds = 1,
): string {
  const first = segments[0];
  const target = Math.max(minTargetSeconds, ...segments.map((s) => Math.ceil(s.durationMs / 1000)));
  const lines = [
    '#EXTM3U',
    `#EXT-X-VERSION:${HLS_VERSION}`,
    `#EXT-X-TARGETDURATION:${target}`,
    `#EXT-X-MEDIA-SEQUENCE:${first?.msn ?? 0}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${first ? first.discontinuitySeq - (first.discontinuityBefore ? 1 : 0) : 0}`,
    '#EXT-X-INDEPENDENT-SEGMENTS',
  ];
  segments.forEach((segment, i) => {
    if (segment.discontinuityBefore) lines.push('#EXT-X-DISCONTINUITY');
    if (segment.discontinuityBefore || i === 0)
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${iso(segment.startsAt)}`);
    for (const d of segment.dateranges) lines.push(dateRangeLine(d));
    lines.push(`#EXTINF:${seconds(segment.durationMs)},`, uri(segment));
  });
  return `${lines.join('\n')}\n`;
}
