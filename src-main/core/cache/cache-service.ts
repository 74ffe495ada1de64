// The self-healing cache of S3 objects under <dataDir>/cache.
//
// - fetch/open: one download per object however many callers ask (single flight), verified and
//   renamed into place by object-download; open() also registers the caller as a reader.
// - gc(): purges orphans and enforces the size cap (purge-plan), never a retained or open file.
// - prefetch(): downloads every retained object that is missing, raising `not_ready_for_air`
//   when one fails and clearing it when it lands; paused (with a `low_disk` alarm) while the
//   cache's disk is short of space.
// Time comes from the injected clock, so tests move hours in a line.
import { mkdirSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { S3Client } from '@aws-sdk/client-s3';
import type {
  CacheAlarm,
  CacheSettings,
  CacheStatus,
  DownloadProgress,
} from '../../../src-shared/contract';
import type { Clock } from '../clock/clock';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../logger';
import { PARTIAL_SUFFIX, cacheFileFor } from '../storage/object-ref';
import { createCacheStore, type CacheEntry, type CacheStore } from './cache-store';
import {
  ObjectChangedError,
  downloadObject,
  headObjectIdentity,
  type ObjectIdentity,
} from './object-download';
import { planPurge, type PurgeDecision } from './purge-plan';
import { ReaderRegistry } from './reader-registry';
import { SingleFlight } from './single-flight';
import type { Database } from 'better-sqlite3';

/** How the cache reaches a location's bucket (the storage feature provides it). */
export type BucketResolver = (locationId: number) => { client: S3Client; bucket: string };

export type CachedObject = { entry: CacheEntry; path: string };
export type OpenedObject = CachedObject & { release(): void };

export type GcReport = {
  removed: number;
  removedBytes: number;
  byReason: Record<PurgeDecision['reason'], number>;
  partialsRemoved: number;
  keptOpen: number;
  keptRetained: number;
};

export type PrefetchReport = {
  paused: boolean;
  retained: number;
  fetched: number;
  failed: number;
};

export type CacheServiceOptions = {
  db: Database;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  cacheDir: string;
  buckets: BucketResolver;
  /** Free bytes on the cache's disk; statfs by default (tests inject a tight disk). */
  diskSpace?: (dir: string) => Promise<{ freeBytes: number; totalBytes: number } | null>;
  /** Parallel prefetch downloads. */
  prefetchConcurrency?: number;
};

const PROGRESS_INTERVAL_MS = 250;
const STATUS_INTERVAL_MS = 500;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

async function statfsSpace(dir: string) {
  try {
    const s = await statfs(dir);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  } catch {
    return null;
  }
}

const flightKey = (locationId: number, key: string) => `${locationId}\0${key}`;

/** A folder's names; none when it is gone or unreadable (the sweep skips it). */
function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

export function createCacheService(options: CacheServiceOptions) {
  const { bus, clock, logger, cacheDir } = options;
  // Exists from the start so the disk check (statfs) looks at the right file system.
  mkdirSync(cacheDir, { recursive: true });
  const store: CacheStore = createCacheStore(options.db, () => clock.now());
  const readers = new ReaderRegistry();
  const flights = new SingleFlight<CachedObject>();
  const downloads = new Map<string, DownloadProgress>();
  const alarms = new Map<string, CacheAlarm>();
  const diskSpace = options.diskSpace ?? statfsSpace;
  let disk: CacheStatus['disk'] = { freeBytes: null, totalBytes: null, low: false };
  let lastPrefetchAt: number | null = null;
  let lastGcAt: number | null = null;
  let missingCount = 0;
  let closed = false;
  const abort = new AbortController();

  // --- events -------------------------------------------------------------------------------
  let statusTimer: NodeJS.Timeout | undefined;
  let lastStatusAt = 0;
  function announceStatus(): void {
    if (closed || statusTimer) return;
    const wait = Math.max(0, lastStatusAt + STATUS_INTERVAL_MS - performance.now());
    statusTimer = setTimeout(() => {
      statusTimer = undefined;
      lastStatusAt = performance.now();
      if (!closed) bus.emit('cacheChanged', status());
    }, wait);
    statusTimer.unref();
  }

  const progressSentAt = new Map<string, number>();
  function reportProgress(id: string, progress: DownloadProgress, force = false): void {
    downloads.set(id, progress);
    const t = performance.now();
    if (!force && t - (progressSentAt.get(id) ?? -Infinity) < PROGRESS_INTERVAL_MS) return;
    progressSentAt.set(id, t);
    if (!closed) bus.emit('downloadProgress', progress);
  }

  function raise(alarm: Omit<CacheAlarm, 'raisedAt' | 'cleared'>): void {
    const held = alarms.get(alarm.id);
    if (held && held.message === alarm.message && held.airsAt === alarm.airsAt) return;
    const raised: CacheAlarm = {
      ...alarm,
      raisedAt: held?.raisedAt ?? clock.now(),
      cleared: false,
    };
    alarms.set(alarm.id, raised);
    logger.warn(`cache alarm: ${alarm.message}`);
    if (!closed) bus.emit('cacheAlarm', raised);
    announceStatus();
  }

  function clear(id: string): void {
    const held = alarms.get(id);
    if (!held) return;
    alarms.delete(id);
    if (!closed) bus.emit('cacheAlarm', { ...held, cleared: true });
    announceStatus();
  }

  // --- fetch --------------------------------------------------------------------------------
  function absolute(entry: CacheEntry): string {
    return join(cacheDir, entry.file);
  }

  /** A row whose file vanished (deleted by hand, disk swapped) is forgotten: self-healing. */
  function liveEntry(locationId: number, key: string, etag: string): CacheEntry | null {
    const entry = store.entry(locationId, key, etag);
    if (!entry) return null;
    try {
      if (statSync(absolute(entry)).size === entry.size) return entry;
    } catch {
      // missing: fall through
    }
    logger.warn(`cache: ${key} was missing or damaged on disk; fetching it again`);
    if (!readers.isOpen(entry.id)) store.remove(entry.id);
    return null;
  }

  async function download(
    locationId: number,
    key: string,
    expected: ObjectIdentity | undefined,
  ): Promise<CachedObject> {
    const known = expected && liveEntry(locationId, key, expected.etag);
    if (known) return { entry: known, path: absolute(known) };
    const { client, bucket } = options.buckets(locationId);
    const id = flightKey(locationId, key);
    let identity = expected;
    for (let attempt = 0; ; attempt += 1) {
      const target = identity ?? (await headObjectIdentity(client, bucket, key, abort.signal));
      const hit = liveEntry(locationId, key, target.etag);
      if (hit) return { entry: hit, path: absolute(hit) };
      const file = cacheFileFor(locationId, key, target.etag);
      const progress = (
        receivedBytes: number,
        totalBytes: number | null,
        state: DownloadProgress['state'] = 'downloading',
      ) =>
        reportProgress(
          id,
          { locationId, key, etag: target.etag, receivedBytes, totalBytes, state, error: null },
          state !== 'downloading',
        );
      progress(0, target.size);
      try {
        await downloadObject({
          client,
          bucket,
          key,
          finalPath: join(cacheDir, file),
          expected: target,
          signal: abort.signal,
          onProgress: (received, total) => progress(received, total),
          onVerifying: () => progress(target.size, target.size, 'verifying'),
          checkContentMd5: store.settings().checkContentMd5,
        });
      } catch (error) {
        // The object was replaced since we learnt its ETag: once more with the new version.
        if (error instanceof ObjectChangedError && attempt === 0) {
          identity = undefined;
          continue;
        }
        throw error;
      }
      const entry = store.insert({
        locationId,
        key,
        etag: target.etag,
        size: target.size,
        file,
      });
      return { entry, path: absolute(entry) };
    }
  }

  /**
   * The verified local copy of an object, downloading it if needed. Callers asking for the same
   * object at the same time share one download (and its progress).
   */
  function fetch(
    locationId: number,
    key: string,
    expected?: ObjectIdentity,
  ): Promise<CachedObject> {
    if (closed) return Promise.reject(new Error('the cache is closed'));
    const id = flightKey(locationId, key);
    return flights.run(id, async () => {
      try {
        const result = await download(locationId, key, expected);
        const last = downloads.get(id);
        if (last) {
          reportProgress(
            id,
            { ...last, receivedBytes: result.entry.size, state: 'done', error: null },
            true,
          );
        }
        return result;
      } catch (error) {
        const last = downloads.get(id);
        reportProgress(
          id,
          {
            locationId,
            key,
            etag: last?.etag ?? expected?.etag ?? null,
            receivedBytes: last?.receivedBytes ?? 0,
            totalBytes: last?.totalBytes ?? expected?.size ?? null,
            state: 'failed',
            error: error instanceof Error ? error.message : String(error),
          },
          true,
        );
        throw error;
      } finally {
        downloads.delete(id);
        progressSentAt.delete(id);
        announceStatus();
      }
    });
  }

  /** fetch + hold: the file cannot be purged until `release()`. */
  async function open(
    locationId: number,
    key: string,
    expected?: ObjectIdentity,
  ): Promise<OpenedObject> {
    for (;;) {
      const cached = await fetch(locationId, key, expected);
      // Acquire in the same tick as the check, so a purge cannot slip between them.
      if (store.entryById(cached.entry.id)) {
        const release = readers.acquire(cached.entry.id);
        store.touch(cached.entry.id);
        return { ...cached, release };
      }
    }
  }

  // --- gc -----------------------------------------------------------------------------------
  function retainedKeys(): Set<string> {
    const settings = store.settings();
    const keys = new Set<string>();
    for (const r of store.retained(clock.now(), settings.horizonHours * HOUR_MS)) {
      keys.add(flightKey(r.locationId, r.key));
    }
    return keys;
  }

  /** `.partial` files nobody is downloading and nobody has written to for the orphan time. */
  function sweepPartials(orphanMs: number): number {
    let removed = 0;
    const now = clock.now();
    const busy = new Set<string>();
    for (const d of downloads.values()) {
      if (d.etag) busy.add(cacheFileFor(d.locationId, d.key, d.etag) + PARTIAL_SUFFIX);
    }
    for (const loc of listDir(cacheDir)) {
      for (const fan of listDir(join(cacheDir, loc))) {
        for (const name of listDir(join(cacheDir, loc, fan))) {
          if (!name.endsWith(PARTIAL_SUFFIX)) continue;
          const rel = `${loc}/${fan}/${name}`;
          if (busy.has(rel)) continue;
          const path = join(cacheDir, rel);
          try {
            if (now - statSync(path).mtimeMs > orphanMs) {
              rmSync(path, { force: true });
              removed += 1;
            }
          } catch {
            // raced with a download finishing: nothing to do
          }
        }
      }
    }
    return removed;
  }

  /**
   * One purge pass. Synchronous on purpose: between choosing a file and unlinking it no reader
   * can arrive (open() acquires in a single tick too).
   */
  function gc(): GcReport {
    const settings = store.settings();
    const retained = retainedKeys();
    const isRetained = (e: CacheEntry) => retained.has(flightKey(e.locationId, e.key));
    const isOpen = (e: CacheEntry) => readers.isOpen(e.id);
    const entries = store.entries();
    const decisions = planPurge(entries, {
      now: clock.now(),
      orphanMs: settings.orphanMinutes * MINUTE_MS,
      sizeCapBytes: settings.sizeCapBytes,
      isRetained,
      isOpen,
    });
    const report: GcReport = {
      removed: 0,
      removedBytes: 0,
      byReason: { orphan: 0, size_cap: 0 },
      partialsRemoved: 0,
      keptOpen: entries.filter(isOpen).length,
      keptRetained: entries.filter(isRetained).length,
    };
    // One transaction for all rows (one commit, not thousands). A crash part-way keeps rows
    // whose files are gone; open() checks the file on disk and fetches such an object again.
    options.db.transaction(() => {
      for (const { entry, reason } of decisions) {
        if (readers.isOpen(entry.id)) continue;
        store.remove(entry.id);
        try {
          unlinkSync(absolute(entry));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
            logger.warn(`cache: could not remove ${entry.file}: ${(error as Error).message}`);
          }
        }
        report.removed += 1;
        report.removedBytes += entry.size;
        report.byReason[reason] += 1;
      }
    })();
    report.partialsRemoved = sweepPartials(settings.orphanMinutes * MINUTE_MS);
    lastGcAt = clock.now();
    if (report.removed > 0 || report.partialsRemoved > 0) announceStatus();
    return report;
  }

  // --- prefetch -----------------------------------------------------------------------------
  async function checkDisk(settings: CacheSettings): Promise<boolean> {
    const space = await diskSpace(cacheDir);
    const low = space !== null && space.freeBytes < settings.lowDiskFreeBytes;
    const changed = low !== disk.low;
    disk = { freeBytes: space?.freeBytes ?? null, totalBytes: space?.totalBytes ?? null, low };
    if (low) {
      raise({
        kind: 'low_disk',
        id: 'low_disk',
        message: `The cache's disk has ${Math.floor((space?.freeBytes ?? 0) / 1024 ** 2)} MiB free (alarm below ${Math.floor(settings.lowDiskFreeBytes / 1024 ** 2)} MiB); prefetch is paused.`,
        assetId: null,
        airsAt: null,
      });
    } else clear('low_disk');
    if (changed) announceStatus();
    return low;
  }

  let prefetching: Promise<PrefetchReport> | null = null;
  async function prefetchPass(): Promise<PrefetchReport> {
    const settings = store.settings();
    const now = clock.now();
    const wanted = store.retained(now, settings.horizonHours * HOUR_MS);
    const missing = wanted.filter((r) => !liveEntry(r.locationId, r.key, r.etag));
    missingCount = missing.length;
    // Alarms for assets that left the horizon (or whose object arrived some other way) end.
    const wantedIds = new Set(missing.map((r) => `not_ready_for_air:${r.assetId}`));
    for (const id of [...alarms.keys()]) {
      if (id.startsWith('not_ready_for_air:') && !wantedIds.has(id)) clear(id);
    }
    const report: PrefetchReport = {
      paused: false,
      retained: wanted.length,
      fetched: 0,
      failed: 0,
    };
    if (await checkDisk(settings)) {
      report.paused = true;
      lastPrefetchAt = now;
      announceStatus();
      return report;
    }
    // Soonest on air first; a few at a time so one huge file does not hold up the rest.
    const queue = [...missing];
    const worker = async () => {
      for (let next = queue.shift(); next && !closed; next = queue.shift()) {
        const item = next;
        try {
          await fetch(item.locationId, item.key, { etag: item.etag, size: item.size });
          report.fetched += 1;
          missingCount = Math.max(0, missingCount - 1);
          clear(`not_ready_for_air:${item.assetId}`);
        } catch (error) {
          report.failed += 1;
          const reason = error instanceof Error ? error.message : String(error);
          raise({
            kind: 'not_ready_for_air',
            id: `not_ready_for_air:${item.assetId}`,
            message: `Asset ${item.assetId} is not ready for air: fetching ${item.key} failed (${reason}).`,
            assetId: item.assetId,
            airsAt: item.airsAt,
          });
        }
      }
    };
    const workers = Math.max(1, options.prefetchConcurrency ?? 2);
    await Promise.all(Array.from({ length: workers }, worker));
    lastPrefetchAt = now;
    announceStatus();
    return report;
  }

  /**
   * One pass at a time. A request during a pass gets the next pass (started when the current one
   * ends; any number of requests share it): the request means something changed since the
   * current pass looked, such as a new pin, a schedule edit or a settings change.
   */
  let nextPass: Promise<PrefetchReport> | null = null;
  function prefetch(): Promise<PrefetchReport> {
    if (!prefetching) {
      prefetching = prefetchPass().finally(() => {
        prefetching = null;
      });
      return prefetching;
    }
    nextPass ??= prefetching
      .catch(() => undefined)
      .then(() => {
        nextPass = null;
        return prefetch();
      });
    return nextPass;
  }

  // --- status -------------------------------------------------------------------------------
  function status(): CacheStatus {
    const settings = store.settings();
    const totals = store.totals();
    return {
      usedBytes: totals.bytes,
      entryCount: totals.count,
      retainedCount: store.retained(clock.now(), settings.horizonHours * HOUR_MS).length,
      missingCount,
      openCount: readers.openCount,
      pinnedAssetIds: store.pinnedAssetIds(),
      downloads: [...downloads.values()],
      disk,
      prefetchPaused: disk.low,
      lastPrefetchAt,
      lastGcAt,
      alarms: [...alarms.values()],
      settings,
    };
  }

  return {
    store,
    fetch,
    open,
    gc,
    prefetch,
    status,
    settings: () => store.settings(),
    setSettings(patch: Partial<CacheSettings>): CacheSettings {
      const next = store.setSettings(patch);
      announceStatus();
      return next;
    },
    setPinned(assetId: number, pinned: boolean): void {
      store.setPinned(assetId, pinned);
      announceStatus();
    },
    /** Is a verified copy of this object version here? */
    isCached: (locationId: number, key: string, etag: string) =>
      store.entry(locationId, key, etag) !== null,
    downloadsInFlight: () => flights.size,
    /** Stops downloads (their partials stay and resume next time) and waits for them. */
    async close(): Promise<void> {
      closed = true;
      abort.abort();
      if (statusTimer) clearTimeout(statusTimer);
      await flights.drain();
      if (prefetching) await prefetching.catch(() => undefined);
      if (nextPass) await nextPass.catch(() => undefined);
    },
  };
}

export type CacheService = ReturnType<typeof createCacheService>;
