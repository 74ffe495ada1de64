// Naming of published renditions and the manifest that describes them.
import { describe, expect, it } from 'vitest';
import { HouseProfileSchema } from '../../src-shared/contract';
import {
  isPublishablePath,
  manifestKey,
  profileFingerprint,
  publicObjectUrl,
  renditionsPrefix,
  sourceFingerprint,
} from '../../src-main/core/storage/publish-keys';
import {
  parsePublishManifest,
  type PublishManifest,
} from '../../src-main/core/storage/publish-manifest';
import {
  checkManifestFits,
  lookupRoots,
  renditionFromManifest,
} from '../../src-main/core/storage/publish-reuse';
import type { LocationRow } from '../../src-main/core/storage/location-store';
import { forEachLimit } from '../../src-main/core/storage/publisher';

const profile = HouseProfileSchema.parse({});
const source = {
  bucket: 'media',
  key: 'news/Evening News.mp4',
  etag: '0123456789abcdef0123456789abcdef',
};

describe('fingerprints and keys', () => {
  it('fingerprints a house profile by every field, whatever the key order', () => {
    const fp = profileFingerprint(profile);
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    const reordered = Object.fromEntries(Object.entries(profile).reverse()) as typeof profile;
    expect(profileFingerprint(reordered)).toBe(fp);
    for (const [field, value] of Object.entries(profile)) {
      const changed = { ...profile, [field]: (value as number) + 1 };
      expect(profileFingerprint(changed), field).not.toBe(fp);
    }
  });

  it('fingerprints an S3 source by bucket, key and ETag only', () => {
    const fp = sourceFingerprint(source);
    expect(fp).toMatch(/^[0-9a-f]{32}$/);
    expect(sourceFingerprint({ ...source })).toBe(fp);
    expect(sourceFingerprint({ ...source, bucket: 'other' })).not.toBe(fp);
    expect(sourceFingerprint({ ...source, key: 'news/evening news.mp4' })).not.toBe(fp);
    expect(sourceFingerprint({ ...source, etag: 'ffffffffffffffffffffffffffffffff' })).not.toBe(fp);
    // No field can leak into the next one.
    expect(sourceFingerprint({ bucket: 'ab', key: 'c', etag: 'd' })).not.toBe(
      sourceFingerprint({ bucket: 'a', key: 'bc', etag: 'd' }),
    );
  });

  it('puts renditions under the location prefix, profile then source', () => {
    const p = profileFingerprint(profile);
    const s = sourceFingerprint(source);
    expect(renditionsPrefix('station/', p, s)).toBe(`station/airdeck/renditions/${p}/${s}/`);
    expect(renditionsPrefix('', p, s)).toBe(`airdeck/renditions/${p}/${s}/`);
    expect(manifestKey(renditionsPrefix('', p, s))).toBe(
      `airdeck/renditions/${p}/${s}/manifest.json`,
    );
    expect(() => renditionsPrefix('', '../x', s)).toThrow(/profile fingerprint/);
    expect(() => renditionsPrefix('', p, 'nope')).toThrow(/source fingerprint/);
  });

  it('joins the public base URL and the key, encoding each key component', () => {
    expect(publicObjectUrl('https://cdn.example.net/media/', 'a b/c#d/seg_00001.ts')).toBe(
      'https://cdn.example.net/media/a%20b/c%23d/seg_00001.ts',
    );
    expect(publicObjectUrl('https://cdn.example.net', 'x/y.ts')).toBe(
      'https://cdn.example.net/x/y.ts',
    );
  });

  it('accepts only media-folder file names as manifest paths', () => {
    expect(isPublishablePath('main/seg_00000.ts')).toBe(true);
    expect(isPublishablePath('poster.jpg')).toBe(true);
    expect(isPublishablePath('../etc/passwd')).toBe(false);
    expect(isPublishablePath('main/../../x')).toBe(false);
    expect(isPublishablePath('/abs.ts')).toBe(false);
    expect(isPublishablePath('cuts/x.ts')).toBe(false);
    expect(isPublishablePath('main/')).toBe(false);
  });
});

