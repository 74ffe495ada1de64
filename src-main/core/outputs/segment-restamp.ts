// Serves every channel segment on the channel's own clock. House segments keep the timestamps
// their source was encoded with, so two programmes meet with a jump (and their audio overlaps a
// little). Players that honour EXT-X-DISCONTINUITY cope; ffmpeg's HLS demuxer and every
// MPEG-TS receiver do not. Here a segment is restamped so that its first picture is shown at its
// planned start (`startsAt`, as 90 kHz ticks of wall-clock time, on the frame grid, mod 2^33):
// the output is a pure function of the segment's bytes, its start, and the previous planned
// segment's (for the seam), so any origin serves identical bytes for the same URL, whatever
// order segments are asked in, and a concatenation of segments is one continuous timeline.
// Wall-clock time rather than "since the channel's epoch" keeps this stateless (no database
// read per segment, nothing changes when a channel is restarted); the 33-bit clock wraps every
// 26.5 hours, which every MPEG-TS reader handles (it is what a broadcast encoder does).
import { readFile, stat } from 'node:fs/promises';
import { AudioSeam, adtsFrames, concatPayloads, packetizePes, parsePes } from './audio-seam';
import { parsePatPmtPid, parsePmt, type Pmt } from './ts-psi';
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
/** 25 fps, the house default, when no frame length is given. */
export const DEFAULT_FRAME_TICKS = 3600;

/** What restamping needs to know about a segment file (small, cached per file). */
export type SegmentIndex = {
  /**
   * PTS of the first video PES in decode order (the keyframe every house segment starts with),
   * unwrapped; the other fields are unwrapped near it. Null for a segment without video.
   */
  anchor: number | null;
  /** Largest video DTS. */
  lastDts: number | null;
  /** Each audio PES as [PTS, end of its last AAC frame, ticks per frame], in stream order. */
  audio: [number, number, number][];
};

/** Where the kept audio ends when only PES starting before `before` are kept. */
function audioEndBefore(index: SegmentIndex, before: number): number | null {
  let end: number | null = null;
  for (const [pts, until, frame] of index.audio) {
    if (pts >= before) continue;
    // Frames from `before` on are cut off (trimAudioTail): the kept ones end on a frame.
    const kept =
      frame > 0 ? Math.min(until, pts + Math.ceil((before - pts) / frame) * frame) : until;
    end = end === null ? kept : Math.max(end, kept);
  }
  return end;
}

export type RestampPlan = {
  /** Output PTS (unwrapped 90 kHz) of the segment's first picture. */
  start: number;
  /** Output DTS of the previous planned segment's last picture (null: none). */
  previousDts: number | null;
  /** Output end of the previous planned segment's audio (null: none). */
  previousAudioEnd: number | null;
  /**
   * Output PTS where the next planned segment starts: pictures and audio PES from there on are
   * dropped. A file can be longer than its plan (a full slate segment standing in for a short
   * slate cut not made yet); without this the next segment's pictures would repeat its times.
   */
  end: number | null;
  frameTicks: number;
};

/** Whole packets of `bytes` (copies), resynchronising on the sync byte after garbage. */
function packetsOf(bytes: Uint8Array): Uint8Array[] {
  const packets: Uint8Array[] = [];
  let at = 0;
  while (at + TS_PACKET <= bytes.length) {
    if (bytes[at] !== SYNC) {
      const next = bytes.indexOf(SYNC, at + 1);
      if (next === -1) break;
      at = next;
      continue;
    }
    packets.push(bytes.slice(at, at + TS_PACKET));
    at += TS_PACKET;
  }
  return packets;
}

/** Follows PAT and PMT to tell which PID carries what. */
function streamTracker() {
  let pmtPid: number | null = null;
  let pmt: Pmt | null = null;
  return {
    see(p: Uint8Array): void {
      const pid = packetPid(p);
      if (pid === PAT_PID) pmtPid = parsePatPmtPid(p) ?? pmtPid;
      else if (pid === pmtPid && pmt === null) pmt = parsePmt(p, pid);
    },
    isPsi: (pid: number) => pid === PAT_PID || pid === pmtPid,
    kind: (pid: number) => pmt?.streams.get(pid) ?? 'other',
  };
}

