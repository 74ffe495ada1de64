// SQLite side of the cache: verified entries, pins, the policy settings and the retention query.
import type { Database } from 'better-sqlite3';
import { CacheSettingsSchema, type CacheSettings } from '../../../src-shared/contract';

export type CacheEntry = {
  id: number;
  locationId: number;
  key: string;
  etag: string;
  size: number;
  /** Relative to the cache folder. */
  file: string;
  createdAt: number;
  lastReadAt: number;
};

/** An object something needs within the horizon (or a pin): kept, and prefetched if missing. */
export type RetainedObject = {
  assetId: number;
  locationId: number;
  key: string;
  etag: string;
  size: number;
  /** Earliest scheduled start within the horizon; null for a pin with nothing scheduled. */
  airsAt: number | null;
  pinned: boolean;
};

export const DEFAULT_CACHE_SETTINGS: CacheSettings = {
  horizonHours: 24,
  orphanMinutes: 120,
  sizeCapBytes: null,
  lowDiskFreeBytes: 2 * 1024 ** 3,
  checkContentMd5: false,
};

type RawEntry = {
  id: number;
  location_id: number;
  object_key: string;
  etag: string;
  size: number;
  file: string;
  created_at: number;
  last_read_at: number;
};
const fromRaw = (r: RawEntry): CacheEntry => ({
  id: r.id,
  locationId: r.location_id,
  key: r.object_key,
  etag: r.etag,
  size: r.size,
  file: r.file,
  createdAt: r.created_at,
  lastReadAt: r.last_read_at,
});

export function createCacheStore(db: Database, now: () => number) {
  const entryByObject = db.prepare<[number, string, string], RawEntry>(
    'SELECT * FROM cache_entries WHERE location_id = ? AND object_key = ? AND etag = ?',
  );
  const entryById = db.prepare<[number], RawEntry>('SELECT * FROM cache_entries WHERE id = ?');
  const allEntries = db.prepare<[], RawEntry>('SELECT * FROM cache_entries');
  const insertEntry = db.prepare(`
    INSERT INTO cache_entries (location_id, object_key, etag, size, file, created_at, last_read_at)
    VALUES (@locationId, @key, @etag, @size, @file, @at, @at)
    ON CONFLICT (location_id, object_key, etag) DO UPDATE SET last_read_at = excluded.last_read_at
    RETURNING *`);
  const touch = db.prepare<[number, number]>(
    'UPDATE cache_entries SET last_read_at = MAX(last_read_at, ?) WHERE id = ?',
  );
  const deleteEntry = db.prepare<[number]>('DELETE FROM cache_entries WHERE id = ?');
  const totals = db.prepare<[], { n: number; bytes: number | null }>(
    'SELECT COUNT(*) AS n, SUM(size) AS bytes FROM cache_entries',
  );
  const cachedKeys = db.prepare<[number], { object_key: string; etag: string }>(
    'SELECT object_key, etag FROM cache_entries WHERE location_id = ?',
  );

  const pins = db.prepare<[], { asset_id: number }>(
    'SELECT asset_id FROM cache_pins ORDER BY asset_id',
  );
  const pin = db.prepare<[number, number]>(
    'INSERT INTO cache_pins (asset_id, pinned_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  const unpin = db.prepare<[number]>('DELETE FROM cache_pins WHERE asset_id = ?');

  // Scheduled items overlapping [now, now + horizon) of any channel, plus pins. Starts from
  // the (few) S3 assets and uses schedule_items_asset, so a long schedule costs nothing here.
  const retained = db.prepare<{ now: number; until: number }, RawRetained>(`
    SELECT o.asset_id, o.location_id, o.object_key, o.etag, o.size,
      (SELECT MIN(MAX(si.starts_at, @now)) FROM schedule_items si
        WHERE si.asset_id = o.asset_id AND si.starts_at < @until
          AND si.starts_at + si.duration_ms > @now) AS airs_at,
      EXISTS (SELECT 1 FROM cache_pins p WHERE p.asset_id = o.asset_id) AS pinned
    FROM storage_asset_objects o
    WHERE pinned OR airs_at IS NOT NULL
    ORDER BY airs_at IS NULL, airs_at`);

  const settingRows = db.prepare<[], { key: string; value: string }>(
    'SELECT key, value FROM cache_settings',
  );
  const putSetting = db.prepare<[string, string, number]>(`
    INSERT INTO cache_settings (key, value, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);

  function settings(): CacheSettings {
    const merged: Record<string, unknown> = { ...DEFAULT_CACHE_SETTINGS };
    for (const row of settingRows.all()) merged[row.key] = JSON.parse(row.value);
    const parsed = CacheSettingsSchema.safeParse(merged);
    // A row written by a newer build that this one cannot read falls back to the defaults.
    return parsed.success ? parsed.data : DEFAULT_CACHE_SETTINGS;
  }

  return {
    entry(locationId: number, key: string, etag: string): CacheEntry | null {
      const raw = entryByObject.get(locationId, key, etag);
      return raw ? fromRaw(raw) : null;
    },
    entryById(id: number): CacheEntry | null {
      const raw = entryById.get(id);
      return raw ? fromRaw(raw) : null;
    },
    entries: (): CacheEntry[] => allEntries.all().map(fromRaw),
    insert(entry: Omit<CacheEntry, 'id' | 'createdAt' | 'lastReadAt'>): CacheEntry {
      return fromRaw(insertEntry.get({ ...entry, at: now() }) as RawEntry);
    },
    touch(id: number): void {
      touch.run(now(), id);
    },
    remove(id: number): void {
      deleteEntry.run(id);
    },
    totals(): { count: number; bytes: number } {
      const t = totals.get()!;
      return { count: t.n, bytes: t.bytes ?? 0 };
    },
    /** `key\0etag` of every cached object of a location (for marking a browse listing). */
    cachedKeys(locationId: number): Set<string> {
      return new Set(cachedKeys.all(locationId).map((r) => `${r.object_key}\0${r.etag}`));
    },
    pinnedAssetIds: (): number[] => pins.all().map((r) => r.asset_id),
    setPinned(assetId: number, pinned: boolean): void {
      if (pinned) pin.run(assetId, now());
      else unpin.run(assetId);
    },
    retained(at: number, horizonMs: number): RetainedObject[] {
      return retained.all({ now: at, until: at + horizonMs }).map((r) => ({
        assetId: r.asset_id,
        locationId: r.location_id,
        key: r.object_key,
        etag: r.etag,
        size: r.size,
        airsAt: r.airs_at,
        pinned: r.pinned === 1,
      }));
    },
    settings,
    setSettings(patch: Partial<CacheSettings>): CacheSettings {
      const next = CacheSettingsSchema.parse({ ...settings(), ...patch });
      const at = now();
      db.transaction(() => {
        for (const [key, value] of Object.entries(patch)) {
          if (value !== undefined) putSetting.run(key, JSON.stringify(value), at);
        }
      })();
      return next;
    },
  };
}

type RawRetained = {
  asset_id: number;
  location_id: number;
  object_key: string;
  etag: string;
  size: number;
  airs_at: number | null;
  pinned: number;
};

export type CacheStore = ReturnType<typeof createCacheStore>;
