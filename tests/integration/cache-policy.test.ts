// The cache policy with an injected clock against a real S3 protocol server: purging orphans
// after 120 minutes but never a scheduled, pinned or open file; the size cap; prefetching the
// 24 h horizon; alarms for failed prefetches and low disk.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheAlarm } from '../../src-shared/contract';
import { createCore, type Core } from '../../src-main/core/create-core';
import { silentLogger } from '../../src-main/core/logger';
import { formatS3Source } from '../../src-main/core/storage/object-ref';
import { startTestS3, type TestS3 } from '../helpers/s3-server';
import { makeTempDir } from '../helpers/temp-dir';

const MIN = 60_000;
const HOUR = 60 * MIN;

let s3: TestS3;
let temp: ReturnType<typeof makeTempDir>;
let core: Core;
let now: number;
let locationId: number;
let t0: number;

beforeEach(async () => {
  s3 = await startTestS3();
  temp = makeTempDir('airdeck-cache-');
  // Near the real time, so file times of stray partials line up with the injected clock.
  t0 = Date.now();
  now = t0;
  core = await createCore({
    dataDir: temp.path,
    mode: 'headless',
    version: 'test',
    logger: silentLogger,
    clock: { now: () => now },
  });
  const added = await core.dispatch('storageLocationsAdd', {
    name: 'Archive',
    endpoint: s3.endpoint,
    bucket: s3.bucket,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  });
  if (!added.ok) throw new Error(added.error.message);
  locationId = (added.result as { id: number }).id;
});

afterEach(async () => {
  await core.close();
  await s3.stop();
  temp.remove();
});

/** An asset made from an S3 object (what storageImport records), without running ingest. */
async function s3Asset(key: string, body = Buffer.from(`content of ${key}`)): Promise<number> {
  const etag = await s3.put(key, body);
  const db = core.context.db;
  const id = Number(
    db
      .prepare(
        `INSERT INTO assets (folder_id, name, source_kind, source_location, source_size, state,
           created_at, updated_at) VALUES (1, ?, 's3', ?, ?, 'ready', 0, 0)`,
      )
      .run(key, formatS3Source(locationId, key), body.length).lastInsertRowid,
  );
  db.prepare(
    'INSERT INTO storage_asset_objects (asset_id, location_id, object_key, etag, size) VALUES (?, ?, ?, ?, ?)',
  ).run(id, locationId, key, etag, body.length);
  return id;
}

let channelId: number | null = null;
function schedule(assetId: number, startsAt: number, durationMs: number): void {
  const db = core.context.db;
  channelId ??= Number(
    db
      .prepare(
        `INSERT INTO channels (name, number, slug, created_at, updated_at)
         VALUES ('One', 1, 'one', 0, 0)`,
      )
      .run().lastInsertRowid,
  );
  db.prepare(
    `INSERT INTO schedule_items (channel_id, kind, asset_id, starts_at, duration_ms, created_at,
       updated_at) VALUES (?, 'asset', ?, ?, ?, 0, 0)`,
  ).run(channelId, assetId, startsAt, durationMs);
}

const cachedPath = async (key: string) => (await core.cache.fetch(locationId, key)).path;

