// The storage_locations table. Credentials are not columns: see credentials.ts.
import type { Database } from 'better-sqlite3';

export type LocationRow = {
  id: number;
  name: string;
  endpoint: string | null;
  region: string;
  bucket: string;
  prefix: string;
  pathStyle: boolean;
  publishRenditions: boolean;
  publicBaseUrl: string | null;
  createdAt: number;
  updatedAt: number;
};

export type LocationFields = Omit<LocationRow, 'id' | 'createdAt' | 'updatedAt'>;

/** The row as SQLite returns it: snake_case columns, booleans as 0/1. */
type Raw = Pick<LocationRow, 'id' | 'name' | 'endpoint' | 'region' | 'bucket' | 'prefix'> & {
  path_style: number;
  publish_renditions: number;
  public_base_url: string | null;
  created_at: number;
  updated_at: number;
};

const fromRaw = (r: Raw): LocationRow => ({
  id: r.id,
  name: r.name,
  endpoint: r.endpoint,
  region: r.region,
  bucket: r.bucket,
  prefix: r.prefix,
  pathStyle: r.path_style === 1,
  publishRenditions: r.publish_renditions === 1,
  publicBaseUrl: r.public_base_url,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function createLocationStore(db: Database, now: () => number) {
  const all = db.prepare<[], Raw>('SELECT * FROM storage_locations ORDER BY name COLLATE NOCASE');
  const one = db.prepare<[number], Raw>('SELECT * FROM storage_locations WHERE id = ?');
  const byName = db.prepare<[string], { id: number }>(
    'SELECT id FROM storage_locations WHERE name = ? COLLATE NOCASE',
  );
  const insert = db.prepare(`
    INSERT INTO storage_locations (name, endpoint, region, bucket, prefix, path_style,
      publish_renditions, public_base_url, created_at, updated_at)
    VALUES (@name, @endpoint, @region, @bucket, @prefix, @pathStyle, @publishRenditions,
      @publicBaseUrl, @at, @at)`);
  const update = db.prepare(`
    UPDATE storage_locations SET name = @name, endpoint = @endpoint, region = @region,
      bucket = @bucket, prefix = @prefix, path_style = @pathStyle,
      publish_renditions = @publishRenditions, public_base_url = @publicBaseUrl, updated_at = @at
    WHERE id = @id`);
  const remove = db.prepare<[number]>('DELETE FROM storage_locations WHERE id = ?');
  const assetsUsing = db.prepare<[number], { asset_id: number }>(
    'SELECT asset_id FROM storage_asset_objects WHERE location_id = ? ORDER BY asset_id LIMIT 20',
  );

  const params = (f: LocationFields) => ({
    name: f.name,
    endpoint: f.endpoint,
    region: f.region,
    bucket: f.bucket,
    prefix: f.prefix,
    pathStyle: f.pathStyle ? 1 : 0,
    publishRenditions: f.publishRenditions ? 1 : 0,
    publicBaseUrl: f.publicBaseUrl,
  });

  return {
    list: (): LocationRow[] => all.all().map(fromRaw),
    get(id: number): LocationRow | null {
      const raw = one.get(id);
      return raw ? fromRaw(raw) : null;
    },
    nameTaken(name: string, exceptId?: number): boolean {
      const found = byName.get(name);
      return found !== undefined && found.id !== exceptId;
    },
    insert(fields: LocationFields): number {
      return Number(insert.run({ ...params(fields), at: now() }).lastInsertRowid);
    },
    update(id: number, fields: LocationFields): void {
      update.run({ ...params(fields), id, at: now() });
    },
    remove(id: number): void {
      remove.run(id);
    },
    /** Up to 20 assets made from the location's objects. */
    assetsUsing: (id: number): number[] => assetsUsing.all(id).map((r) => r.asset_id),
  };
}

export type LocationStore = ReturnType<typeof createLocationStore>;