function indexSegment(bytes: Uint8Array): SegmentIndex {
  const streams = streamTracker();
  let anchor: number | null = null;
  let lastDts: number | null = null;
  // Audio may come before the first picture: its PES are replayed once the anchor is known.
  const audio: Uint8Array[] = [];
  for (const p of packetsOf(bytes)) {
    streams.see(p);
    const pid = packetPid(p);
    const kind = streams.kind(pid);
    if (kind === 'audio') audio.push(p);
    if (kind !== 'video') continue;
    const { pts, dts } = pesTimestampOffsets(p);
    if (pts === null) continue;
    const ptsValue = readTimestamp(p, pts);
    anchor ??= ptsValue;
    const dtsValue = unwrapNear(dts !== null ? readTimestamp(p, dts) : ptsValue, anchor);
    lastDts = lastDts === null ? dtsValue : Math.max(lastDts, dtsValue);
  }
  const pes: [number, number, number][] = [];
  const reference = anchor;
  let open: { pts: number; chunks: Uint8Array[] } | null = null;
  const close = () => {
    if (!open) return;
    const frames = adtsFrames(Buffer.concat(open.chunks));
    const ticks = frames.reduce((sum, f) => sum + f.ticks, 0);
    pes.push([open.pts, open.pts + ticks, frames[0]?.ticks ?? 0]);
    open = null;
  };
  for (const p of audio) {
    const at = payloadStart(p);
    if (at === null) continue;
    const { pts } = pesTimestampOffsets(p);
    if (pts !== null) {
      close();
      const value = readTimestamp(p, pts);
      // The PES header's length is at byte 8 of the PES; the AAC data follows it.
      open = {
        pts: reference === null ? value : unwrapNear(value, reference),
        chunks: [p.subarray(at + 9 + p[at + 8]!)],
      };
    } else open?.chunks.push(p.subarray(at));
  }
  close();
  return { anchor, lastDts, audio: pes };
}

/**
 * The segment with every PTS, DTS and PCR moved by one offset so its first picture lands on
 * `plan.start`. Two seams are smoothed, both from the previous segment's index so the result
 * does not depend on what was served before:
 * - DTS: a segment encoded with B-frames decodes its first picture up to a few frames before
 *   showing it. After a segment without (a remuxed source, or a cut), those first DTS would fall
 *   before the previous segment's last, so they are squeezed forward half a frame apart (never
 *   past their own PTS) until the segment's own DTS catch up. Pictures (PTS) are untouched.
 * - Audio: AAC frames (1024 samples) do not end where pictures do, so the previous segment's
 *   audio may run past this one's first frames: those are dropped (see AudioSeam).
 * Continuity counters are left as they are: each segment starts with PAT/PMT, HLS readers
 * reset at segment boundaries, and live.ts renumbers them when it concatenates.
 */
function restampSegment(bytes: Uint8Array, index: SegmentIndex, plan: RestampPlan): Buffer {
  const packets = packetsOf(bytes);
  if (index.anchor === null) return Buffer.concat(packets);
  const anchor = index.anchor;
  const offset = plan.start - anchor;
  const minStep = Math.max(1, Math.floor(plan.frameTicks / 2));
  const streams = streamTracker();
  const seam = new AudioSeam((ts) => unwrapNear(ts, plan.start));
  seam.seed(plan.previousAudioEnd);
  seam.startSegment();
  let lastDts = plan.previousDts;
  const out: Uint8Array[] = [];
  const shown = plannedPictures(packets, anchor, offset, plan);
  // Half a frame of slack: plan instants are whole milliseconds, pictures whole ticks.
  const cutAt = plan.end === null ? null : plan.end - plan.frameTicks / 2;
  // PIDs whose current PES is left out (the rest of its packets go too).
  const dropping = new Set<number>();
  let picture = -1;
  let heldAudio: Uint8Array[] = [];
  for (const p of packets) {
    streams.see(p);
    const pid = packetPid(p);
    if (pid === NULL_PID) continue;
    if (streams.isPsi(pid)) {
      out.push(p);
      continue;
    }
    const kind = streams.kind(pid);
    const starts = pesTimestampOffsets(p).pts !== null;
    if (starts && kind === 'video') {
      picture++;
      if (shown && picture >= shown.length) dropping.add(pid);
      else dropping.delete(pid);
    } else if (starts && kind === 'audio' && cutAt !== null) {
      const { pts } = pesTimestampOffsets(p);
      if (unwrapNear(readTimestamp(p, pts!), anchor) + offset >= cutAt) dropping.add(pid);
      else dropping.delete(pid);
    }
    if (dropping.has(pid)) continue;
    const pcrAt = pcrOffset(p);
    if (pcrAt !== null) {
      const { base, ext } = readPcr(p, pcrAt);
      writePcr(p, pcrAt, unwrapNear(base, anchor) + offset, ext);
    }
    const { pts, dts } = pesTimestampOffsets(p);
    if (pts !== null) {
      let ptsOut = unwrapNear(readTimestamp(p, pts), anchor) + offset;
      let dtsOut = dts !== null ? unwrapNear(readTimestamp(p, dts), anchor) + offset : ptsOut;
      if (kind === 'video') {
        // House video is constant frame rate, but a source remuxed from a coarser time base
        // (1/1000, 1/12800) lands a tick or two beside the grid: pictures go back onto it so
        // every step is exactly one frame.
        ptsOut = onGrid(ptsOut, plan);
        dtsOut = onGrid(dtsOut, plan);
        if (shown) ptsOut = shown[picture] ?? ptsOut;
      }
      writeTimestamp(p, pts, ptsOut);
      if (kind === 'video') {
        if (lastDts !== null && dtsOut <= lastDts) dtsOut = lastDts + minStep;
        dtsOut = Math.min(dtsOut, ptsOut);
        lastDts = dtsOut;
      }
      if (dts !== null) writeTimestamp(p, dts, dtsOut);
    }
    if (kind !== 'audio') out.push(p);
    else if (cutAt === null) out.push(...seam.take(p));
    else {
      // Audio is held a PES at a time, so the frames past the plan's end can be cut off.
      if (unitStart(p) && heldAudio.length > 0) {
        for (const q of trimAudioTail(heldAudio, cutAt, plan.start)) out.push(...seam.take(q));
        heldAudio = [];
      }
      heldAudio.push(p);
    }
  }
  if (cutAt !== null && heldAudio.length > 0) {
    for (const q of trimAudioTail(heldAudio, cutAt, plan.start)) out.push(...seam.take(q));
  }
  out.push(...seam.flush());
  return Buffer.concat(out);
}

