import type { Migration } from '../migration';

/**
 * The integrator API: keys (only the SHA-256 of the secret is kept, with a visible prefix),
 * usage per key per UTC day, the retained event log the SSE stream resumes from, and each
 * key's webhook endpoints with their delivery log.
 */
export const migration0017: Migration = {
  version: 17,
  name: 'api-keys',
  up: (db) => {
    db.exec(`
      CREATE TABLE api_keys (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('live','test')),
        prefix TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        channels TEXT,
        requests_per_minute INTEGER NOT NULL,
        event_streams INTEGER NOT NULL,
        webhook_endpoints INTEGER NOT NULL,
        expires_at INTEGER,
        created_at INTEGER NOT NULL,
        created_by INTEGER,
        created_by_name TEXT NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      ) STRICT;
      CREATE TABLE api_key_usage (
        key_id INTEGER NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        requests INTEGER NOT NULL DEFAULT 0,
        limited INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (key_id, day)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE api_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        type TEXT NOT NULL,
        channel_id INTEGER,
        data TEXT NOT NULL
      ) STRICT;
      CREATE INDEX api_events_at ON api_events(at);
      CREATE TABLE api_webhooks (
        id INTEGER PRIMARY KEY,
        key_id INTEGER NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        secret TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX api_webhooks_key ON api_webhooks(key_id);
      CREATE TABLE api_webhook_deliveries (
        id INTEGER PRIMARY KEY,
        webhook_id INTEGER NOT NULL REFERENCES api_webhooks(id) ON DELETE CASCADE,
        message_id TEXT NOT NULL,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('pending','delivered','failed')),
        last_code INTEGER,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        next_at INTEGER
      ) STRICT;
      CREATE INDEX api_webhook_deliveries_hook ON api_webhook_deliveries(webhook_id, id);
      CREATE INDEX api_webhook_deliveries_due ON api_webhook_deliveries(status, next_at);
    `);
  },
};
