// Splices house MPEG-TS segments (one H.264 PID carrying the PCR, one AAC PID, PAT/PMT at the
// start of each segment, as ffmpeg's HLS muxer writes them) into one continuous transport
// stream. Each segment keeps its own internal timing; it is only shifted so its first frame
// follows the previous segment's last frame, so a receiver sees one programme that never jumps.
// Memory is bounded: a segment is rewritten packet by packet, and only the packets before its
// first video timestamp are held (to learn the shift before anything is written).
import { AudioSeam } from './audio-seam';
import {
  TS_PACKET,
  hasAdaptation,
  hasPayload,
  packetPid,
  payloadStart,
  pcrOffset,
  pesTimestampOffsets,
  readPcr,
  readTimestamp,
  unitStart,
  unwrapNear,
  writePcr,
  writeTimestamp,
} from './ts-packet';

const SYNC = 0x47;
const PAT_PID = 0;
const NULL_PID = 0x1fff;
/** Packets held while waiting for a segment's first video timestamp (~0.75 MB). */
const MAX_HELD_PACKETS = 4096;
/** Packets per chunk handed to the consumer: fewer, larger socket writes. */
const CHUNK_PACKETS = 64;

export type RemuxerOptions = {
  /** Frame length in 90 kHz ticks when a segment has too few frames to measure it (25 fps). */
  frameTicks?: number;
  /** Output timestamp of the first frame (default 1.4 s, as ffmpeg starts its streams). */
  startTicks?: number;
};

/** What the remuxer learnt from one segment, for logs and tests. */
export type SegmentReport = {
  packets: number;
  /** Ticks added to this segment's timestamps (before the 33-bit wrap). */
  offsetTicks: number;
  /** Output (unwrapped) DTS of the segment's first video frame. */
  firstVideoDts: number | null;
  /** Output (unwrapped) instant right after the segment's last video frame. */
  endTicks: number;
  /** Bytes skipped to find the sync byte again (should be 0 for our own segments). */
  skippedBytes: number;
};

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

/** Maps a segment's PIDs onto the first segment's by stream kind, when they differ. */
function pidRemap(first: Pmt, current: Pmt): Map<number, number> | null {
  const map = new Map<number, number>();
  const firstByKind = (kind: Kind) => [...first.streams].filter(([, k]) => k === kind);
  for (const kind of ['video', 'audio', 'other'] as const) {
    const from = [...current.streams].filter(([, k]) => k === kind);
    const to = firstByKind(kind);
    from.forEach(([pid], i) => {
      const target = to[i];
      if (target) map.set(pid, target[0]);
    });
  }
  map.set(current.pmtPid, first.pmtPid);
  const identity = [...map].every(([a, b]) => a === b) && current.pcrPid === first.pcrPid;
  return identity ? null : map;
}

function setPid(p: Uint8Array, pid: number): void {
  p[1] = (p[1]! & 0xe0) | ((pid >> 8) & 0x1f);
  p[2] = pid & 0xff;
}

async function* packetsOf(
  source: AsyncIterable<Uint8Array>,
  onSkip: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    const buf = rest.length ? Buffer.concat([rest, chunk]) : Buffer.from(chunk);
    let at = 0;
    while (at + TS_PACKET <= buf.length) {
      if (buf[at] !== SYNC) {
        const next = buf.indexOf(SYNC, at + 1);
        const skipTo = next === -1 ? buf.length : next;
        onSkip(skipTo - at);
        at = skipTo;
        continue;
      }
      // A copy: the caller rewrites bytes, and the source's buffers are not ours.
      yield Uint8Array.prototype.slice.call(buf, at, at + TS_PACKET);
      at += TS_PACKET;
    }
    rest = buf.subarray(at);
  }
  if (rest.length) onSkip(rest.length);
}

/**
 * One continuous output built from many segments. Not safe for concurrent `segment()` calls:
 * each segment's shift depends on where the previous one ended.
 */
