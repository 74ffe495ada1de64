// Reading a source's HLS playlists: enough of RFC 8216 to record a live stream. A master
// playlist is followed to its first variant (the source's own order says which it prefers).

export type MediaSegmentEntry = {
  mediaSequence: number;
  uri: string;
  durationMs: number;
  /** EXT-X-PROGRAM-DATE-TIME of this segment (given or carried forward), UTC ms; else null. */
  programDateTime: number | null;
  /** EXT-X-DISCONTINUITY precedes it. */
  discontinuity: boolean;
};

export type MediaPlaylist = {
  kind: 'media';
  targetDurationMs: number;
  mediaSequence: number;
  endList: boolean;
  /** EXT-X-MAP (fragmented MP4): recorded sources need MPEG-TS segments for now. */
  hasInitSegment: boolean;
  segments: MediaSegmentEntry[];
};

export type MasterPlaylist = { kind: 'master'; variants: string[] };

export class PlaylistParseError extends Error {
  override readonly name = 'PlaylistParseError';
}

/** Parses a playlist's text; URIs are resolved against `baseUrl`. */
export function parsePlaylist(text: string, baseUrl: string): MediaPlaylist | MasterPlaylist {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim());
  if (lines[0] !== '#EXTM3U') throw new PlaylistParseError('not an HLS playlist (no #EXTM3U)');
  const resolve = (uri: string) => new URL(uri, baseUrl).toString();

  if (lines.some((l) => l.startsWith('#EXT-X-STREAM-INF'))) {
    const variants: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.startsWith('#EXT-X-STREAM-INF')) continue;
      const uri = lines.slice(i + 1).find((l) => l !== '' && !l.startsWith('#'));
      if (uri) variants.push(resolve(uri));
    }
    if (variants.length === 0) throw new PlaylistParseError('master playlist without variants');
    return { kind: 'master', variants };
  }

  let targetDurationMs = 0;
  let mediaSequence = 0;
  let endList = false;
  let hasInitSegment = false;
  const segments: MediaSegmentEntry[] = [];
  let pendingDuration: number | null = null;
  let pendingPdt: number | null = null;
  let pendingDiscontinuity = false;
  let lastPdtEnd: number | null = null;
  for (const line of lines) {
    if (line === '') continue;
    if (line.startsWith('#EXT-X-TARGETDURATION:')) {
      targetDurationMs = Math.round(Number(line.slice(22)) * 1000);
    } else if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) {
      mediaSequence = Number(line.slice(22));
    } else if (line.startsWith('#EXTINF:')) {
      const value = Number(line.slice(8).split(',')[0]);
      if (!Number.isFinite(value) || value <= 0) throw new PlaylistParseError(`bad ${line}`);
      pendingDuration = Math.round(value * 1000);
    } else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) {
      const at = Date.parse(line.slice(25));
      if (Number.isFinite(at)) pendingPdt = at;
    } else if (line === '#EXT-X-DISCONTINUITY') {
      pendingDiscontinuity = true;
    } else if (line === '#EXT-X-ENDLIST') {
      endList = true;
    } else if (line.startsWith('#EXT-X-MAP')) {
      hasInitSegment = true;
    } else if (!line.startsWith('#')) {
      if (pendingDuration === null)
        throw new PlaylistParseError(`segment without #EXTINF: ${line}`);
      // A date-time applies to its segment; later ones follow by their durations (8216 4.3.2.6),
      // but never across a discontinuity without a new date-time.
      const pdt: number | null = pendingPdt ?? (pendingDiscontinuity ? null : lastPdtEnd);
      segments.push({
        mediaSequence: mediaSequence + segments.length,
        uri: resolve(line),
        durationMs: pendingDuration,
        programDateTime: pdt,
        discontinuity: pendingDiscontinuity,
      });
      lastPdtEnd = pdt === null ? null : pdt + pendingDuration;
      pendingDuration = null;
      pendingPdt = null;
      pendingDiscontinuity = false;
    }
  }
  if (!Number.isInteger(mediaSequence) || mediaSequence < 0)
    throw new PlaylistParseError('bad #EXT-X-MEDIA-SEQUENCE');
  if (targetDurationMs <= 0) {
    targetDurationMs = Math.max(1000, ...segments.map((s) => s.durationMs));
  }
  return { kind: 'media', targetDurationMs, mediaSequence, endList, hasInitSegment, segments };
}
