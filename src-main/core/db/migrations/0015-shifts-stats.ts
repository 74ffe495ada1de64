import type { Migration } from '../migration';

/**
 * Shift planning (single shifts, recurring series, templates, time off, settings) and the
 * desk statistics: one row per person-minute and source-minute with integer columns, keyed by
 * the minute's UTC start (WITHOUT ROWID: the key is the row, about 40 bytes each).
 *
 * It also admits the `manager` role. SQLite cannot alter a CHECK, and rebuilding `people`
 * would cascade-delete every row that references it (sessions, and whatever later features
 * hang on people). Widening the IN list is the case SQLite documents for editing the stored
 * schema text (ALTER TABLE, "other kinds of table schema changes"): existing rows stay valid,
 * the file format does not change, and schema_version is bumped so every connection re-reads it.
 */
export const migration0015: Migration = {
  version: 15,
  name: 'shifts-stats',
  up: (db) => {
    const people = db
      .prepare<[], { sql: string }>(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'people'",
      )
      .get();
    const narrow = "'editor','viewer')";
    if (people && people.sql.includes(narrow)) {
      const version = db.pragma('schema_version', { simple: true }) as number;
      db.unsafeMode(true);
      try {
        db.pragma('writable_schema = ON');
        db.prepare(
          "UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'people'",
        ).run(narrow, "'editor','viewer','manager')");
        db.pragma(`schema_version = ${version + 1}`);
        db.pragma('writable_schema = OFF');
      } finally {
        db.unsafeMode(false);
      }
    }

    db.exec(`
      CREATE TABLE shift_templates (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        kind TEXT NOT NULL CHECK (kind IN ('early','late','night','custom')),
        start_time TEXT NOT NULL,
        duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440)
      ) STRICT;
      INSERT INTO shift_templates (name, kind, start_time, duration_minutes) VALUES
        ('Early', 'early', '06:00', 480),
        ('Late', 'late', '14:00', 480),
        ('Night', 'night', '22:00', 480);

      CREATE TABLE shifts (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        start_at INTEGER NOT NULL,
        end_at INTEGER NOT NULL CHECK (end_at > start_at),
        kind TEXT NOT NULL CHECK (kind IN ('early','late','night','custom')),
        channel_ids TEXT NOT NULL CHECK (json_valid(channel_ids)),
        source_ids TEXT NOT NULL CHECK (json_valid(source_ids)),
        note TEXT NOT NULL,
        created_by INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX shifts_start ON shifts(start_at);

      CREATE TABLE shift_series (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        rrule TEXT NOT NULL,
        start_date TEXT NOT NULL,
        start_time TEXT NOT NULL,
        duration_minutes INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('early','late','night','custom')),
        channel_ids TEXT NOT NULL CHECK (json_valid(channel_ids)),
        source_ids TEXT NOT NULL CHECK (json_valid(source_ids)),
        note TEXT NOT NULL,
        exceptions TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(exceptions)),
        created_by INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE time_off (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        start_at INTEGER NOT NULL,
        end_at INTEGER NOT NULL CHECK (end_at > start_at),
        reason TEXT NOT NULL,
        created_by INTEGER,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX time_off_span ON time_off(start_at, end_at);

      CREATE TABLE shift_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        min_rest_minutes INTEGER NOT NULL,
        cover_channel_ids TEXT NOT NULL CHECK (json_valid(cover_channel_ids)),
        cover_source_ids TEXT NOT NULL CHECK (json_valid(cover_source_ids)),
        stats_retention_days INTEGER NOT NULL
      ) STRICT;
      INSERT INTO shift_settings VALUES (1, 660, '[]', '[]', 400);

      -- Statistics outlive accounts (a report on last year names who was there), so no FK.
      CREATE TABLE person_minutes (
        person_id INTEGER NOT NULL,
        minute INTEGER NOT NULL,
        signed_in_ms INTEGER NOT NULL,
        active_ms INTEGER NOT NULL,
        sources_open INTEGER NOT NULL,
        play_1x_ms INTEGER NOT NULL,
        play_2x_ms INTEGER NOT NULL,
        play_4x_ms INTEGER NOT NULL,
        play_8x_ms INTEGER NOT NULL,
        play_16x_ms INTEGER NOT NULL,
        notes INTEGER NOT NULL,
        characters INTEGER NOT NULL,
        screenshots INTEGER NOT NULL,
        clips INTEGER NOT NULL,
        PRIMARY KEY (person_id, minute)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX person_minutes_minute ON person_minutes(minute);

      CREATE TABLE source_minutes (
        source_id INTEGER NOT NULL,
        minute INTEGER NOT NULL,
        reviewed_ms INTEGER NOT NULL,
        PRIMARY KEY (source_id, minute)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX source_minutes_minute ON source_minutes(minute);
    `);
  },
};
