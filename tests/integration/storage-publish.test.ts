// Publishing house renditions to a storage location, against a real S3 protocol server (s3rver
// on loopback): uploads with the manifest last, a second Airdeck adopting them without an
// encode, playlists naming published segments by their public URL, and failures retried.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload, MethodName, Request, Response } from '../../src-shared/contract';
import { createCore, type Core } from '../../src-main/core/create-core';
import { startHttpServer, type RunningServer } from '../../src-main/core/http/http-server';
import type { IngestPipeline } from '../../src-main/core/ingest/types';
import { silentLogger } from '../../src-main/core/logger';
import {
  profileFingerprint,
  renditionsPrefix,
  sourceFingerprint,
} from '../../src-main/core/storage/publish-keys';
import { parsePublishManifest } from '../../src-main/core/storage/publish-manifest';
import { makeHouseClip } from '../helpers/media-fixtures';
import { startTestS3, type TestS3 } from '../helpers/s3-server';
import { makeTempDir } from '../helpers/temp-dir';
import { signIn, TEST_ADMIN } from '../helpers/sign-in';

const KEY = 'news/Evening News.mp4';

async function call<M extends MethodName>(
  core: Core,
  method: M,
  params: Request<M>,
): Promise<Response<M>> {
  const result = await core.dispatch(method, params);
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.result as Response<M>;
}

/** Every file under a folder, by path relative to it. */
function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const name = relative(dir, path);
    // Cuts are playout's, made on demand for trimmed items; they are not renditions.
    if (!name.startsWith('cuts/')) out.set(name, readFileSync(path));
  }
  return out;
}

/** Every ffmpeg child a core starts goes through its registry: their labels, as they start. */
function recordChildren(core: Core): string[] {
  const labels: string[] = [];
  const add = core.ffmpegRegistry.add.bind(core.ffmpegRegistry);
  core.ffmpegRegistry.add = (proc, label) => {
    labels.push(label);
    return add(proc, label);
  };
  return labels;
}

