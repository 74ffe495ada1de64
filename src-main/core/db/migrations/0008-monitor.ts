import type { Migration } from '../migration';

/**
 * Monitoring: outside live streams, the alarm log and the alarm settings.
 *
 * An alarm row is written when it is raised and updated when it clears or is acknowledged,
 * so the log survives a restart. Alarms still active when the core stopped are closed at the
 * next start (their detectors raise them again if the condition holds). `source_name` is a
 * copy: the log outlives a removed channel or source.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'monitor',
  up: (db) => {
    db.exec(`
      CREATE TABLE monitor_sources (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        url TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        probe_json TEXT,
        probe_error TEXT,
        probed_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE alarms (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source_kind TEXT NOT NULL CHECK (source_kind IN ('channel', 'outside', 'asset', 'station')),
        source_id INTEGER NOT NULL,
        source_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        item_id INTEGER,
        raised_at INTEGER NOT NULL,
        cleared_at INTEGER,
        acknowledged_at INTEGER,
        acknowledged_by TEXT,
        message TEXT NOT NULL
      ) STRICT;
      CREATE INDEX alarms_active ON alarms(id) WHERE cleared_at IS NULL;
      CREATE INDEX alarms_source ON alarms(source_kind, source_id, id);
      CREATE INDEX alarms_kind ON alarms(kind, id);

      -- One JSON value per key, like settings.
      CREATE TABLE monitor_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
