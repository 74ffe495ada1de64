import { describe, expect, it } from 'vitest';
import { scanTs } from '../../src-main/core/ingest/ts-scan';

const PAT_PID = 0;
const PMT_PID = 0x1000;
const VIDEO_PID = 0x100;
const AUDIO_PID = 0x101;

/** One 188-byte packet: header, payload, stuffing with 0xff. */
function packet(pid: number, unitStart: boolean, payload: number[]): Buffer {
  const buf = Buffer.alloc(188, 0xff);
  buf[0] = 0x47;
  buf[1] = (unitStart ? 0x40 : 0) | ((pid >> 8) & 0x1f);
  buf[2] = pid & 0xff;
  buf[3] = 0x10; // payload only
  Buffer.from(payload).copy(buf, 4);
  return buf;
}

function pat(): Buffer {
  // pointer, table 0, length 13, ts id, version, section numbers, program 1 → PMT pid, CRC.
  return packet(PAT_PID, true, [
    0,
    0x00,
    0xb0,
    13,
    0,
    1,
    0xc1,
    0,
    0,
    0,
    1,
    0xe0 | (PMT_PID >> 8),
    PMT_PID & 0xff,
    0,
    0,
    0,
    0,
  ]);
}

function pmt(videoType = 0x1b, audioType = 0x0f): Buffer {
  return packet(PMT_PID, true, [
    0,
    0x02,
    0xb0,
    23,
    0,
    1,
    0xc1,
    0,
    0,
    0xe1,
    0x00,
    0xf0,
    0,
    videoType,
    0xe0 | (VIDEO_PID >> 8),
    VIDEO_PID & 0xff,
    0xf0,
    0,
    audioType,
    0xe0 | (AUDIO_PID >> 8),
    AUDIO_PID & 0xff,
    0xf0,
    0,
    0,
    0,
    0,
    0,
  ]);
}

/** A video PES start carrying NAL units of the given types. */
function videoPes(nalTypes: number[]): Buffer {
  const es = nalTypes.flatMap((t) => [0, 0, 0, 1, t, 0x42, 0x11]);
  return packet(VIDEO_PID, true, [0, 0, 1, 0xe0, 0, 0, 0x80, 0x80, 5, 0x21, 0, 1, 0, 1, ...es]);
}

const audioPes = () => packet(AUDIO_PID, true, [0, 0, 1, 0xc0, 0, 10, 0x80, 0x80, 0, 0xff, 0xf1]);

describe('scanTs', () => {
  it('reads streams, frames, the opening IDR and its SPS without decoding', () => {
    const scan = scanTs(
      Buffer.concat([pat(), pmt(), videoPes([9, 7, 8, 5]), audioPes(), videoPes([9, 1])]),
    );
    expect(scan).toMatchObject({
      videoType: 0x1b,
      audioType: 0x0f,
      frames: 2,
      audioPackets: 1,
      startsWithIdr: true,
    });
    expect([...(scan?.sps ?? [])]).toEqual([7, 0x42, 0x11]);
  });

  it('tells a segment that opens on a non-IDR picture, another codec or no audio', () => {
    const nonIdr = scanTs(Buffer.concat([pat(), pmt(), videoPes([9, 1]), audioPes()]));
    expect(nonIdr?.startsWithIdr).toBe(false);
    expect(scanTs(Buffer.concat([pat(), pmt(0x24), videoPes([5])]))?.videoType).toBe(0x24);
    expect(scanTs(Buffer.concat([pat(), pmt(), videoPes([5])]))?.audioPackets).toBe(0);
  });

  it('refuses bytes that are not whole MPEG-TS packets', () => {
    expect(scanTs(Buffer.alloc(0))).toBeNull();
    expect(scanTs(Buffer.concat([pat(), Buffer.alloc(10)]))).toBeNull();
    const lostSync = Buffer.concat([pat(), pmt()]);
    lostSync[188] = 0;
    expect(scanTs(lostSync)).toBeNull();
  });
});