/**
 * One audio PES (restamped) without its AAC frames that start at or after `cutAt`. ffmpeg packs
 * a third of a second of audio in one PES, so a short segment (a one-frame slate cut) would
 * otherwise carry audio far past its end, and the seam would drop as much of what follows.
 */
function trimAudioTail(packets: Uint8Array[], cutAt: number, near: number): Uint8Array[] {
  const pes = parsePes(concatPayloads(packets));
  if (!pes || pes.pts === null || pes.ptsAt === null) return packets;
  const pts = unwrapNear(pes.pts, near);
  const frames = adtsFrames(pes.payload);
  const keep = frames.filter((f, i) => pts + i * (frames[0]?.ticks ?? 0) < cutAt).length;
  if (keep === frames.length || frames.length === 0) return packets;
  if (keep === 0) return [];
  const last = frames[keep - 1]!;
  const kept = pes.payload.subarray(0, last.at + last.length);
  const header = Uint8Array.from(pes.header);
  if (((header[4]! << 8) | header[5]!) !== 0) {
    const length = header.length - 6 + kept.length;
    header[4] = (length >> 8) & 0xff;
    header[5] = length & 0xff;
  }
  return packetizePes(packetPid(packets[0]!), Buffer.concat([header, kept]));
}

/** `ticks` on the frame grid through `plan.start`. */
function onGrid(ticks: number, plan: RestampPlan): number {
  return plan.start + Math.round((ticks - plan.start) / plan.frameTicks) * plan.frameTicks;
}

/**
 * When the file holds more pictures than its plan (a full slate segment standing in for a short
 * slate cut not made yet), the output PTS of the pictures kept, by decode order; else null.
 * Pictures cannot simply be dropped from the end of the display order: with B-frames a
 * kept picture may refer to a later one, and the decoder would show garbage (ffmpeg: "co
 * located POCs unavailable"). So the first N pictures in decode order are kept (every
 * reference they need precedes them) and shown one frame apart in their own display order.
 * The last picture or two may swap places in time; the stream stays valid and frame-exact.
 */
function plannedPictures(
  packets: readonly Uint8Array[],
  anchor: number,
  offset: number,
  plan: RestampPlan,
): number[] | null {
  if (plan.end === null) return null;
  const want = Math.max(1, Math.round((plan.end - plan.start) / plan.frameTicks));
  const streams = streamTracker();
  const pts: number[] = [];
  for (const p of packets) {
    streams.see(p);
    if (streams.kind(packetPid(p)) !== 'video') continue;
    const at = pesTimestampOffsets(p).pts;
    if (at !== null) pts.push(unwrapNear(readTimestamp(p, at), anchor) + offset);
  }
  if (pts.length <= want) return null;
  const kept = pts.slice(0, want);
  const rank = [...kept.keys()].sort((a, b) => kept[a]! - kept[b]!);
  const shown = new Array<number>(want);
  rank.forEach((decodeIndex, order) => {
    shown[decodeIndex] = plan.start + order * plan.frameTicks;
  });
  return shown;
}