export class TsTimelineRemuxer {
  private readonly defaultFrameTicks: number;
  /** Where the next segment's first video DTS and PTS should land (unwrapped). */
  private nextDts: number;
  private nextPts: number;
  private readonly cc = new Map<number, number>();
  /** The first segment's PMT and PSI packets: later segments are mapped onto them. */
  private first: Pmt | null = null;
  private firstPat: Uint8Array | null = null;
  private firstPmt: Uint8Array | null = null;
  /** Last video DTS and PCR written (unwrapped): both must keep rising across joins. */
  private lastDts: number | null = null;
  private lastPcr: number | null = null;
  private readonly audio = new AudioSeam((ts) => unwrapNear(ts, this.nextDts));

  constructor(options: RemuxerOptions = {}) {
    this.defaultFrameTicks = options.frameTicks ?? 3600;
    this.nextDts = options.startTicks ?? 126_000;
    this.nextPts = this.nextDts;
  }

  /** Output instant (unwrapped 90 kHz ticks) where the next segment will start. */
  get position(): number {
    return this.nextDts;
  }

  /**
   * Rewrites one segment and yields it as chunks of whole packets. `onDone` receives the
   * report once the segment has been read to its end.
   */
  async *segment(
    source: AsyncIterable<Uint8Array>,
    onDone?: (report: SegmentReport) => void,
  ): AsyncGenerator<Buffer> {
    let skippedBytes = 0;
    let pmtPid: number | null = this.first?.pmtPid ?? null;
    let pmt: Pmt | null = null;
    let remap: Map<number, number> | null = null;
    let offset: number | null = null;
    let reference = 0;
    let firstVideoDts: number | null = null;
    let lastVideoDts: number | null = null;
    let lastVideoPts: number | null = null;
    let maxVideoPts: number | null = null;
    let frameTicks = this.defaultFrameTicks;
    let packets = 0;
    const held: Uint8Array[] = [];
    let out: Uint8Array[] = [];

    const kindOf = (pid: number): Kind => pmt?.streams.get(pid) ?? 'other';

    const emit = (p: Uint8Array): void => {
      const pid = packetPid(p);
      if (pid === NULL_PID) return;
      let packet = p;
      if (remap && pid === PAT_PID && this.firstPat) packet = this.firstPat.slice();
      else if (remap && pid === pmt?.pmtPid && this.firstPmt) packet = this.firstPmt.slice();
      else {
        if (pid !== PAT_PID && pid !== pmt?.pmtPid) {
          this.rewriteTiming(
            packet,
            offset ?? 0,
            reference,
            pmt?.pcrPid ?? null,
            kindOf(pid) === 'video',
          );
        }
        const to = remap?.get(pid);
        if (to !== undefined) setPid(packet, to);
      }
      const ready = kindOf(pid) === 'audio' ? this.audio.take(packet) : [packet];
      for (const r of ready) write(r);
    };
    const write = (packet: Uint8Array): void => {
      this.fixContinuity(packet);
      out.push(packet);
      packets++;
    };
    this.audio.startSegment();

    const decideOffset = (firstDts: number, firstPts: number): void => {
      reference = firstDts;
      // The first picture shown follows the last one shown. When both segments have the same
      // GOP structure this also continues DTS exactly; when the new one reorders deeper (more
      // B-frames, e.g. slate after a remuxed baseline source), its first DTS would fall before
      // the previous segment's last: those DTS (and PCR) are then squeezed forward, half a
      // frame apart, until the segment's own catch up (rewriteTiming).
      offset = this.nextPts - unwrapNear(firstPts, firstDts);
      for (const h of held) emit(h);
      held.length = 0;
    };

    for await (const p of packetsOf(source, (n) => (skippedBytes += n))) {
      const pid = packetPid(p);
      if (pid === PAT_PID) {
        const found = parsePatPmtPid(p);
        if (found !== null) pmtPid = found;
        if (!this.firstPat && found !== null) this.firstPat = p.slice();
      } else if (pid === pmtPid && pmt === null) {
        pmt = parsePmt(p, pid);
        if (pmt && !this.first) {
          this.first = pmt;
          this.firstPmt = p.slice();
        } else if (pmt && this.first) remap = pidRemap(this.first, pmt);
      }

      if (offset === null) {
        const { pts, dts } = pesTimestampOffsets(p);
        const kind = kindOf(pid);
        // A segment without a video PID known (no PMT yet, or audio only) anchors on any
        // timestamp once too much has been held.
        if (pts !== null && (kind === 'video' || held.length >= MAX_HELD_PACKETS)) {
          const ptsValue = readTimestamp(p, pts);
          const dtsValue = dts !== null ? readTimestamp(p, dts) : ptsValue;
          held.push(p);
          decideOffset(dtsValue, ptsValue);
        } else {
          held.push(p);
          if (held.length > MAX_HELD_PACKETS * 2) decideOffset(0, 0);
          continue;
        }
      } else emit(p);

      if (kindOf(pid) === 'video') {
        const { pts, dts } = pesTimestampOffsets(p);
        if (pts !== null) {
          // Already rewritten by emit: these are output values.
          const outDts = unwrapNear(readTimestamp(p, dts ?? pts), this.nextDts);
          const outPts = unwrapNear(readTimestamp(p, pts), outDts);
          if (firstVideoDts === null) firstVideoDts = outDts;
          if (lastVideoDts !== null && outDts > lastVideoDts) frameTicks = outDts - lastVideoDts;
          lastVideoDts = outDts;
          lastVideoPts = outPts;
          maxVideoPts = maxVideoPts === null ? outPts : Math.max(maxVideoPts, outPts);
        }
      }
      if (out.length >= CHUNK_PACKETS) {
        yield Buffer.concat(out);
        out = [];
      }
    }
    if (offset === null && held.length > 0) decideOffset(0, 0);
    for (const r of this.audio.flush()) write(r);
    if (out.length) yield Buffer.concat(out);

    if (lastVideoDts !== null && maxVideoPts !== null) {
      this.nextDts = lastVideoDts + frameTicks;
      this.nextPts = Math.max(maxVideoPts, lastVideoPts ?? maxVideoPts) + frameTicks;
    }
    onDone?.({
      packets,
      offsetTicks: offset ?? 0,
      firstVideoDts,
      endTicks: this.nextDts,
      skippedBytes,
    });
  }

