import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { methods } from '../../src-shared/contract';
import type { CacheEntry } from '../../src-main/core/cache/cache-store';
import { planPurge } from '../../src-main/core/cache/purge-plan';
import { ReaderRegistry } from '../../src-main/core/cache/reader-registry';
import { SingleFlight } from '../../src-main/core/cache/single-flight';
import {
  createCredentialStore,
  credentialsFromEnv,
  envName,
} from '../../src-main/core/storage/credentials';
import { makeTempDir } from '../helpers/temp-dir';
import {
  baseName,
  cacheFileFor,
  etagIsContentMd5,
  formatS3Source,
  normalizeEtag,
  parseS3Source,
} from '../../src-main/core/storage/object-ref';

const MIN = 60_000;

function entry(id: number, lastReadAt: number, size = 100): CacheEntry {
  return {
    id,
    locationId: 1,
    key: `k${id}`,
    etag: 'e',
    size,
    file: `1/00/${id}`,
    createdAt: 0,
    lastReadAt,
  };
}

describe('planPurge', () => {
  const base = {
    now: 1000 * MIN,
    orphanMs: 120 * MIN,
    sizeCapBytes: null,
    isRetained: () => false,
    isOpen: () => false,
  };

  it('removes only files unread for longer than the orphan time', () => {
    const entries = [entry(1, 1000 * MIN - 121 * MIN), entry(2, 1000 * MIN - 120 * MIN)];
    expect(planPurge(entries, base).map((d) => [d.entry.id, d.reason])).toEqual([[1, 'orphan']]);
  });

  it('never chooses a retained or open file, however old or over the cap', () => {
    const entries = [entry(1, 0), entry(2, 0), entry(3, 0)];
    const plan = planPurge(entries, {
      ...base,
      sizeCapBytes: 1,
      isRetained: (e) => e.id === 1,
      isOpen: (e) => e.id === 2,
    });
    expect(plan.map((d) => d.entry.id)).toEqual([3]);
  });

  it('evicts least recently read first, only until under the cap', () => {
    const now = base.now;
    const entries = [entry(1, now - 3), entry(2, now - 1), entry(3, now - 2), entry(4, now)];
    const plan = planPurge(entries, { ...base, sizeCapBytes: 250 });
    expect(plan.map((d) => [d.entry.id, d.reason])).toEqual([
      [1, 'size_cap'],
      [3, 'size_cap'],
    ]);
  });
});

describe('SingleFlight', () => {
  it('shares one run between concurrent callers and forgets it once settled', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    let finish: (n: number) => void = () => {};
    const work = () =>
      new Promise<number>((resolve) => {
        runs += 1;
        finish = resolve;
      });
    const all = Promise.all(Array.from({ length: 20 }, () => flight.run('a', work)));
    expect(flight.size).toBe(1);
    finish(7);
    expect(await all).toEqual(Array(20).fill(7));
    expect(runs).toBe(1);
    expect(flight.has('a')).toBe(false);
    const failing = flight.run('b', () => Promise.reject(new Error('down')));
    await expect(failing).rejects.toThrow('down');
    await expect(flight.run('b', async () => 1)).resolves.toBe(1);
  });
});

describe('ReaderRegistry', () => {
  it('counts holds per file; a double release frees only once', () => {
    const readers = new ReaderRegistry();
    const a = readers.acquire(5);
    const b = readers.acquire(5);
    a();
    a();
    expect(readers.isOpen(5)).toBe(true);
    b();
    expect(readers.isOpen(5)).toBe(false);
    expect(readers.openCount).toBe(0);
  });
});

describe('object references', () => {
  it('round-trips S3 sources and refuses other strings', () => {
    expect(parseS3Source(formatS3Source(12, 'a/b c.mp4'))).toEqual({
      locationId: 12,
      key: 'a/b c.mp4',
    });
    expect(parseS3Source('/tmp/x.mp4')).toBeNull();
    expect(parseS3Source('s3://0/x')).toBeNull();
    expect(parseS3Source('s3://1/')).toBeNull();
  });

  it('tells content-MD5 ETags from multipart ones', () => {
    expect(normalizeEtag('"d41d8cd98f00b204e9800998ecf8427e"')).toBe(
      'd41d8cd98f00b204e9800998ecf8427e',
    );
    expect(normalizeEtag('""')).toBeNull();
    expect(etagIsContentMd5('d41d8cd98f00b204e9800998ecf8427e')).toBe(true);
    expect(etagIsContentMd5('d41d8cd98f00b204e9800998ecf8427e-12')).toBe(false);
  });

  it('names cache files by location, key and ETag, keeping a clean extension', () => {
    const a = cacheFileFor(1, 'news/Evening.MP4', 'e1');
    expect(a).toMatch(/^1\/[0-9a-f]{2}\/[0-9a-f]{40}\.mp4$/);
    expect(cacheFileFor(1, 'news/Evening.MP4', 'e2')).not.toBe(a);
    expect(cacheFileFor(2, 'news/Evening.MP4', 'e1')).not.toBe(a);
    expect(cacheFileFor(1, '../../etc/passwd', 'e')).toMatch(/^1\/[0-9a-f]{2}\/[0-9a-f]{40}$/);
    expect(baseName('a/b/')).toBe('b');
    expect(baseName('a/b/c.mp4')).toBe('c.mp4');
  });
});