/** 90 kHz ticks per frame at `fps` (whole ticks: 3600 at 25 fps, 3003 at 29.97). */
export function frameTicksOf(fps: number): number {
  return fps > 0 ? Math.round(90_000 / fps) : DEFAULT_FRAME_TICKS;
}

/** Ticks of a wall-clock instant on the frame grid (unwrapped; written mod 2^33). */
export function gridTicks(atMs: number, frameTicks: number): number {
  return Math.round((atMs * 90) / frameTicks) * frameTicks;
}

/** A planned segment's file and start. */
export type TimedFile = { path: string; startsAt: number; durationMs: number };

const INDEX_CACHE = 1024;

/**
 * Restamps channel segments from their files, keeping a small index per file (segment files
 * never change under the same path and size: cuts and renditions get new names).
 */
export function createSegmentRestamper(options: { frameTicks: () => number }) {
  const indexes = new Map<string, SegmentIndex>();

  async function indexOf(path: string, bytes?: Uint8Array): Promise<SegmentIndex> {
    const size = bytes?.length ?? (await stat(path)).size;
    const key = `${path}:${size}`;
    const known = indexes.get(key);
    if (known) {
      // Most recently used last, so the oldest goes first.
      indexes.delete(key);
      indexes.set(key, known);
      return known;
    }
    const index = indexSegment(bytes ?? (await readFile(path)));
    indexes.set(key, index);
    if (indexes.size > INDEX_CACHE) indexes.delete(indexes.keys().next().value as string);
    return index;
  }

  /** The bytes to serve for `current`, given the segment planned just before it (if any). */
  async function bytes(current: TimedFile, previous: TimedFile | null): Promise<Buffer> {
    const frameTicks = options.frameTicks();
    const raw = await readFile(current.path);
    const index = await indexOf(current.path, raw);
    let previousDts: number | null = null;
    let previousAudioEnd: number | null = null;
    if (previous && previous.startsAt < current.startsAt) {
      try {
        const before = await indexOf(previous.path);
        if (before.anchor !== null) {
          const shift = gridTicks(previous.startsAt, frameTicks) - before.anchor;
          // What the previous segment's own plan kept of it (see RestampPlan.end).
          const cut = gridTicks(previous.startsAt + previous.durationMs, frameTicks) - shift;
          // Its last picture is shown a frame before its end, and decoded no later than that.
          previousDts =
            before.lastDts === null ? null : Math.min(before.lastDts, cut - frameTicks) + shift;
          const audioEnd = audioEndBefore(before, cut - frameTicks / 2);
          previousAudioEnd = audioEnd === null ? null : audioEnd + shift;
        }
      } catch {
        // The previous file is gone: this segment is served without seam smoothing.
      }
    }
    return restampSegment(raw, index, {
      start: gridTicks(current.startsAt, frameTicks),
      end: gridTicks(current.startsAt + current.durationMs, frameTicks),
      previousDts,
      previousAudioEnd,
      frameTicks,
    });
  }

  return { bytes, indexOf };
}
export type SegmentRestamper = ReturnType<typeof createSegmentRestamper>;

/**
 * Joins restamped segments into one transport stream: continuity counters count on across
 * joins and the PCR never steps back (a receiver would reset its clock).
 */
export class TsConcatenator {
  private readonly cc = new Map<number, number>();
  private lastPcr: number | null = null;

  append(segment: Uint8Array): Buffer {
    const out = Buffer.from(segment);
    for (let at = 0; at + TS_PACKET <= out.length; at += TS_PACKET) {
      const p = out.subarray(at, at + TS_PACKET);
      const pid = packetPid(p);
      const last = this.cc.get(pid);
      const next = last === undefined ? p[3]! & 0x0f : hasPayload(p) ? (last + 1) & 0x0f : last;
      p[3] = (p[3]! & 0xf0) | next;
      this.cc.set(pid, next);
      const pcrAt = pcrOffset(p);
      if (pcrAt !== null && hasAdaptation(p)) {
        const { base, ext } = readPcr(p, pcrAt);
        let pcr = this.lastPcr === null ? base : unwrapNear(base, this.lastPcr);
        if (this.lastPcr !== null && pcr <= this.lastPcr) pcr = this.lastPcr + 1;
        this.lastPcr = pcr;
        writePcr(p, pcrAt, pcr, ext);
      }
    }
    return out;
  }
}
