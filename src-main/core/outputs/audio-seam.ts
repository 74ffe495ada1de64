// Where two programmes meet, the outgoing one's last AAC frames usually run a little past its
// last picture and the incoming one's first frames start a little before its first picture, so
// after the pictures are joined the audio overlaps by up to a frame or two. Shifting audio away
// from its pictures would add a sync error at every join, growing all day; instead the incoming
// frames that start before the outgoing audio ends are dropped (at most ~1-2 AAC frames, 20-40
// ms), which keeps audio timestamps strictly rising and A/V sync exact.
import { TS_PACKET, packetPid, payloadStart, readTimestamp, writeTimestamp } from './ts-packet';

const ADTS_RATES = [
  96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
];
/** An audio PES larger than this is passed through unanalysed (ours are ~3 KB). */
const MAX_PES_BYTES = 256 * 1024;

type Frame = { at: number; length: number; ticks: number };

/** ADTS frames of a PES payload, stopping at the first thing that is not one. */
export function adtsFrames(payload: Uint8Array): Frame[] {
  const frames: Frame[] = [];
  let at = 0;
  while (at + 7 <= payload.length) {
    if (payload[at] !== 0xff || (payload[at + 1]! & 0xf0) !== 0xf0) break;
    const rate = ADTS_RATES[(payload[at + 2]! >> 2) & 0x0f];
    const length =
      ((payload[at + 3]! & 0x03) << 11) | (payload[at + 4]! << 3) | (payload[at + 5]! >> 5);
    if (!rate || length < 7 || at + length > payload.length) break;
    const blocks = (payload[at + 6]! & 0x03) + 1;
    frames.push({ at, length, ticks: (blocks * 1024 * 90_000) / rate });
    at += length;
  }
  return frames;
}

type Pes = { header: Uint8Array; pts: number | null; ptsAt: number | null; payload: Uint8Array };

export function parsePes(data: Uint8Array): Pes | null {
  if (data.length < 9 || data[0] !== 0 || data[1] !== 0 || data[2] !== 1) return null;
  const headerLength = 9 + data[8]!;
  if (headerLength > data.length) return null;
  const hasPts = (data[7]! & 0x80) !== 0;
  return {
    header: data.subarray(0, headerLength),
    pts: hasPts ? readTimestamp(data, 9) : null,
    ptsAt: hasPts ? 9 : null,
    payload: data.subarray(headerLength),
  };
}

/** Splits a PES into TS packets (continuity counters are set by the caller). */
export function packetizePes(pid: number, pes: Uint8Array): Uint8Array[] {
  const packets: Uint8Array[] = [];
  let at = 0;
  while (at < pes.length) {
    const p = new Uint8Array(TS_PACKET);
    p[0] = 0x47;
    p[1] = (at === 0 ? 0x40 : 0) | ((pid >> 8) & 0x1f);
    p[2] = pid & 0xff;
    const remaining = pes.length - at;
    if (remaining >= 184) {
      p[3] = 0x10;
      p.set(pes.subarray(at, at + 184), 4);
      at += 184;
    } else {
      // The last packet is filled up with adaptation-field stuffing.
      p[3] = 0x30;
      const afLength = 183 - remaining;
      p[4] = afLength;
      if (afLength > 0) {
        p[5] = 0x00;
        p.fill(0xff, 6, 5 + afLength);
      }
      p.set(pes.subarray(at), 5 + afLength);
      at = pes.length;
    }
    packets.push(p);
  }
  return packets;
}

export function concatPayloads(packets: Uint8Array[]): Uint8Array {
  const parts = packets.map((p) => p.subarray(payloadStart(p) ?? TS_PACKET));
  return Buffer.concat(parts);
}

/**
 * Follows the audio PID of the spliced output. `unwrap` turns an output PTS (33-bit) into the
 * remuxer's unwrapped timeline.
 */
export class AudioSeam {
  /** Unwrapped end of the last audio frame written, or null before any. */
  private end: number | null = null;
  private current: { pts: number; chunks: Uint8Array[]; bytes: number } | null = null;
  private trimming = false;
  private held: Uint8Array[] = [];

  constructor(private readonly unwrap: (ts: number) => number) {}

