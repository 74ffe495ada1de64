// Reads an MPEG-TS segment as ffmpeg's HLS muxer writes it, without decoding anything: which
// streams the PMT announces, how many video access units (one PES each) and audio PES it holds,
// whether the first access unit is an IDR picture, and the SPS in force there. Enough to check
// a segment in microseconds instead of starting an ffprobe for it.

const PACKET = 188;
export const STREAM_TYPE_H264 = 0x1b;
export const STREAM_TYPE_AAC_ADTS = 0x0f;

export type TsScan = {
  videoType: number | null;
  audioType: number | null;
  /** Video PES packets: access units (frames). */
  frames: number;
  audioPackets: number;
  /** The first access unit holds an IDR slice (NAL type 5). */
  startsWithIdr: boolean;
  /** The first SPS NAL unit of the first access unit, if any. */
  sps: Buffer | null;
};

/** Section payload of a PSI packet (after the pointer field), or null. */
function section(buf: Buffer, start: number, end: number): Buffer | null {
  if (start >= end) return null;
  const at = start + 1 + (buf[start] ?? 0);
  if (at + 3 > end) return null;
  const length = (((buf[at + 1] ?? 0) & 0x0f) << 8) | (buf[at + 2] ?? 0);
  return at + 3 + length <= end ? buf.subarray(at, at + 3 + length) : null;
}

/** NAL units of an Annex B byte stream. */
function* nalUnits(es: Buffer): Generator<Buffer> {
  let i = 0;
  let start = -1;
  while (i + 2 < es.length) {
    if (es[i] === 0 && es[i + 1] === 0 && es[i + 2] === 1) {
      if (start >= 0) {
        let end = i;
        while (end > start && es[end - 1] === 0) end -= 1;
        yield es.subarray(start, end);
      }
      i += 3;
      start = i;
    } else i += 1;
  }
  if (start >= 0 && start < es.length) yield es.subarray(start);
}

/** Null when the bytes are not a whole MPEG-TS stream (wrong length or lost sync). */
export function scanTs(buf: Buffer): TsScan | null {
  if (buf.length === 0 || buf.length % PACKET !== 0) return null;
  let pmtPid = -1;
  let videoPid = -1;
  let audioPid = -1;
  const result: TsScan = {
    videoType: null,
    audioType: null,
    frames: 0,
    audioPackets: 0,
    startsWithIdr: false,
    sps: null,
  };
  const firstAccessUnit: Buffer[] = [];
  for (let p = 0; p < buf.length; p += PACKET) {
    if (buf[p] !== 0x47) return null;
    const b1 = buf[p + 1] ?? 0;
    const pid = ((b1 & 0x1f) << 8) | (buf[p + 2] ?? 0);
    const unitStart = (b1 & 0x40) !== 0;
    const control = ((buf[p + 3] ?? 0) >> 4) & 3;
    if ((control & 1) === 0) continue;
    const payload = p + 4 + (control & 2 ? 1 + (buf[p + 4] ?? 0) : 0);
    const end = p + PACKET;
    if (payload >= end) continue;

    if (pid === 0 && unitStart && pmtPid < 0) {
      const pat = section(buf, payload, end);
      if (pat && pat[0] === 0x00) {
        for (let i = 8; i + 4 <= pat.length - 4; i += 4) {
          const program = ((pat[i] ?? 0) << 8) | (pat[i + 1] ?? 0);
          if (program !== 0) {
            pmtPid = (((pat[i + 2] ?? 0) & 0x1f) << 8) | (pat[i + 3] ?? 0);
            break;
          }
        }
      }
    } else if (pid === pmtPid && unitStart && videoPid < 0 && audioPid < 0) {
      const pmt = section(buf, payload, end);
      if (pmt && pmt[0] === 0x02) {
        const infoLength = (((pmt[10] ?? 0) & 0x0f) << 8) | (pmt[11] ?? 0);
        for (let i = 12 + infoLength; i + 5 <= pmt.length - 4;) {
          const type = pmt[i] ?? 0;
          const esPid = (((pmt[i + 1] ?? 0) & 0x1f) << 8) | (pmt[i + 2] ?? 0);
          const esInfo = (((pmt[i + 3] ?? 0) & 0x0f) << 8) | (pmt[i + 4] ?? 0);
          if (type === STREAM_TYPE_H264 || (result.videoType === null && isVideoType(type))) {
            if (result.videoType === null) {
              result.videoType = type;
              videoPid = esPid;
            }
          } else if (result.audioType === null && isAudioType(type)) {
            result.audioType = type;
            audioPid = esPid;
          }
          i += 5 + esInfo;
        }
      }
    } else if (pid === videoPid) {
      if (unitStart) result.frames += 1;
      if (result.frames === 1) {
        let from = payload;
        if (unitStart) {
          // PES header: start code, stream id, length, two flag bytes, header data length.
          from = payload + 9 + (buf[payload + 8] ?? 0);
        }
        if (from < end) firstAccessUnit.push(buf.subarray(from, end));
      }
    } else if (pid === audioPid && unitStart) {
      result.audioPackets += 1;
    }
  }
  for (const nal of nalUnits(Buffer.concat(firstAccessUnit))) {
    const type = (nal[0] ?? 0) & 0x1f;
    if (type === 5) result.startsWithIdr = true;
    if (type === 7 && result.sps === null) result.sps = Buffer.from(nal);
  }
  return result;
}

/** Stream types of video codecs, so a segment of another codec is told apart from none. */
function isVideoType(type: number): boolean {
  return [0x01, 0x02, 0x10, 0x1b, 0x24, 0x42, 0xea].includes(type);
}

function isAudioType(type: number): boolean {
  return [0x03, 0x04, 0x0f, 0x11, 0x81, 0x87].includes(type);
}
