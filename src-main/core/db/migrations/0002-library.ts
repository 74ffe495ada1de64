import type { Migration } from '../migration';

/**
 * The media library. Folder 1 is the root ("Library") and always exists. Probe metadata is kept
 * whole as JSON for the metadata panel, with the columns people filter and sort on copied out
 * and indexed.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'library',
  up: (db) => {
    db.exec(`
      CREATE TABLE folders (
        id INTEGER PRIMARY KEY,
        parent_id INTEGER REFERENCES folders(id) ON DELETE RESTRICT,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        CHECK ((id = 1) = (parent_id IS NULL))
      ) STRICT;
      CREATE UNIQUE INDEX folders_parent_name ON folders(parent_id, name COLLATE NOCASE);
      INSERT INTO folders (id, parent_id, name, created_at) VALUES (1, NULL, 'Library', 0);

      CREATE TABLE assets (
        id INTEGER PRIMARY KEY,
        folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE RESTRICT,
        name TEXT NOT NULL,
        source_kind TEXT NOT NULL CHECK (source_kind IN ('file', 's3', 'upload')),
        -- absolute path (file, upload) or s3://location/key
        source_location TEXT NOT NULL,
        source_size INTEGER,
        source_mtime_ms INTEGER,
        state TEXT NOT NULL CHECK (state IN ('probing', 'queued', 'ingesting', 'ready', 'failed')),
        progress REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
        error TEXT,
        probe_json TEXT,
        duration_ms INTEGER,
        video_codec TEXT,
        width INTEGER,
        height INTEGER,
        size_bytes INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX assets_folder_name ON assets(folder_id, name COLLATE NOCASE);
      CREATE INDEX assets_state ON assets(state);
      CREATE INDEX assets_source ON assets(source_location);

      CREATE TABLE asset_tags (
        asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
        tag TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (asset_id, tag)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX asset_tags_tag ON asset_tags(tag);

      -- A rendition exists only once all its segments are on disk: ingest writes to a temporary
      -- folder and inserts these rows in the same transaction that marks the asset ready.
      CREATE TABLE renditions (
        id INTEGER PRIMARY KEY,
        asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('main', 'proxy')),
        dir TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        bandwidth INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        UNIQUE (asset_id, kind)
      ) STRICT;

      CREATE TABLE segments (
        rendition_id INTEGER NOT NULL REFERENCES renditions(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        file TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        PRIMARY KEY (rendition_id, seq)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE watch_folders (
        id INTEGER PRIMARY KEY,
        disk_path TEXT NOT NULL UNIQUE,
        folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
        enabled INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL
      ) STRICT;

      -- What a watch folder has already imported, so a restart imports nothing twice.
      CREATE TABLE watch_files (
        watch_id INTEGER NOT NULL REFERENCES watch_folders(id) ON DELETE CASCADE,
        rel_path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        asset_id INTEGER REFERENCES assets(id) ON DELETE SET NULL,
        PRIMARY KEY (watch_id, rel_path)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