  get audioEnd(): number | null {
    return this.end;
  }

  /**
   * Starts from audio that (elsewhere) already ends at `end`: the next segment's frames before
   * it are dropped as if that audio had been written here.
   */
  seed(end: number | null): void {
    this.end = end;
  }

  startSegment(): void {
    this.closeCurrent();
    this.trimming = this.end !== null;
    this.held = [];
  }

  /**
   * Takes an audio packet (timing already rewritten). Returns what to write now: the packet
   * itself, nothing while a seam PES is being held, or the (trimmed) held PES when complete.
   */
  take(packet: Uint8Array): Uint8Array[] {
    if (!this.trimming) {
      this.observe(packet);
      return [packet];
    }
    const starts = (packet[1]! & 0x40) !== 0;
    if (starts && this.held.length > 0) {
      const ready = this.resolveHeld();
      if (this.trimming) {
        this.held = [packet];
        return ready;
      }
      this.observe(packet);
      return [...ready, packet];
    }
    if (!starts && this.held.length === 0) return [packet];
    this.held.push(packet);
    if (this.held.length * TS_PACKET > MAX_PES_BYTES) {
      this.trimming = false;
      return this.release(this.held);
    }
    return [];
  }

  /** End of a segment: the last held PES is complete. */
  flush(): Uint8Array[] {
    const ready = this.held.length ? this.resolveHeld() : [];
    this.held = [];
    this.closeCurrent();
    return ready;
  }

  private release(packets: Uint8Array[]): Uint8Array[] {
    this.held = [];
    for (const p of packets) this.observe(p);
    return packets;
  }

  /** Drops the frames of the held PES that start before the audio written so far ends. */
  private resolveHeld(): Uint8Array[] {
    const packets = this.held;
    this.held = [];
    const pes = parsePes(concatPayloads(packets));
    if (!pes || pes.pts === null || pes.ptsAt === null || this.end === null) {
      this.trimming = false;
      return this.release(packets);
    }
    const frames = adtsFrames(pes.payload);
    const pts = this.unwrap(pes.pts);
    let drop = 0;
    // Half a frame of slack: rounding of 1024-sample frames at 90 kHz is not an overlap.
    while (drop < frames.length && pts + drop * frames[0]!.ticks < this.end - frames[0]!.ticks / 2)
      drop++;
    if (drop === 0 || frames.length === 0) {
      this.trimming = false;
      return this.release(packets);
    }
    if (drop === frames.length) return []; // Still overlapping: try the next PES.
    this.trimming = false;
    const kept = pes.payload.subarray(frames[drop]!.at);
    const header = Uint8Array.from(pes.header);
    writeTimestamp(header, pes.ptsAt, pts + drop * frames[0]!.ticks);
    if (((header[4]! << 8) | header[5]!) !== 0) {
      const length = header.length - 6 + kept.length;
      header[4] = (length >> 8) & 0xff;
      header[5] = length & 0xff;
    }
    const rebuilt = packetizePes(packetPid(packets[0]!), Buffer.concat([header, kept]));
    return this.release(rebuilt);
  }

  /** Follows PES starts and their frame counts to know where the audio written ends. */
  private observe(packet: Uint8Array): void {
    const at = payloadStart(packet);
    if (at === null) return;
    if ((packet[1]! & 0x40) !== 0) {
      this.closeCurrent();
      const pes = parsePes(packet.subarray(at));
      if (!pes || pes.pts === null) return;
      this.current = {
        pts: this.unwrap(pes.pts),
        chunks: [pes.payload],
        bytes: pes.payload.length,
      };
    } else if (this.current && this.current.bytes < MAX_PES_BYTES) {
      const chunk = packet.subarray(at);
      this.current.chunks.push(chunk);
      this.current.bytes += chunk.length;
    }
  }

  private closeCurrent(): void {
    if (!this.current) return;
    const frames = adtsFrames(Buffer.concat(this.current.chunks));
    const ticks = frames.reduce((sum, f) => sum + f.ticks, 0);
    const end = this.current.pts + ticks;
    this.end = this.end === null ? end : Math.max(this.end, end);
    this.current = null;
  }
}