  private rewriteTiming(
    p: Uint8Array,
    offset: number,
    reference: number,
    pcrPid: number | null,
    video: boolean,
  ): void {
    const pid = packetPid(p);
    const minStep = Math.max(1, Math.floor(this.defaultFrameTicks / 2));
    if (hasAdaptation(p) && p[4]! > 0) {
      // Our splices are seamless, so a receiver must not reset its clock here.
      p[5] = p[5]! & 0x7f;
      const pcrAt = pcrOffset(p);
      if (pcrAt !== null && (pcrPid === null || pid === pcrPid)) {
        const { base, ext } = readPcr(p, pcrAt);
        let pcr = unwrapNear(base, reference) + offset;
        if (this.lastPcr !== null && pcr <= this.lastPcr) pcr = this.lastPcr + 1;
        this.lastPcr = pcr;
        writePcr(p, pcrAt, pcr, ext);
      }
    }
    const { pts, dts } = pesTimestampOffsets(p);
    if (pts === null) return;
    const ptsOut = unwrapNear(readTimestamp(p, pts), reference) + offset;
    writeTimestamp(p, pts, ptsOut);
    if (!video) {
      if (dts !== null)
        writeTimestamp(p, dts, unwrapNear(readTimestamp(p, dts), reference) + offset);
      return;
    }
    let dtsOut = dts !== null ? unwrapNear(readTimestamp(p, dts), reference) + offset : ptsOut;
    if (this.lastDts !== null && dtsOut <= this.lastDts) {
      dtsOut = Math.min(ptsOut, this.lastDts + minStep);
    }
    this.lastDts = dtsOut;
    if (dts !== null) writeTimestamp(p, dts, dtsOut);
  }

  /** Continuity counters count on from the previous segment on every PID. */
  private fixContinuity(p: Uint8Array): void {
    const pid = packetPid(p);
    const last = this.cc.get(pid);
    let next: number;
    if (last === undefined) next = p[3]! & 0x0f;
    else next = hasPayload(p) ? (last + 1) & 0x0f : last;
    p[3] = (p[3]! & 0xf0) | next;
    this.cc.set(pid, next);
  }
}
