// Storage locations against a real S3 protocol server (s3rver on loopback): configuration,
// browsing, single-flight downloads, verification and import into the library.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodName, Request, Response } from '../../src-shared/contract';
import { createCore, type Core } from '../../src-main/core/create-core';
import { silentLogger } from '../../src-main/core/logger';
import { cacheFileFor } from '../../src-main/core/storage/object-ref';
import { makeHouseClip } from '../helpers/media-fixtures';
import { startTestS3, type TestS3 } from '../helpers/s3-server';
import { makeTempDir } from '../helpers/temp-dir';

let s3: TestS3;
let temp: ReturnType<typeof makeTempDir>;
let core: Core;

async function call<M extends MethodName>(method: M, params: Request<M>): Promise<Response<M>> {
  const result = await core.dispatch(method, params);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.result as Response<M>;
}

async function callError(method: MethodName, params: unknown) {
  const result = await core.dispatch(method, params);
  if (result.ok) throw new Error(`${method} should have failed`);
  return result.error;
}

async function addLocation(prefix = '') {
  return call('storageLocationsAdd', {
    name: 'Archive',
    endpoint: s3.endpoint,
    region: 'us-east-1',
    bucket: s3.bucket,
    prefix,
    pathStyle: true,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  });
}

beforeEach(async () => {
  s3 = await startTestS3();
  temp = makeTempDir('airdeck-storage-');
  core = await createCore({
    dataDir: temp.path,
    mode: 'headless',
    version: 'test',
    logger: silentLogger,
  });
});

afterEach(async () => {
  await core.close();
  await s3.stop();
  temp.remove();
});

describe('storage locations', () => {
  it('adds, tests, updates and removes a location; secrets never leave the core', async () => {
    const added = await addLocation();
    expect(added).toMatchObject({ name: 'Archive', bucket: s3.bucket, pathStyle: true });
    expect(added.credentials).toEqual({ source: 'file', accessKeyIdHint: 'RVER' });
    expect(JSON.stringify(added)).not.toContain(s3.secretAccessKey + '"');

    // Not in SQLite: the credentials file is private to the service account.
    const file = join(temp.path, 's3-credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const row = core.context.db.prepare('SELECT * FROM storage_locations').get();
    expect(JSON.stringify(row)).not.toContain('S3RVER');

    expect(await call('storageLocationsTest', { id: added.id })).toMatchObject({ ok: true });
    const wrong = await call('storageLocationsTest', {
      draft: {
        name: 'Wrong',
        endpoint: s3.endpoint,
        bucket: 'no-such-bucket',
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      },
    });
    expect(wrong.ok).toBe(false);
    expect(wrong.message).toMatch(/not found|NoSuchBucket/i);

    const renamed = await call('storageLocationsUpdate', { id: added.id, name: 'Archive 2' });
    expect(renamed.name).toBe('Archive 2');
    expect((await call('storageLocationsList', {})).locations).toHaveLength(1);
    expect(await call('storageLocationsRemove', { id: added.id })).toEqual({ id: added.id });
    expect((await call('storageLocationsList', {})).locations).toHaveLength(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
  });

  it('refuses bad input with clear errors', async () => {
    const badBucket = await callError('storageLocationsAdd', { name: 'X', bucket: 'A_B' });
    expect(badBucket.code).toBe('invalid_request');
    expect(badBucket.message).toMatch(/bucket/);
    const halfKey = await callError('storageLocationsAdd', {
      name: 'X',
      bucket: 'abc',
      accessKeyId: 'only-the-id',
    });
    expect(halfKey.message).toMatch(/both accessKeyId and secretAccessKey/);
    await addLocation();
    const dup = await callError('storageLocationsAdd', { name: 'archive', bucket: 'abc' });
    expect(dup.code).toBe('conflict');
    const traversal = await callError('storageBrowse', { locationId: 1, prefix: '/etc/' });
    expect(traversal.code).toBe('invalid_request');
    expect((await callError('storageBrowse', { locationId: 99 })).code).toBe('not_found');
  });

  it('browses folders and objects relative to the location prefix, page by page', async () => {
    await s3.put('shows/news/a.mp4', Buffer.from('a'));
    await s3.put('shows/news/b.mp4', Buffer.from('bb'));
    await s3.put('shows/news/2026/c.mp4', Buffer.from('ccc'));
    await s3.put('shows/news/d.mp4', Buffer.from('d'));
    await s3.put('shows/film.mov', Buffer.from('dddd'));
    await s3.put('elsewhere/x.mp4', Buffer.from('x'));
    const location = await addLocation('shows/');

    const root = await call('storageBrowse', { locationId: location.id });
    expect(root.folders).toEqual([{ prefix: 'news/', name: 'news' }]);
    expect(root.objects.map((o) => [o.key, o.name, o.size])).toEqual([['film.mov', 'film.mov', 4]]);

    const first = await call('storageBrowse', {
      locationId: location.id,
      prefix: 'news/',
      limit: 2,
    });
    expect(first.nextContinuationToken).not.toBeNull();
    const second = await call('storageBrowse', {
      locationId: location.id,
      prefix: 'news/',
      limit: 2,
      continuationToken: first.nextContinuationToken,
    });
    // Servers differ in whether folders count towards the page size; the union is the folder.
    const all = [...first.folders, ...second.folders].map((f) => f.prefix);
    const keys = [...first.objects, ...second.objects].map((o) => o.key);
    expect(all).toEqual(['news/2026/']);
    expect(keys).toEqual(['news/a.mp4', 'news/b.mp4', 'news/d.mp4']);
    expect(second.nextContinuationToken).toBeNull();
  });
});

describe('downloads', () => {
  it('20 concurrent requests for one object make exactly one full GET', async () => {
    const body = randomBytes(3 * 1024 * 1024 + 17);
    const etag = await s3.put('big/one.bin', body);
    const location = await addLocation();
    s3.setThrottle(8 * 1024 * 1024); // long enough for all 20 to arrive while it runs

    const progress: number[] = [];
    core.bus.on('downloadProgress', (p) => progress.push(p.receivedBytes));
    const opened = await Promise.all(
      Array.from({ length: 20 }, () => core.cache.open(location.id, 'big/one.bin')),
    );

    expect(s3.fullGets('big/one.bin')).toBe(1);
    expect(s3.rangedGets('big/one.bin')).toEqual([]);
    const paths = new Set(opened.map((o) => o.path));
    expect(paths.size).toBe(1);
    const [path] = [...paths];
    expect(path).toBe(join(temp.path, 'cache', cacheFileFor(location.id, 'big/one.bin', etag)));
    expect(createHash('md5').update(readFileSync(path!)).digest('hex')).toBe(etag);
    expect(progress.at(-1)).toBe(body.length);
    // Nothing half-written is left beside it.
    expect(readdirSync(join(path!, '..')).filter((n) => n.endsWith('.partial'))).toEqual([]);
    expect(core.cache.status().openCount).toBe(1);
    for (const o of opened) o.release();
    expect(core.cache.status().openCount).toBe(0);

    // Cached: a later request does not go to the server again.
    await core.cache.open(location.id, 'big/one.bin', { etag, size: body.length });
    expect(s3.fullGets('big/one.bin')).toBe(1);
  });

  it('refuses a download whose bytes do not match the ETag and leaves no file', async () => {
    const etag = await s3.put('clip.bin', randomBytes(1000));
    const location = await addLocation();
    const wrongSize = core.cache.fetch(location.id, 'clip.bin', { etag, size: 999 });
    await expect(wrongSize).rejects.toThrow(/bytes|range/);
    const dir = join(temp.path, 'cache', String(location.id));
    const files = existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }) : [];
    expect(files.filter((f) => f.isFile())).toEqual([]);
    expect(core.cache.status().entryCount).toBe(0);
  });

  it('fetches a changed object again under its new ETag', async () => {
    const first = await s3.put('news.bin', Buffer.from('first version'));
    const second = await s3.put('news.bin', Buffer.from('second, longer version'));
    expect(second).not.toBe(first);
    const location = await addLocation();
    // The caller still believes the old version (e.g. the asset's record): the cache notices
    // the object changed and follows it.
    const fetched = await core.cache.fetch(location.id, 'news.bin', { etag: first, size: 13 });
    expect(fetched.entry.etag).toBe(second);
    expect(readFileSync(fetched.path, 'utf8')).toBe('second, longer version');
    expect(core.cache.isCached(location.id, 'news.bin', first)).toBe(false);
  });
});

