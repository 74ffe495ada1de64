// Program-specific information of a house MPEG-TS segment: the PAT names the PMT's PID, the
// PMT names the PCR PID and each elementary stream's PID and kind. Only what the restamper
// needs to tell video from audio is read.
import { payloadStart, TS_PACKET, unitStart } from './ts-packet';

export type Kind = 'video' | 'audio' | 'other';

const VIDEO_TYPES = new Set([0x01, 0x02, 0x10, 0x1b, 0x24]);
const AUDIO_TYPES = new Set([0x03, 0x04, 0x0f, 0x11, 0x81, 0x87]);

export type Pmt = { pmtPid: number; pcrPid: number; streams: Map<number, Kind> };

/** Section bytes of a PSI packet (PAT/PMT) that starts in this packet. */
function psiSection(p: Uint8Array): Uint8Array | null {
  if (!unitStart(p)) return null;
  const at = payloadStart(p);
  if (at === null) return null;
  const start = at + 1 + p[at]!;
  if (start + 3 > TS_PACKET) return null;
  const length = ((p[start + 1]! & 0x0f) << 8) | p[start + 2]!;
  const end = Math.min(TS_PACKET, start + 3 + length);
  return p.subarray(start, end);
}

export function parsePatPmtPid(p: Uint8Array): number | null {
  const s = psiSection(p);
  if (!s || s[0] !== 0x00) return null;
  // Program loop after the 8-byte header, before the 4-byte CRC.
  for (let i = 8; i + 4 <= s.length - 4; i += 4) {
    const program = (s[i]! << 8) | s[i + 1]!;
    if (program !== 0) return ((s[i + 2]! & 0x1f) << 8) | s[i + 3]!;
  }
  return null;
}

export function parsePmt(p: Uint8Array, pmtPid: number): Pmt | null {
  const s = psiSection(p);
  if (!s || s[0] !== 0x02) return null;
  const pcrPid = ((s[8]! & 0x1f) << 8) | s[9]!;
  const infoLength = ((s[10]! & 0x0f) << 8) | s[11]!;
  const streams = new Map<number, Kind>();
  for (let i = 12 + infoLength; i + 5 <= s.length - 4;) {
    const type = s[i]!;
    const pid = ((s[i + 1]! & 0x1f) << 8) | s[i + 2]!;
    const esInfo = ((s[i + 3]! & 0x0f) << 8) | s[i + 4]!;
    streams.set(pid, VIDEO_TYPES.has(type) ? 'video' : AUDIO_TYPES.has(type) ? 'audio' : 'other');
    i += 5 + esInfo;
  }
  return { pmtPid, pcrPid, streams };
}
