// Reads the timing of a transport stream without decoding it: PES timestamps per PID, PCRs and
// continuity errors. For diagnostics and for the tests that check our own spliced output.
import {
  TS_PACKET,
  packetPid,
  pcrOffset,
  pesTimestampOffsets,
  readPcr,
  readTimestamp,
  unwrapNear,
} from './ts-packet';

export type TsTimeline = {
  /** Per PID, unwrapped PTS and DTS (DTS = PTS when absent) of each PES, in stream order. */
  pes: Map<number, { pts: number; dts: number }[]>;
  /** Unwrapped PCR bases (90 kHz) in stream order. */
  pcr: number[];
  /** Packets whose continuity counter did not follow the previous one on their PID. */
  continuityErrors: number;
  /** Packets with the discontinuity indicator set. */
  discontinuities: number;
  packets: number;
};

export function inspectTs(data: Uint8Array): TsTimeline {
  const pes = new Map<number, { pts: number; dts: number }[]>();
  const pcr: number[] = [];
  const cc = new Map<number, number>();
  let continuityErrors = 0;
  let discontinuities = 0;
  let packets = 0;
  let last = 0;
  for (let at = 0; at + TS_PACKET <= data.length; at += TS_PACKET) {
    const p = data.subarray(at, at + TS_PACKET);
    if (p[0] !== 0x47) throw new Error(`lost sync at byte ${at}`);
    packets++;
    const pid = packetPid(p);
    if (pid === 0x1fff) continue;
    const payload = (p[3]! & 0x10) !== 0;
    const counter = p[3]! & 0x0f;
    const previous = cc.get(pid);
    if (previous !== undefined && payload && counter !== ((previous + 1) & 0x0f))
      continuityErrors++;
    cc.set(pid, counter);
    if ((p[3]! & 0x20) !== 0 && p[4]! > 0 && (p[5]! & 0x80) !== 0) discontinuities++;
    const pcrAt = pcrOffset(p);
    if (pcrAt !== null) {
      last = unwrapNear(readPcr(p, pcrAt).base, last);
      pcr.push(last);
    }
    const { pts, dts } = pesTimestampOffsets(p);
    if (pts !== null) {
      const ptsValue = unwrapNear(readTimestamp(p, pts), last);
      const dtsValue = dts !== null ? unwrapNear(readTimestamp(p, dts), last) : ptsValue;
      const list = pes.get(pid) ?? [];
      list.push({ pts: ptsValue, dts: dtsValue });
      pes.set(pid, list);
      last = dtsValue;
    }
  }
  return { pes, pcr, continuityErrors, discontinuities, packets };
}
