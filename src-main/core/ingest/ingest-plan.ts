// Pure decisions: may this source be remuxed, is it interlaced.
import type { HouseProfile, Probe } from '../../../src-shared/contract';

export type IngestMethod = 'remux' | 'transcode';

const INTERLACED_FIELD_ORDERS = new Set(['tt', 'bb', 'tb', 'bt']);

export function isInterlaced(probe: Probe): boolean {
  return INTERLACED_FIELD_ORDERS.has(probe.video?.fieldOrder ?? '');
}

/**
 * Why a source cannot simply be copied into the house format (empty: it can, provided its
 * keyframes also sit on every segment boundary, which the copy's own segments show).
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
 * A remuxed source's audio may be copied as it is when it is already what the house encodes:
 * AAC, stereo, 48 kHz (its loudness and length are checked by the loudness pass).
 */
export function audioCopyable(probe: Probe): boolean {
  const a = probe.audio[0];
  return (
    probe.audio.length === 1 &&
    a !== undefined &&
    a.codec === 'aac' &&
    a.channels === 2 &&
    a.sampleRate === 48000
  );
}