function manifest(): PublishManifest {
  const segments = (bytes: number) => [
    { seq: 0, file: 'seg_00000.ts', startMs: 0, durationMs: 2000, bytes },
    { seq: 1, file: 'seg_00001.ts', startMs: 2000, durationMs: 1040, bytes: bytes - 1 },
  ];
  const main = { width: 1280, height: 720, durationMs: 3040, segments: segments(1000) };
  const proxy = { width: 480, height: 270, durationMs: 3040, segments: segments(100) };
  return {
    format: 'airdeck-renditions',
    version: 1,
    profileFingerprint: profileFingerprint(profile),
    profile,
    source: { fingerprint: sourceFingerprint(source), ...source, size: 5000 },
    ingestMethod: 'remux',
    probe: {
      container: 'mov,mp4,m4a,3gp,3g2,mj2',
      durationMs: 3040,
      sizeBytes: 5000,
      bitRate: null,
      video: null,
      audio: [],
    },
    renditions: { main, proxy },
    files: [
      { path: 'main/index.m3u8', bytes: 200 },
      { path: 'main/seg_00000.ts', bytes: 1000 },
      { path: 'main/seg_00001.ts', bytes: 999 },
      { path: 'proxy/index.m3u8', bytes: 200 },
      { path: 'proxy/seg_00000.ts', bytes: 100 },
      { path: 'proxy/seg_00001.ts', bytes: 99 },
    ],
    publishedAt: 1,
  };
}

describe('the manifest', () => {
  it('round-trips through JSON', () => {
    expect(parsePublishManifest(JSON.stringify(manifest()))).toEqual(manifest());
  });

  it('refuses what is not a complete, consistent manifest', () => {
    const broken = (change: (m: Record<string, unknown> & PublishManifest) => void) => {
      const m = manifest() as Record<string, unknown> & PublishManifest;
      change(m);
      return () => parsePublishManifest(JSON.stringify(m));
    };
    expect(() => parsePublishManifest('{')).toThrow(/not JSON/);
    expect(broken((m) => (m.version = 2 as 1))).toThrow(/version/);
    expect(broken((m) => (m.format = 'x' as 'airdeck-renditions'))).toThrow(/format/);
    expect(broken((m) => (m.renditions.main.segments[1]!.startMs = 2040))).toThrow(/contiguous/);
    expect(broken((m) => (m.renditions.main.segments[1]!.seq = 5))).toThrow(/contiguous/);
    expect(broken((m) => m.files.splice(1, 1))).toThrow(/listed among the files/);
    expect(broken((m) => (m.files[2]!.bytes = 998))).toThrow(/listed among the files/);
    expect(broken((m) => m.files.push({ path: '../../x', bytes: 1 }))).toThrow(/media folder/);
    expect(broken((m) => m.files.push({ ...m.files[0]! }))).toThrow(/once/);
    expect(broken((m) => (m.renditions.proxy.segments = []))).toThrow(/segments/);
  });

  it('fits only the source and house profile it names', () => {
    const m = manifest();
    const expected = {
      profileFp: profileFingerprint(profile),
      sourceFp: sourceFingerprint(source),
      profile,
    };
    expect(() => checkManifestFits(m, expected)).not.toThrow();
    expect(() =>
      checkManifestFits(m, { ...expected, sourceFp: sourceFingerprint({ ...source, etag: 'x' }) }),
    ).toThrow(/another source/);
    const other = { ...profile, loudnessLufs: -16 };
    expect(() =>
      checkManifestFits(m, { ...expected, profile: other, profileFp: profileFingerprint(other) }),
    ).toThrow(/another house profile/);
    // The fingerprint it claims must be the one of the profile it carries.
    expect(() => checkManifestFits({ ...m, profile: other }, expected)).toThrow(
      /another house profile/,
    );
  });

  it('describes a rendition as the verifier would, frames from exact durations', () => {
    const main = renditionFromManifest(manifest().renditions.main, 25);
    expect(main.segments.map((s) => s.frames)).toEqual([50, 26]);
    expect(main).toMatchObject({ frames: 76, bytes: 1999, durationMs: 3040, width: 1280 });
  });
});

describe('where published renditions are looked for', () => {
  const row = (id: number, prefix: string): LocationRow => ({
    id,
    name: `L${id}`,
    endpoint: null,
    region: 'us-east-1',
    bucket: 'media',
    prefix,
    pathStyle: true,
    publishRenditions: false,
    publicBaseUrl: null,
    createdAt: 0,
    updatedAt: 0,
  });

  it('tries the own location, every folder above the object, then the other locations', () => {
    const origin = row(1, 'station/');
    const other = row(2, 'mirror/');
    const roots = lookupRoots(origin, 'station/news/2026/clip.mp4', [other, origin]);
    expect(roots.map((r) => [r.location.id, r.root])).toEqual([
      [1, 'station/'],
      [1, 'station/news/2026/'],
      [1, 'station/news/'],
      [1, ''],
      [2, 'mirror/'],
    ]);
    expect(lookupRoots(row(1, ''), 'clip.mp4', [row(1, '')]).map((r) => r.root)).toEqual(['']);
  });
});

describe('forEachLimit', () => {
  it('never runs more than the limit at once and rejects with a failure', async () => {
    let active = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(n);
      active -= 1;
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await expect(
      forEachLimit([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error('two');
      }),
    ).rejects.toThrow('two');
  });
});