describe('publishing renditions to a storage location', () => {
  let s3: TestS3;
  const dirA = makeTempDir('airdeck-publish-a-');
  // Held still while a playlist and the window it was made from are compared.
  let frozenAt: number | null = null;
  const clock = { now: () => frozenAt ?? Date.now() };
  let coreA: Core;
  let server: RunningServer;
  let locationId = 0;
  let assetA = 0;
  let prefix = '';
  let publicBase = '';

  const addLocation = (core: Core, extra: Partial<Request<'storageLocationsAdd'>> = {}) =>
    call(core, 'storageLocationsAdd', {
      name: 'Archive',
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      prefix: 'station/',
      pathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      publishRenditions: true,
      ...extra,
    });

  async function ready(core: Core, assetId: number) {
    expect(await core.ingest.whenSettled(assetId)).toBe('ready');
    expect(await (core.ingest as IngestPipeline).whenPreviewSettled(assetId)).toBe('ready');
  }

  async function listed(bucket: string, under: string) {
    const page = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: under }));
    return new Map((page.Contents ?? []).map((o) => [o.Key!.slice(under.length), o.Size ?? -1]));
  }

  beforeAll(async () => {
    s3 = await startTestS3();
    const clip = await makeHouseClip(join(dirA.path, 'Evening News.mp4'), 4);
    await s3.put(`station/${KEY}`, readFileSync(clip));
    publicBase = `${s3.directEndpoint}/${s3.bucket}`;
    coreA = await createCore({
      dataDir: join(dirA.path, 'data'),
      mode: 'headless',
      version: 'test',
      logger: silentLogger,
      clock,
    });
    await coreA.people.ensureAdmin(TEST_ADMIN.username, TEST_ADMIN.password);
    server = await startHttpServer({
      core: coreA,
      host: '127.0.0.1',
      port: 0,
      rendererDir: join(dirA.path, 'none'),
      logger: silentLogger,
    });
    locationId = (await addLocation(coreA, { publicBaseUrl: publicBase })).id;
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await coreA?.close();
    await s3?.stop();
    dirA.remove();
  });

  it('uploads every segment, playlist and image of an ingested asset, the manifest last', async () => {
    const changes: EventPayload<'publishingChanged'>[] = [];
    coreA.bus.on('publishingChanged', (s) => changes.push(s));
    const children = recordChildren(coreA);
    const imported = await call(coreA, 'storageImport', { locationId, keys: [KEY], folderId: 1 });
    assetA = imported.assets[0]!.assetId!;
    await ready(coreA, assetA);
    // A normal ingest: its encode is seen (what the second Airdeck must not run).
    expect(children.some((label) => /^ingest \d+ (remux|transcode)$/.test(label))).toBe(true);
    await coreA.publishing.publishNow();

    const etag = (await call(coreA, 'storageBrowse', { locationId, prefix: 'news/' })).objects[0]!
      .etag;
    prefix = renditionsPrefix(
      'station/',
      profileFingerprint(coreA.settings.get().houseProfile),
      sourceFingerprint({ bucket: s3.bucket, key: `station/${KEY}`, etag }),
    );
    const local = filesUnder(join(dirA.path, 'data', 'media', String(assetA)));
    const segments = [...local.keys()].filter((p) => p.endsWith('.ts'));
    expect(segments.filter((p) => p.startsWith('main/')).length).toBeGreaterThan(1);
    expect(segments.filter((p) => p.startsWith('proxy/')).length).toBeGreaterThan(1);

    const objects = await listed(s3.bucket, prefix);
    for (const [path, body] of local) expect(objects.get(path), path).toBe(body.length);
    expect(objects.size).toBe(local.size + 1);

    const manifest = parsePublishManifest(
      await (
        await s3.client.send(
          new GetObjectCommand({ Bucket: s3.bucket, Key: `${prefix}manifest.json` }),
        )
      ).Body!.transformToString(),
    );
    expect(manifest.source).toMatchObject({ bucket: s3.bucket, key: `station/${KEY}`, etag });
    expect(manifest.profile).toEqual(coreA.settings.get().houseProfile);
    expect(manifest.renditions.main.segments.map((s) => s.seq)).toEqual(
      manifest.renditions.main.segments.map((_, i) => i),
    );
    expect(new Map(manifest.files.map((f) => [f.path, f.bytes]))).toEqual(
      new Map([...local].map(([path, body]) => [path, body.length])),
    );

    // The server saw the manifest's PUT after every other PUT of the folder.
    const puts = s3.requests
      .filter((r) => r.method === 'PUT' && r.path.startsWith(`/${s3.bucket}/${prefix}`))
      .map((r) => r.path.slice(`/${s3.bucket}/${prefix}`.length));
    expect(puts.length).toBe(local.size + 1);
    expect(puts.at(-1)).toBe('manifest.json');

    const status = await call(coreA, 'storagePublishingStatus', {});
    expect(status.locations).toEqual([
      { locationId, published: 1, pending: 0, failed: 0, uploading: false, lastError: null },
    ]);
    expect(changes.some((c) => c.locations[0]?.uploading)).toBe(true);
    expect(changes.at(-1)?.locations[0]).toMatchObject({ published: 1, uploading: false });

    // A second pass finds it complete and uploads nothing.
    const before = s3.requests.filter((r) => r.method === 'PUT').length;
    await coreA.publishing.publishNow();
    expect(s3.requests.filter((r) => r.method === 'PUT').length).toBe(before);
  }, 120_000);

  it('a second Airdeck importing the same object adopts the published renditions without an encode', async () => {
    const dirB = makeTempDir('airdeck-publish-b-');
    const coreB = await createCore({
      dataDir: dirB.path,
      mode: 'headless',
      version: 'test',
      logger: silentLogger,
    });
    try {
      const children = recordChildren(coreB);
      const states: string[] = [];
      coreB.bus.on('assetChanged', (a) => states.push(`${a.state}/${a.preview}`));
      const sourceGets = s3.fullGets(`station/${KEY}`);

      const location = await addLocation(coreB);
      const imported = await call(coreB, 'storageImport', {
        locationId: location.id,
        keys: [KEY],
        folderId: 1,
      });
      const assetB = imported.assets[0]!.assetId!;
      await ready(coreB, assetB);

      expect(children.filter((label) => label.startsWith('ingest'))).toEqual([]);
      // The source itself was never downloaded.
      expect(s3.fullGets(`station/${KEY}`)).toBe(sourceGets);
      // The two phases of an ingest, announced as an ingest announces them.
      expect(states).toContain('ingesting/pending');
      expect(states.indexOf('ready/pending')).toBeGreaterThan(states.indexOf('ingesting/pending'));
      expect(states.at(-1)).toBe('ready/ready');

      const filesA = filesUnder(join(dirA.path, 'data', 'media', String(assetA)));
      const filesB = filesUnder(join(dirB.path, 'media', String(assetB)));
      expect([...filesB.keys()].sort()).toEqual([...filesA.keys()].sort());
      for (const [path, body] of filesA) expect(filesB.get(path)!.equals(body), path).toBe(true);

      // The same asset record as a normal ingest leaves: probe, method, tables.
      const a = await call(coreA, 'libraryAsset', { id: assetA });
      const b = await call(coreB, 'libraryAsset', { id: assetB });
      expect(b.probe).toEqual(a.probe);
      expect({ ...b, id: 0, createdAt: 0, updatedAt: 0 }).toMatchObject({
        state: 'ready',
        preview: 'ready',
        durationMs: a.durationMs,
        width: a.width,
        height: a.height,
        videoCodec: a.videoCodec,
      });
      const strip = (r: (typeof a.renditions)[number]) => ({ ...r, playlistUrl: '' });
      expect(b.renditions.map(strip)).toEqual(a.renditions.map(strip));
      const table = (core: Core, id: number) =>
        core.context.db
          .prepare(
            `SELECT r.kind, s.seq, s.file, s.start_ms, s.duration_ms, s.bytes FROM segments s
             JOIN renditions r ON r.id = s.rendition_id WHERE r.asset_id = ? ORDER BY r.kind, s.seq`,
          )
          .all(id);
      expect(table(coreB, assetB)).toEqual(table(coreA, assetA));
      const method = (core: Core, id: number) =>
        core.context.db.prepare('SELECT ingest_method FROM assets WHERE id = ?').get(id);
      expect(method(coreB, assetB)).toEqual(method(coreA, assetA));

      // Its own publisher finds them there, byte for byte its own: published, nothing uploaded.
      const puts = s3.requests.filter((r) => r.method === 'PUT').length;
      await coreB.publishing.publishNow();
      expect(s3.requests.filter((r) => r.method === 'PUT').length).toBe(puts);
      expect((await call(coreB, 'storagePublishingStatus', {})).locations[0]).toMatchObject({
        published: 1,
        pending: 0,
      });
    } finally {
      await coreB.close();
      dirB.remove();
    }
  }, 120_000);

  it('finds renditions another station published under a longer prefix of the same bucket', async () => {
    const dirD = makeTempDir('airdeck-publish-d-');
    const coreD = await createCore({
      dataDir: dirD.path,
      mode: 'headless',
      version: 'test',
      logger: silentLogger,
    });
    try {
      const children = recordChildren(coreD);
      // The whole bucket, and no publishing of its own.
      const location = await addLocation(coreD, { prefix: '', publishRenditions: false });
      const imported = await call(coreD, 'storageImport', {
        locationId: location.id,
        keys: [`station/${KEY}`],
        folderId: 1,
      });
      const assetD = imported.assets[0]!.assetId!;
      await ready(coreD, assetD);
      expect(children.filter((label) => label.startsWith('ingest'))).toEqual([]);
      const filesA = filesUnder(join(dirA.path, 'data', 'media', String(assetA)));
      const filesD = filesUnder(join(dirD.path, 'media', String(assetD)));
      expect(new Map([...filesD].map(([p, b]) => [p, b.length]))).toEqual(
        new Map([...filesA].map(([p, b]) => [p, b.length])),
      );
    } finally {
      await coreD.close();
      dirD.remove();
    }
  }, 120_000);

  it('a shutdown while published renditions download leaves the asset to resume, not failed', async () => {
    const dirE = makeTempDir('airdeck-publish-e-');
    const open = () =>
      createCore({ dataDir: dirE.path, mode: 'headless', version: 'test', logger: silentLogger });
    let coreE = await open();
    try {
      const location = await addLocation(coreE, { publishRenditions: false });
      const downloading = new Promise<number>((resolve) => {
        coreE.bus.on('assetChanged', (a) => {
          if (a.state === 'ingesting') resolve(a.id);
        });
      });
      // Slow enough that the download is still running when the core stops.
      s3.setThrottle(64 * 1024);
      await call(coreE, 'storageImport', { locationId: location.id, keys: [KEY], folderId: 1 });
      const assetE = await downloading;
      await coreE.close();
      s3.setThrottle(null);
      const state = (id: number) =>
        (
          coreE.context.db.prepare('SELECT state FROM assets WHERE id = ?').get(id) as {
            state: string;
          }
        ).state;
      coreE = await open();
      expect(state(assetE)).not.toBe('failed');
      const children = recordChildren(coreE);
      await ready(coreE, assetE);
      expect(children.filter((label) => label.startsWith('ingest'))).toEqual([]);
      expect(readdirSync(join(dirE.path, 'media')).filter((n) => n.includes('.partial-'))).toEqual(
        [],
      );
    } finally {
      s3.setThrottle(null);
      await coreE.close();
      dirE.remove();
    }
  }, 120_000);

  it('names published asset segments by their public URL; slate and cuts stay local', async () => {
    await call(coreA, 'scheduleSettingsSet', { lockHorizonMs: 0 });
    await coreA.playout.slate.ready;
    const channelId = (await call(coreA, 'channelCreate', { name: 'One', number: 1, slug: 'one' }))
      .id;
    const T = Math.ceil((clock.now() + 4_000) / 40) * 40;
    // The whole asset (two segments), a gap of slate, then the asset trimmed in: cut segments.
    await call(coreA, 'scheduleAdd', { channelId, kind: 'asset', assetId: assetA, startsAt: T });
    await call(coreA, 'scheduleAdd', {
      channelId,
      kind: 'asset',
      assetId: assetA,
      startsAt: T + 5_000,
      inMs: 1_000,
      durationMs: 2_000,
    });
    await call(coreA, 'playoutStart', { channelId });
    frozenAt = T + 7_500;

    const response = await fetch(`http://127.0.0.1:${server.port}/channels/one/main.m3u8`);
    expect(response.status).toBe(200);
    const uris = (await response.text()).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    const window = coreA.playout.window(channelId, clock.now());
    expect(uris.length).toBe(window.length);
    const files = coreA.context.db
      .prepare(
        `SELECT s.file FROM segments s JOIN renditions r ON r.id = s.rendition_id
         WHERE r.asset_id = ? AND r.kind = 'main' ORDER BY s.seq`,
      )
      .all(assetA) as { file: string }[];

    let published = 0;
    let local = 0;
    for (const [i, segment] of window.entries()) {
      const { source } = segment;
      if (source.kind === 'asset' && source.cut === null) {
        const file = files[source.seq]!.file;
        expect(uris[i]).toBe(`${publicBase}/${prefix}main/${file}`);
        const fetched = Buffer.from(await (await fetch(uris[i]!)).arrayBuffer());
        const onDisk = readFileSync(join(dirA.path, 'data', 'media', String(assetA), 'main', file));
        expect(fetched.equals(onDisk)).toBe(true);
        published += 1;
      } else {
        expect(uris[i]).toBe(`main/seg/${segment.msn}.ts`);
        local += 1;
      }
    }
    expect(published).toBe(2);
    expect(window.some((s) => s.source.kind === 'slate')).toBe(true);
    expect(window.some((s) => s.source.kind === 'asset' && s.source.cut !== null)).toBe(true);
    expect(local).toBeGreaterThan(0);

    // The proxy playlist stays Airdeck's (the monitor's ffmpeg reads it, restamped).
    const proxy = await (
      await fetch(`http://127.0.0.1:${server.port}/channels/one/proxy.m3u8`)
    ).text();
    expect(proxy).toContain('proxy/seg/');
    expect(proxy).not.toContain(publicBase);

    // Without a public base URL the same window is Airdeck's own URLs only.
    await call(coreA, 'storageLocationsUpdate', { id: locationId, publicBaseUrl: null });
    const plain = await (
      await fetch(`http://127.0.0.1:${server.port}/channels/one/main.m3u8`)
    ).text();
    expect(plain).not.toContain(publicBase);
    await call(coreA, 'storageLocationsUpdate', { id: locationId, publicBaseUrl: publicBase });
    await call(coreA, 'playoutStop', { channelId });
    frozenAt = null;
  }, 120_000);

  it('a failing upload leaves the asset playable and is retried on the next pass', async () => {
    const gone = 'airdeck-gone';
    await s3.client.send(new CreateBucketCommand({ Bucket: gone }));
    const broken = await call(coreA, 'storageLocationsAdd', {
      name: 'Mirror',
      endpoint: s3.endpoint,
      bucket: gone,
      pathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      publishRenditions: false,
    });
    // The bucket is removed before anything is published there.
    await s3.client.send(new DeleteBucketCommand({ Bucket: gone }));
    await call(coreA, 'storageLocationsUpdate', { id: broken.id, publishRenditions: true });
    await coreA.publishing.publishNow();

    const status = (await call(coreA, 'storagePublishingStatus', {})).locations;
    const mirror = status.find((s) => s.locationId === broken.id)!;
    expect(mirror).toMatchObject({ published: 0, pending: 0, failed: 1, uploading: false });
    expect(mirror.lastError).toMatch(/NoSuchBucket|bucket/i);
    // The first location is untouched.
    expect(status.find((s) => s.locationId === locationId)).toMatchObject({ published: 1 });

    // Still on air from local files.
    expect((await call(coreA, 'libraryAsset', { id: assetA })).state).toBe('ready');
    const playlist = await fetch(
      `http://127.0.0.1:${server.port}/media/${assetA}/main/index.m3u8`,
      { headers: { cookie: await signIn(server.url) } },
    );
    expect(playlist.status).toBe(200);

    // The bucket is back: the next pass publishes.
    await s3.client.send(new CreateBucketCommand({ Bucket: gone }));
    await coreA.publishing.publishNow();
    const after = (await call(coreA, 'storagePublishingStatus', {})).locations;
    expect(after.find((s) => s.locationId === broken.id)).toMatchObject({
      published: 1,
      failed: 0,
      lastError: null,
    });
    const objects = await listed(gone, prefix.replace(/^station\//, ''));
    expect(objects.has('manifest.json')).toBe(true);
    const local = filesUnder(join(dirA.path, 'data', 'media', String(assetA)));
    for (const [path, body] of local) expect(objects.get(path), path).toBe(body.length);
    expect(statSync(join(dirA.path, 'data', 'media', String(assetA), 'main')).isDirectory()).toBe(
      true,
    );
  }, 120_000);

  it('resumes an interrupted publication: only the missing objects, then the manifest', async () => {
    const bucket = 'airdeck-resume';
    await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
    const under = prefix.replace(/^station\//, '');
    // What a pass stopped half-way leaves: some objects, no manifest.
    const local = filesUnder(join(dirA.path, 'data', 'media', String(assetA)));
    const already = [...local.keys()].filter((p) => p.startsWith('main/'));
    for (const path of already) {
      await s3.client.send(
        new PutObjectCommand({ Bucket: bucket, Key: under + path, Body: local.get(path)! }),
      );
    }
    // A location added with publishing on publishes the assets ready already, by itself.
    let resumeId: number | null = null;
    const done = new Promise<void>((resolve) => {
      const off = coreA.bus.on('publishingChanged', ({ locations }) => {
        const resume = locations.find((l) => l.locationId === resumeId);
        if (resume && resume.published === 1 && !resume.uploading) {
          off();
          resolve();
        }
      });
    });
    const location = await call(coreA, 'storageLocationsAdd', {
      name: 'Resume',
      endpoint: s3.endpoint,
      bucket,
      pathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      publishRenditions: true,
    });
    resumeId = location.id;
    await done;
    const puts = s3.requests
      .filter((r) => r.method === 'PUT' && r.path.startsWith(`/${bucket}/${under}`))
      .map((r) => r.path.slice(`/${bucket}/${under}`.length));
    const missing = [...local.keys()].filter((p) => !already.includes(p));
    expect(puts.slice(0, -1).sort()).toEqual(missing.sort());
    expect(puts.at(-1)).toBe('manifest.json');
    expect(
      (await call(coreA, 'storagePublishingStatus', {})).locations.find(
        (l) => l.locationId === location.id,
      ),
    ).toMatchObject({ published: 1, pending: 0, failed: 0 });
  }, 120_000);

  it('ingests the source when the published renditions do not match their manifest', async () => {
    // One published segment replaced by other bytes of another size.
    const manifest = parsePublishManifest(
      await (
        await s3.client.send(
          new GetObjectCommand({ Bucket: s3.bucket, Key: `${prefix}manifest.json` }),
        )
      ).Body!.transformToString(),
    );
    const victim = `main/${manifest.renditions.main.segments[1]!.file}`;
    await s3.client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: prefix + victim,
        Body: Buffer.from('not the segment'),
      }),
    );
    const dirC = makeTempDir('airdeck-publish-c-');
    const warnings: string[] = [];
    const coreC = await createCore({
      dataDir: dirC.path,
      mode: 'headless',
      version: 'test',
      logger: { ...silentLogger, warn: (m) => warnings.push(m) },
    });
    try {
      const children = recordChildren(coreC);
      const location = await addLocation(coreC, { publicBaseUrl: publicBase });
      const imported = await call(coreC, 'storageImport', {
        locationId: location.id,
        keys: [KEY],
        folderId: 1,
      });
      const assetC = imported.assets[0]!.assetId!;
      await ready(coreC, assetC);
      expect(warnings.join('\n')).toMatch(
        new RegExp(`cannot be used, ingesting from the source instead: ${victim} has 15 bytes`),
      );
      expect(children.some((label) => /^ingest \d+ (remux|transcode)$/.test(label))).toBe(true);
      // Its publisher leaves the complete set there alone; its playlists do not point at it,
      // since those objects are not byte for byte its own segments.
      await coreC.publishing.publishNow();
      expect((await listed(s3.bucket, prefix)).get(victim)).toBe(15);
      expect(coreC.publishing.segmentUrl(assetC, 'main', 0)).toBeNull();
      expect(coreA.publishing.segmentUrl(assetA, 'main', 0)).not.toBeNull();
    } finally {
      await coreC.close();
      dirC.remove();
    }
  }, 120_000);
});
