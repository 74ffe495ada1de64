import type { Migration } from '../migration';

/**
 * S3 storage locations and the local cache of their objects.
 *
 * Credentials are not here: SQLite would keep them in plain text. They live with the OS
 * keychain (desktop) or in a 0600 file / the environment (serve); see storage/credentials.ts.
 *
 * Only verified downloads have a cache row; a download in progress is a `.partial` file the
 * downloader resumes, so a crash can never leave a row pointing at half a file.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'storage',
  up: (db) => {
    db.exec(`
      CREATE TABLE storage_locations (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        endpoint TEXT,
        region TEXT NOT NULL,
        bucket TEXT NOT NULL,
        prefix TEXT NOT NULL DEFAULT '',
        path_style INTEGER NOT NULL DEFAULT 1,
        publish_renditions INTEGER NOT NULL DEFAULT 0,
        public_base_url TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX storage_locations_name ON storage_locations(name COLLATE NOCASE);

      -- The object an S3 asset was made from (assets.source_location is s3://<location id>/<key>).
      -- RESTRICT: a location cannot be removed while assets point at it.
      CREATE TABLE storage_asset_objects (
        asset_id INTEGER PRIMARY KEY REFERENCES assets(id) ON DELETE CASCADE,
        location_id INTEGER NOT NULL REFERENCES storage_locations(id) ON DELETE RESTRICT,
        object_key TEXT NOT NULL,
        etag TEXT NOT NULL,
        size INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX storage_asset_objects_key ON storage_asset_objects(location_id, object_key);

      CREATE TABLE cache_entries (
        id INTEGER PRIMARY KEY,
        location_id INTEGER NOT NULL REFERENCES storage_locations(id) ON DELETE CASCADE,
        object_key TEXT NOT NULL,
        etag TEXT NOT NULL,
        size INTEGER NOT NULL,
        -- Relative to <dataDir>/cache.
        file TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        last_read_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX cache_entries_object ON cache_entries(location_id, object_key, etag);
      CREATE INDEX cache_entries_last_read ON cache_entries(last_read_at);

      CREATE TABLE cache_pins (
        asset_id INTEGER PRIMARY KEY REFERENCES assets(id) ON DELETE CASCADE,
        pinned_at INTEGER NOT NULL
      ) STRICT;

      -- Cache policy, one JSON value per key like settings.
      CREATE TABLE cache_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
