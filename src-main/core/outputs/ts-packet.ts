// MPEG-TS packet fields the splicer reads and rewrites: 188-byte packets, 33-bit 90 kHz
// timestamps in PES headers, PCRs in adaptation fields. Pure functions on byte arrays.

export const TS_PACKET = 188;
/** PTS/DTS and the PCR base are 33-bit counters of a 90 kHz clock. */
export const TS_WRAP = 2 ** 33;
const HALF_WRAP = 2 ** 32;

/** Brings `ts` (33-bit) to the unwrapped value nearest `reference`. */
export function unwrapNear(ts: number, reference: number): number {
  let delta = (ts - (reference % TS_WRAP) + TS_WRAP) % TS_WRAP;
  if (delta >= HALF_WRAP) delta -= TS_WRAP;
  return reference + delta;
}

export function wrap33(ts: number): number {
  return ((ts % TS_WRAP) + TS_WRAP) % TS_WRAP;
}

/** A 5-byte PES timestamp (PTS or DTS) at `at`. */
export function readTimestamp(buf: Uint8Array, at: number): number {
  const b0 = buf[at]!;
  const b1 = buf[at + 1]!;
  const b2 = buf[at + 2]!;
  const b3 = buf[at + 3]!;
  const b4 = buf[at + 4]!;
  // The top 3 bits are multiplied, not shifted: bitwise operators stop at 32 bits.
  return ((b0 >> 1) & 0x07) * 2 ** 30 + ((b1 << 22) | ((b2 >> 1) << 15) | (b3 << 7) | (b4 >> 1));
}

/** Writes a timestamp keeping the 4-bit prefix of the original ('0010', '0011' or '0001'). */
export function writeTimestamp(buf: Uint8Array, at: number, value: number): void {
  const ts = wrap33(value);
  const high = Math.floor(ts / 2 ** 30) & 0x07;
  const low = ts % 2 ** 30;
  buf[at] = (buf[at]! & 0xf0) | (high << 1) | 1;
  buf[at + 1] = (low >> 22) & 0xff;
  buf[at + 2] = (((low >> 15) & 0x7f) << 1) | 1;
  buf[at + 3] = (low >> 7) & 0xff;
  buf[at + 4] = ((low & 0x7f) << 1) | 1;
}

/** The PCR base (90 kHz, 33 bits) and extension (27 MHz remainder) at `at`. */
export function readPcr(buf: Uint8Array, at: number): { base: number; ext: number } {
  const base =
    buf[at]! * 2 ** 25 +
    buf[at + 1]! * 2 ** 17 +
    buf[at + 2]! * 2 ** 9 +
    buf[at + 3]! * 2 ** 1 +
    (buf[at + 4]! >> 7);
  const ext = ((buf[at + 4]! & 0x01) << 8) | buf[at + 5]!;
  return { base, ext };
}

export function writePcr(buf: Uint8Array, at: number, base: number, ext: number): void {
  const b = wrap33(base);
  buf[at] = Math.floor(b / 2 ** 25) & 0xff;
  buf[at + 1] = Math.floor(b / 2 ** 17) & 0xff;
  buf[at + 2] = Math.floor(b / 2 ** 9) & 0xff;
  buf[at + 3] = Math.floor(b / 2) & 0xff;
  buf[at + 4] = ((b % 2) << 7) | 0x7e | ((ext >> 8) & 0x01);
  buf[at + 5] = ext & 0xff;
}

export const packetPid = (p: Uint8Array): number => ((p[1]! & 0x1f) << 8) | p[2]!;
export const hasPayload = (p: Uint8Array): boolean => (p[3]! & 0x10) !== 0;
export const hasAdaptation = (p: Uint8Array): boolean => (p[3]! & 0x20) !== 0;
export const unitStart = (p: Uint8Array): boolean => (p[1]! & 0x40) !== 0;

/** Offset of the payload inside the packet, or null when there is none. */
export function payloadStart(p: Uint8Array): number | null {
  if (!hasPayload(p)) return null;
  const at = hasAdaptation(p) ? 5 + p[4]! : 4;
  return at < TS_PACKET ? at : null;
}

/** Offsets of PTS and DTS in a packet that starts a PES, when present. */
export function pesTimestampOffsets(p: Uint8Array): { pts: number | null; dts: number | null } {
  const none = { pts: null, dts: null };
  if (!unitStart(p)) return none;
  const at = payloadStart(p);
  if (at === null || at + 14 > TS_PACKET) return none;
  if (p[at] !== 0 || p[at + 1] !== 0 || p[at + 2] !== 1) return none;
  const streamId = p[at + 3]!;
  // These stream ids carry no optional header (program stream map, padding, private 2, …).
  if ([0xbc, 0xbe, 0xbf, 0xf0, 0xf1, 0xf2, 0xf8, 0xff].includes(streamId)) return none;
  const flags = p[at + 7]! >> 6;
  const pts = flags & 0x02 ? at + 9 : null;
  const dts = flags === 0x03 ? at + 14 : null;
  if (dts !== null && dts + 5 > TS_PACKET) return none;
  return { pts, dts };
}

/** Offset of the PCR in the adaptation field, when the packet carries one. */
export function pcrOffset(p: Uint8Array): number | null {
  if (!hasAdaptation(p) || p[4]! < 7) return null;
  return p[5]! & 0x10 ? 6 : null;
}