describe('credentials from the environment', () => {
  it('prefers the per-location pair, then the global one, and needs both halves', () => {
    expect(envName('News archive (EU)')).toBe('NEWS_ARCHIVE_EU');
    const env = {
      AIRDECK_S3_ACCESS_KEY_ID: 'global',
      AIRDECK_S3_SECRET_ACCESS_KEY: 'g-secret',
      AIRDECK_S3_NEWS_ACCESS_KEY_ID: 'news',
      AIRDECK_S3_NEWS_SECRET_ACCESS_KEY: 'n-secret',
      AIRDECK_S3_FILM_ACCESS_KEY_ID: 'film-without-secret',
    };
    expect(credentialsFromEnv(env, 'News')).toEqual({
      accessKeyId: 'news',
      secretAccessKey: 'n-secret',
    });
    expect(credentialsFromEnv(env, 'Film')).toEqual({
      accessKeyId: 'global',
      secretAccessKey: 'g-secret',
    });
    expect(credentialsFromEnv({}, 'Film')).toBeNull();
  });
});

describe('storage contract', () => {
  const add = methods.storageLocationsAdd.request;
  it('validates locations', () => {
    expect(add.safeParse({ name: 'A', bucket: 'media' }).success).toBe(true);
    expect(add.safeParse({ name: 'A', bucket: 'Media' }).success).toBe(false);
    expect(add.safeParse({ name: 'A', bucket: 'media', prefix: 'no-slash' }).success).toBe(false);
    expect(add.safeParse({ name: 'A', bucket: 'media', endpoint: 'ftp://x' }).success).toBe(false);
    expect(add.safeParse({ name: 'A', bucket: 'media', secretAccessKey: 's' }).success).toBe(false);
    expect(methods.storageLocationsTest.request.safeParse({}).success).toBe(false);
    expect(
      methods.storageImport.request.safeParse({ locationId: 1, keys: ['dir/'], folderId: 1 })
        .success,
    ).toBe(false);
    expect(methods.cacheSettingsSet.request.safeParse({ horizonHours: 0 }).success).toBe(false);
  });
});

describe('credential store', () => {
  it('keeps secrets sealed by the secret box, private to the owner, overridable by env', () => {
    const dir = makeTempDir('airdeck-creds-');
    try {
      const box = {
        encrypt: (plain: string) => Buffer.from(plain, 'utf8').reverse(),
        decrypt: (sealed: Buffer) => Buffer.from(sealed).reverse().toString('utf8'),
      };
      const store = createCredentialStore({ dataDir: dir.path, secretBox: box, env: {} });
      expect(store.resolve(1, 'News')).toEqual({ source: 'default-chain', credentials: null });
      store.set(1, { accessKeyId: 'AKIA1234', secretAccessKey: 'very-secret' });
      const file = join(dir.path, 's3-credentials.enc');
      expect(readFileSync(file).toString('utf8')).not.toContain('very-secret');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(store.resolve(1, 'News')).toEqual({
        source: 'keychain',
        credentials: { accessKeyId: 'AKIA1234', secretAccessKey: 'very-secret' },
      });
      const withEnv = createCredentialStore({
        dataDir: dir.path,
        secretBox: box,
        env: { AIRDECK_S3_NEWS_ACCESS_KEY_ID: 'e', AIRDECK_S3_NEWS_SECRET_ACCESS_KEY: 'f' },
      });
      expect(withEnv.resolve(1, 'News').source).toBe('environment');
      store.remove(1);
      expect(store.resolve(1, 'News').source).toBe('default-chain');
      writeFileSync(join(dir.path, 's3-credentials.json'), '{"1": {"accessKeyId": ""}}');
      const broken = createCredentialStore({ dataDir: dir.path, env: {} });
      expect(() => broken.resolve(1, 'News')).toThrow(/not a valid credentials file/);
    } finally {
      dir.remove();
    }
  });
});
