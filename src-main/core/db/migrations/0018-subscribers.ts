import type { Migration } from '../migration';

/**
 * Viewer subscriptions: plans (a channel package, streams at once, an optional end),
 * subscribers (only the SHA-256 of their key is kept, with a visible prefix) and usage per
 * subscriber per UTC day.
 */
export const migration0018: Migration = {
  version: 18,
  name: 'subscribers',
  up: (db) => {
    db.exec(`
      CREATE TABLE subscriber_plans (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        channels TEXT NOT NULL,
        max_streams INTEGER NOT NULL CHECK (max_streams >= 1),
        expires_at INTEGER,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE subscribers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        plan_id INTEGER NOT NULL REFERENCES subscriber_plans(id),
        prefix TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL UNIQUE,
        enabled INTEGER NOT NULL DEFAULT 1,
        expires_at INTEGER,
        created_at INTEGER NOT NULL,
        created_by INTEGER,
        created_by_name TEXT NOT NULL,
        last_seen_at INTEGER,
        revoked_at INTEGER
      ) STRICT;
      CREATE INDEX subscribers_plan ON subscribers(plan_id);
      CREATE TABLE subscriber_usage (
        subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        segments INTEGER NOT NULL DEFAULT 0,
        watched_ms INTEGER NOT NULL DEFAULT 0,
        refused INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (subscriber_id, day)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
