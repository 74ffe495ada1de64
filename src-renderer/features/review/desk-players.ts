import type { RecordedSource } from '../../../src-shared/contract';
import { mediaUrl } from '../../app/api/media';
import { FAST_RENDITION_ABOVE, type ReviewPlayer } from './review-player';

/** The players the desk's tiles hold right now, by tile index. */
export const deskPlayers = new Map<number, ReviewPlayer>();

/** How far back a tile's playlist reaches behind where it starts (longer: a larger playlist). */
const WINDOW_BEHIND_MS = 2 * 3_600_000;
/** Where a freshly picked source starts when nothing else says: an hour before its newest frame. */
const DEFAULT_BACK_MS = 3_600_000;

/** Air time a tile that gets a source should start at: the shared time when locked. */
export function startAirTime(
  index: number,
  source: RecordedSource,
  locked: boolean,
  focused: number,
): number {
  if (locked) {
    const leader = [deskPlayers.get(focused), ...deskPlayers.values()].find(
      (p, i) => p && (i === 0 || p !== deskPlayers.get(index)) && p.frameAirTime() !== null,
    );
    const at = leader?.frameAirTime();
    if (at !== null && at !== undefined) return at;
  }
  const last = source.lastAt ?? Date.now();
  return Math.max(source.firstAt ?? last, last - DEFAULT_BACK_MS);
}

/** Start of a tile's playlist window: whole minutes, so small moves keep the same playlist. */
export function windowStartFor(source: RecordedSource, at: number): number {
  const start = Math.max(source.firstAt ?? at, at - WINDOW_BEHIND_MS);
  return Math.floor(start / 60_000) * 60_000;
}

export type Rendition = 'full' | 'fast';

export function renditionFor(speed: number): Rendition {
  return speed > FAST_RENDITION_ABOVE ? 'fast' : 'full';
}

/**
 * The playlist a tile plays. Up to 4× the growing recording itself (an EVENT playlist, so the
 * tile can follow it to live); above, the low-rate rendition of the same window up to now, with
 * identical timing, so switching keeps the air time. `fallback`: the full-rate window, for a
 * core that has no fast rendition.
 */
export function playlistUrls(
  sourceId: number,
  from: number,
  rendition: Rendition,
  now: number,
): { url: string; fallback: string | null } {
  const base = `/recordings/${sourceId}`;
  if (rendition === 'full')
    return { url: mediaUrl(`${base}/live.m3u8?from=${from}`), fallback: null };
  const to = Math.ceil(now / 60_000) * 60_000 + 60_000;
  return {
    url: mediaUrl(`${base}/fast.m3u8?from=${from}&to=${to}`),
    fallback: mediaUrl(`${base}/vod.m3u8?from=${from}&to=${to}`),
  };
}