describe('import', () => {
  it('imports objects as assets through the cache and ingests them', async () => {
    mkdirSync(join(temp.path, 'src'));
    const clip = await makeHouseClip(join(temp.path, 'src', 'Evening News.mp4'), 2);
    const etag = await s3.put('news/Evening News.mp4', readFileSync(clip));
    const location = await addLocation();

    const result = await call('storageImport', {
      locationId: location.id,
      keys: ['news/Evening News.mp4', 'news/missing.mp4'],
      folderId: 1,
    });
    const [ok, missing] = result.assets;
    expect(ok).toMatchObject({ key: 'news/Evening News.mp4', error: null });
    expect(missing).toMatchObject({ key: 'news/missing.mp4', assetId: null });
    expect(missing!.error).toMatch(/not found/i);

    const assetId = ok!.assetId!;
    expect(await core.ingest.whenSettled(assetId)).toBe('ready');
    const detail = await call('libraryAsset', { id: assetId });
    expect(detail.name).toBe('Evening News');
    expect(detail.source).toEqual({
      kind: 's3',
      location: `s3://${location.id}/news/Evening News.mp4`,
    });
    expect(s3.fullGets('news/Evening News.mp4')).toBe(1);

    // Importing again returns the same asset; the listing shows it imported and cached.
    const again = await call('storageImport', {
      locationId: location.id,
      keys: ['news/Evening News.mp4'],
      folderId: 1,
    });
    expect(again.assets[0]!.assetId).toBe(assetId);
    const listing = await call('storageBrowse', { locationId: location.id, prefix: 'news/' });
    expect(listing.objects).toEqual([
      expect.objectContaining({ key: 'news/Evening News.mp4', etag, assetId, cached: true }),
    ]);
    // A location with assets cannot be removed.
    const refused = await callError('storageLocationsRemove', { id: location.id });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toContain(String(assetId));
  });
});
