import type { Migration } from '../migration';

/**
 * The recorder: outside sources recorded as the segments they served, indexed by air time
 * (UTC ms); outages as gap rows (an open one has no end yet); holds that keep a range from
 * retention (notes, screenshots, clips write them); screenshot and clip jobs with who asked.
 * Segments, gaps and holds go with their source; a job's file outlives it (it is evidence).
 */
export const migration0013: Migration = {
  version: 13,
  name: 'recorder',
  up: (db) => {
    db.exec(`
      CREATE TABLE recorded_sources (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        url TEXT NOT NULL,
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        retention_days INTEGER NOT NULL CHECK (retention_days >= 1),
        disk_cap_bytes INTEGER CHECK (disk_cap_bytes IS NULL OR disk_cap_bytes > 0),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE recording_segments (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES recorded_sources(id) ON DELETE CASCADE,
        media_sequence INTEGER NOT NULL,
        start_at INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL CHECK (duration_ms > 0),
        bytes INTEGER NOT NULL,
        -- Relative to <data>/recordings.
        file TEXT NOT NULL UNIQUE,
        -- The source marked EXT-X-DISCONTINUITY before it (an encoder change, not a gap).
        discontinuity INTEGER NOT NULL CHECK (discontinuity IN (0, 1)),
        -- Start from EXT-X-PROGRAM-DATE-TIME (1) or arrival-time arithmetic (0).
        timed_by_source INTEGER NOT NULL CHECK (timed_by_source IN (0, 1)),
        source_uri TEXT NOT NULL,
        arrived_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX recording_segments_by_time ON recording_segments (source_id, start_at);

      CREATE TABLE recording_gaps (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES recorded_sources(id) ON DELETE CASCADE,
        from_at INTEGER NOT NULL,
        to_at INTEGER,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE INDEX recording_gaps_by_time ON recording_gaps (source_id, from_at);

      CREATE TABLE review_holds (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES recorded_sources(id) ON DELETE CASCADE,
        from_at INTEGER NOT NULL,
        to_at INTEGER NOT NULL CHECK (to_at >= from_at),
        reason TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX review_holds_by_time ON review_holds (source_id, from_at);

      CREATE TABLE review_jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('screenshot', 'clip')),
        source_id INTEGER NOT NULL,
        person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
        from_at INTEGER NOT NULL,
        to_at INTEGER NOT NULL,
        format TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
        progress REAL NOT NULL DEFAULT 0,
        file TEXT,
        bytes INTEGER,
        error TEXT,
        hold_id INTEGER REFERENCES review_holds(id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL,
        finished_at INTEGER
      ) STRICT;
      CREATE INDEX review_jobs_by_source ON review_jobs (source_id, id);
    `);
  },
};
