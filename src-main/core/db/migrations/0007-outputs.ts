import type { Migration } from '../migration';

/**
 * Push outputs: at most one target per channel. The URL stays when a push is disabled, so it
 * can be switched back on without retyping a stream key. Whether it runs right now is not
 * stored: it follows the channel's air and the HTTP server.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'outputs',
  up: (db) => {
    db.exec(`
      CREATE TABLE push_outputs (
        channel_id INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
