import type { Migration } from '../migration';

/**
 * Playout state per channel and the as-run log. A channel's air is computed from its schedule;
 * what is stored here is only what the clock cannot tell: whether it is on air, its epoch (media
 * sequence 0), a running hold, and what actually aired. Programme/break/slate rows of the
 * as-run log double as checkpoints (`entry_at`, `msn`, `disc_seq`): counting resumes from the
 * latest one instead of from the epoch, and gives the same numbers either way.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'playout',
  up: (db) => {
    db.exec(`
      CREATE TABLE channel_playout (
        channel_id INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
        on_air INTEGER NOT NULL DEFAULT 0,
        epoch_at INTEGER,
        held_since INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE as_run (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('programme', 'break', 'slate', 'action')),
        item_id INTEGER,
        asset_id INTEGER,
        title TEXT NOT NULL,
        scheduled_at INTEGER,
        -- The entry's start on the timeline (checkpoint instant); null for actions. A channel
        -- started in the middle of a programme airs it from aired_at, but counts from entry_at.
        entry_at INTEGER,
        aired_at INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL DEFAULT 0,
        msn INTEGER,
        disc_seq INTEGER,
        note TEXT,
        created_at INTEGER NOT NULL,
        CHECK ((kind = 'action') = (entry_at IS NULL))
      ) STRICT;
      CREATE INDEX as_run_channel_aired ON as_run(channel_id, aired_at);
      CREATE UNIQUE INDEX as_run_channel_entry ON as_run(channel_id, entry_at) WHERE entry_at IS NOT NULL;

      -- Public output settings (require a key), one JSON value per key.
      CREATE TABLE playout_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
