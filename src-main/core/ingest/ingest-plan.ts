// Pure decisions: may this source be remuxed, is it interlaced, where are its keyframes allowed.
import type { HouseProfile, Probe } from '../../../src-shared/contract';

export type IngestMethod = 'remux' | 'transcode';

const INTERLACED_FIELD_ORDERS = new Set(['tt', 'bb', 'tb', 'bt']);

export function isInterlaced(probe: Probe): boolean {
  return INTERLACED_FIELD_ORDERS.has(probe.video?.fieldOrder ?? '');
}

/**
 * Why a source cannot simply be copied into the house format (empty: it can, provided its
 * keyframes also sit on every segment boundary, which needs a packet scan to know).
 */
export function remuxBlockers(probe: Probe, profile: HouseProfile): string[] {
  const v = probe.video;
  if (!v) return ['no video'];
  const blockers: string[] = [];
  if (v.codec !== 'h264') blockers.push(`codec ${v.codec}`);
  if (v.width !== profile.width || v.height !== profile.height) {
    blockers.push(`size ${v.width}x${v.height}`);
  }
  if (v.variableFrameRate) blockers.push('variable frame rate');
  if (v.fps === null || Math.abs(v.fps - profile.fps) > 0.001) blockers.push(`${v.fps ?? '?'} fps`);
  if (v.rotation !== 0) blockers.push(`rotated ${v.rotation}°`);
  if (isInterlaced(probe)) blockers.push('interlaced');
  if (v.pixelFormat !== 'yuv420p' && v.pixelFormat !== 'yuvj420p') {
    blockers.push(`pixel format ${v.pixelFormat ?? '?'}`);
  }
  if (v.bitDepth !== null && v.bitDepth !== 8) blockers.push(`${v.bitDepth}-bit`);
  return blockers;
}

/**
 * True when there is a keyframe on every segment boundary (within half a frame) before the
 * end, so the HLS muxer cuts copied video into segments of exactly `segmentSeconds`.
 * `keyframes` are presentation times in seconds, in any order.
 */
export function keyframesAligned(
  keyframes: readonly number[],
  durationS: number,
  profile: Pick<HouseProfile, 'fps' | 'segmentSeconds'>,
): boolean {
  if (keyframes.length === 0) return false;
  const sorted = [...keyframes].sort((a, b) => a - b);
  const first = sorted[0] ?? 0;
  const tolerance = 0.5 / profile.fps;
  let i = 0;
  for (let boundary = 0; boundary < durationS - tolerance; boundary += profile.segmentSeconds) {
    while (i < sorted.length && (sorted[i] ?? 0) - first < boundary - tolerance) i += 1;
    if (i >= sorted.length || Math.abs((sorted[i] ?? 0) - first - boundary) > tolerance) {
      return false;
    }
  }
  return true;
}