describe('purge', () => {
  beforeEach(() => {
    channelId = null;
  });

  it('removes orphans unread for over 120 minutes, never a scheduled or open file', async () => {
    const scheduled = await s3Asset('scheduled.bin');
    schedule(scheduled, t0 + 3 * HOUR, 2 * HOUR);
    await s3.put('orphan.bin', Buffer.from('orphan'));
    await s3.put('open.bin', Buffer.from('open'));
    await s3.put('recent.bin', Buffer.from('recent'));
    const paths = {
      scheduled: await cachedPath('scheduled.bin'),
      orphan: await cachedPath('orphan.bin'),
      open: await cachedPath('open.bin'),
      recent: await cachedPath('recent.bin'),
    };
    const held = await core.cache.open(locationId, 'open.bin');
    // A partial nobody is downloading (a crash, then the object left the schedule).
    const stray = join(temp.path, 'cache', String(locationId), '00', 'stray.bin.partial');
    mkdirSync(join(stray, '..'), { recursive: true });
    writeFileSync(stray, 'half');

    now = t0 + 100 * MIN;
    (await core.cache.open(locationId, 'recent.bin')).release();

    now = t0 + 119 * MIN;
    expect(core.cache.gc().removed).toBe(0);

    now = t0 + 121 * MIN;
    const first = core.cache.gc();
    expect(first).toMatchObject({ removed: 1, partialsRemoved: 1, keptOpen: 1, keptRetained: 1 });
    expect(existsSync(paths.orphan)).toBe(false);
    expect(existsSync(stray)).toBe(false);
    for (const kept of [paths.scheduled, paths.open, paths.recent])
      expect(existsSync(kept)).toBe(true);

    // Four hours unread, still open: kept until released. The scheduled one is on air.
    now = t0 + 4 * HOUR;
    const second = core.cache.gc();
    expect(existsSync(paths.open)).toBe(true);
    expect(existsSync(paths.scheduled)).toBe(true);
    expect(existsSync(paths.recent)).toBe(false);
    expect(second.removed).toBe(1);
    held.release();
    now = t0 + 4 * HOUR + 1;
    core.cache.gc();
    expect(existsSync(paths.open)).toBe(false);

    // The scheduled object stays while its item airs within the horizon, then goes.
    expect(existsSync(paths.scheduled)).toBe(true);
    now = t0 + 5 * HOUR + 121 * MIN;
    core.cache.gc();
    expect(existsSync(paths.scheduled)).toBe(false);
    expect(core.cache.status().entryCount).toBe(0);
  });

  it('keeps pinned objects and follows the configured orphan time', async () => {
    const pinned = await s3Asset('pinned.bin');
    const loose = await s3Asset('loose.bin');
    const pin = await core.dispatch('cachePin', { assetId: pinned, pinned: true });
    expect(pin).toEqual({ ok: true, result: { assetId: pinned, pinned: true } });
    const paths = [await cachedPath('pinned.bin'), await cachedPath('loose.bin')];
    await core.dispatch('cacheSettingsSet', { orphanMinutes: 30 });
    now = t0 + 31 * MIN;
    core.cache.gc();
    expect(existsSync(paths[0]!)).toBe(true);
    expect(existsSync(paths[1]!)).toBe(false);
    expect(core.cache.status()).toMatchObject({ pinnedAssetIds: [pinned], entryCount: 1 });
    expect(loose).toBeGreaterThan(0);
    const notS3 = await core.dispatch('cachePin', { assetId: 999, pinned: true });
    expect(notS3).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('evicts the least recently read unretained files first to honour the size cap', async () => {
    const retained = await s3Asset('retained.bin', Buffer.alloc(1000, 1));
    schedule(retained, t0 + HOUR, HOUR);
    const paths: Record<string, string> = { retained: await cachedPath('retained.bin') };
    for (const [i, name] of ['old', 'middle', 'new'].entries()) {
      await s3.put(`${name}.bin`, Buffer.alloc(1000, i));
      now = t0 + i * MIN;
      const read = await core.cache.open(locationId, `${name}.bin`);
      read.release();
      paths[name] = read.path;
    }
    // Everything recent (no orphans); 4000 bytes against a 2500-byte cap. The oldest is being
    // read (its read time stays the oldest: holding does not refresh it after the open).
    const held = await core.cache.open(locationId, 'old.bin');
    core.context.db
      .prepare('UPDATE cache_entries SET last_read_at = ? WHERE object_key = ?')
      .run(t0, 'old.bin');
    await core.dispatch('cacheSettingsSet', { sizeCapBytes: 2500 });
    const report = core.cache.gc();
    expect(report.byReason).toEqual({ orphan: 0, size_cap: 2 });
    expect(existsSync(paths.retained!)).toBe(true);
    expect(existsSync(paths.old!)).toBe(true); // open: never evicted
    expect(existsSync(paths.middle!)).toBe(false);
    expect(existsSync(paths.new!)).toBe(false);
    held.release();
  });
});

describe('prefetch', () => {
  beforeEach(() => {
    channelId = null;
  });

  it('prefetches what airs within the 24 h horizon and pins, and alarms when it fails', async () => {
    const soon = await s3Asset('soon.bin');
    const late = await s3Asset('late.bin');
    const beyond = await s3Asset('beyond.bin');
    const pinned = await s3Asset('pinned.bin');
    const broken = await s3Asset('broken.bin');
    await s3.remove('broken.bin');
    // Pinning starts a pass of its own; the next one runs after it, before the schedule comes in.
    await core.dispatch('cachePin', { assetId: pinned, pinned: true });
    await core.cache.prefetch();
    expect(core.cache.isCached(locationId, 'pinned.bin', etagOf(pinned))).toBe(true);
    schedule(soon, t0 + 2 * HOUR, HOUR);
    schedule(late, t0 + 23 * HOUR, HOUR);
    schedule(beyond, t0 + 30 * HOUR, HOUR);
    schedule(broken, t0 + HOUR, HOUR);
    const alarms: CacheAlarm[] = [];
    core.bus.on('cacheAlarm', (a) => alarms.push(a));

    const report = await core.cache.prefetch();
    expect(report).toMatchObject({ paused: false, retained: 4, fetched: 2, failed: 1 });
    expect(core.cache.isCached(locationId, 'soon.bin', etagOf(soon))).toBe(true);
    expect(core.cache.isCached(locationId, 'late.bin', etagOf(late))).toBe(true);
    expect(core.cache.isCached(locationId, 'pinned.bin', etagOf(pinned))).toBe(true);
    expect(core.cache.isCached(locationId, 'beyond.bin', etagOf(beyond))).toBe(false);
    expect(alarms).toEqual([
      expect.objectContaining({
        kind: 'not_ready_for_air',
        id: `not_ready_for_air:${broken}`,
        assetId: broken,
        airsAt: t0 + HOUR,
        cleared: false,
      }),
    ]);
    expect(core.cache.status().alarms).toHaveLength(1);
    // The same condition is in the station's alarm list, about the asset.
    const assetAlarm = () =>
      core.monitor.alarms.active().find((a) => a.sourceKind === 'asset' && a.sourceId === broken);
    expect(assetAlarm()).toMatchObject({ kind: 'media-not-ready', clearedAt: null });

    // Six hours on, the 30 h item is inside the horizon; the broken object is back.
    now = t0 + 7 * HOUR;
    await s3.put('broken.bin', Buffer.from('content of broken.bin'));
    const later = await core.cache.prefetch();
    expect(later.failed).toBe(0);
    expect(core.cache.isCached(locationId, 'beyond.bin', etagOf(beyond))).toBe(true);
    // broken.bin aired at t0+1h..t0+2h: out of the horizon now, so its alarm simply ends.
    expect(alarms.at(-1)).toMatchObject({ id: `not_ready_for_air:${broken}`, cleared: true });
    expect(core.cache.status().alarms).toEqual([]);
    expect(assetAlarm()).toBeUndefined();
  });

  it('pauses prefetch and raises an alarm while the disk is low', async () => {
    const soon = await s3Asset('soon.bin');
    schedule(soon, t0 + HOUR, HOUR);
    const alarms: CacheAlarm[] = [];
    core.bus.on('cacheAlarm', (a) => alarms.push(a));
    // More free space than any disk has: the real statfs figure is always "low".
    await core.dispatch('cacheSettingsSet', { lowDiskFreeBytes: Number.MAX_SAFE_INTEGER });
    const paused = await core.cache.prefetch();
    expect(paused).toMatchObject({ paused: true, fetched: 0 });
    expect(core.cache.isCached(locationId, 'soon.bin', etagOf(soon))).toBe(false);
    // Raised (again, with the new figure, if the free space moved between passes), never cleared.
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms.every((a) => a.kind === 'low_disk' && !a.cleared)).toBe(true);
    expect(core.cache.status()).toMatchObject({ prefetchPaused: true, disk: { low: true } });
    const lowDisk = () => core.monitor.alarms.active().find((a) => a.kind === 'low-disk');
    expect(lowDisk()).toMatchObject({ sourceKind: 'station', severity: 'critical' });

    await core.dispatch('cacheSettingsSet', { lowDiskFreeBytes: 0 });
    // The settings change starts a pass itself; this one runs after it.
    const resumed = await core.cache.prefetch();
    expect(resumed.paused).toBe(false);
    expect(core.cache.isCached(locationId, 'soon.bin', etagOf(soon))).toBe(true);
    expect(alarms.at(-1)).toMatchObject({ kind: 'low_disk', cleared: true });
    expect(lowDisk()).toBeUndefined();
  });
});

function etagOf(assetId: number): string {
  const row = core.context.db
    .prepare('SELECT etag FROM storage_asset_objects WHERE asset_id = ?')
    .get(assetId) as { etag: string };
  return row.etag;
}
