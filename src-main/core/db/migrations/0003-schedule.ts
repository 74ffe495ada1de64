import type { Migration } from '../migration';

/**
 * Channels and their schedules. Instants are UTC milliseconds, durations milliseconds. An asset
 * on a schedule cannot be deleted underneath it (RESTRICT): the library asks first.
 *
 * A break inside a programme is a row with `parent_item_id` and `offset_ms` (where in the
 * programme's content it plays); its `starts_at` is derived from the parent and kept in step by
 * the schedule service, and the parent's `breaks_ms` holds their total so a programme's air span
 * (`starts_at + duration_ms + breaks_ms`) is readable without a join.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'schedule',
  up: (db) => {
    db.exec(`
      CREATE TABLE channels (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        number INTEGER NOT NULL,
        slug TEXT NOT NULL UNIQUE,
        logo_path TEXT,
        group_name TEXT,
        enabled INTEGER NOT NULL DEFAULT 1,
        sort_order INTEGER NOT NULL DEFAULT 0,
        filler_folder_id INTEGER REFERENCES folders(id) ON DELETE SET NULL,
        slate_asset_id INTEGER REFERENCES assets(id) ON DELETE SET NULL,
        version INTEGER NOT NULL DEFAULT 1,
        -- Bumped by every schedule commit: a window that sees a jump knows it missed an event.
        schedule_version INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX channels_number ON channels(number);

      -- AUTOINCREMENT: a deleted item's id is never handed to a new one (windows patch by id;
      -- only an undo brings an id back, explicitly).
      CREATE TABLE schedule_items (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('asset', 'break')),
        asset_id INTEGER REFERENCES assets(id) ON DELETE RESTRICT,
        parent_item_id INTEGER REFERENCES schedule_items(id) ON DELETE CASCADE,
        offset_ms INTEGER CHECK (offset_ms >= 0),
        starts_at INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL CHECK (duration_ms > 0),
        in_ms INTEGER NOT NULL DEFAULT 0 CHECK (in_ms >= 0),
        breaks_ms INTEGER NOT NULL DEFAULT 0 CHECK (breaks_ms >= 0),
        title TEXT,
        category TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        CHECK ((kind = 'asset') = (asset_id IS NOT NULL)),
        CHECK ((parent_item_id IS NULL) = (offset_ms IS NULL)),
        CHECK (parent_item_id IS NULL OR kind = 'break')
      ) STRICT;
      CREATE INDEX schedule_items_channel_start ON schedule_items(channel_id, starts_at);
      CREATE INDEX schedule_items_asset ON schedule_items(asset_id);
      CREATE INDEX schedule_items_parent ON schedule_items(parent_item_id) WHERE parent_item_id IS NOT NULL;

      -- Schedule-only settings (the lock horizon), one JSON value per key like settings.
      CREATE TABLE schedule_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- Weekly time-block templates; blocks are validated by the contract, stored whole.
      CREATE TABLE schedule_templates (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        blocks_json TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
