import { describe, expect, it } from 'vitest';
import { HouseProfileSchema, type Probe } from '../../src-shared/contract';
import { isInterlaced, remuxBlockers } from '../../src-main/core/ingest/ingest-plan';

const profile = HouseProfileSchema.parse({});
const houseProbe: Probe = {
  container: 'mov,mp4,m4a,3gp,3g2,mj2',
  durationMs: 6000,
  sizeBytes: 1000,
  bitRate: null,
  video: {
    codec: 'h264',
    profile: 'High',
    width: 1280,
    height: 720,
    fps: 25,
    fieldOrder: 'progressive',
    rotation: 0,
    pixelFormat: 'yuv420p',
    bitDepth: 8,
    variableFrameRate: false,
  },
  audio: [{ codec: 'aac', channels: 2, sampleRate: 48000 }],
};
const withVideo = (patch: Partial<NonNullable<Probe['video']>>): Probe => ({
  ...houseProbe,
  video: { ...(houseProbe.video as NonNullable<Probe['video']>), ...patch },
});

describe('remuxBlockers', () => {
  it('lets a house-format source through', () => {
    expect(remuxBlockers(houseProbe, profile)).toEqual([]);
  });

  it.each([
    [{ codec: 'hevc' }, 'codec hevc'],
    [{ width: 1920, height: 1080 }, 'size 1920x1080'],
    [{ fps: 29.97 }, '29.97 fps'],
    [{ variableFrameRate: true }, 'variable frame rate'],
    [{ rotation: 90 }, 'rotated 90°'],
    [{ fieldOrder: 'tt' }, 'interlaced'],
    [{ pixelFormat: 'yuv420p10le', bitDepth: 10 }, '10-bit'],
    [{ pixelFormat: 'yuv444p' }, 'pixel format yuv444p'],
  ])('blocks %j', (patch, reason) => {
    expect(remuxBlockers(withVideo(patch), profile)).toContain(reason);
  });

  it('always transcodes audio-only sources', () => {
    expect(remuxBlockers({ ...houseProbe, video: null }, profile)).toEqual(['no video']);
  });
});

describe('isInterlaced', () => {
  it('reads the field order', () => {
    expect(isInterlaced(withVideo({ fieldOrder: 'bb' }))).toBe(true);
    expect(isInterlaced(withVideo({ fieldOrder: 'progressive' }))).toBe(false);
    expect(isInterlaced(withVideo({ fieldOrder: null }))).toBe(false);
  });
});
