import type { Migration } from '../migration';

/**
 * The clip registry and its delivery, and the recorder's own settings.
 *
 * Batches: clips of several sources of one moment asked for at once; each clip stays a row of
 * review_jobs (its own file, hold and progress) and names its batch. Targets: where finished
 * clips go, a folder on the server's disk or a storage location (S3) with a key prefix, each
 * optionally delivering every new clip by itself. Deliveries: one row per clip and target with
 * its state, attempts and the error of the last one, so the desk shows it and a person retries.
 * Recorder settings: key/JSON rows (the low-disk threshold of the recordings' disk).
 */
export const migration0020: Migration = {
  version: 20,
  name: 'clip-registry',
  up: (db) => {
    db.exec(`
      CREATE TABLE review_batches (
        id INTEGER PRIMARY KEY,
        person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
        from_at INTEGER NOT NULL,
        to_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      ALTER TABLE review_jobs ADD COLUMN batch_id INTEGER REFERENCES review_batches(id) ON DELETE SET NULL;
      CREATE INDEX review_jobs_by_batch ON review_jobs (batch_id) WHERE batch_id IS NOT NULL;

      CREATE TABLE clip_targets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        kind TEXT NOT NULL CHECK (kind IN ('folder', 's3')),
        folder TEXT,
        location_id INTEGER REFERENCES storage_locations(id) ON DELETE CASCADE,
        prefix TEXT NOT NULL DEFAULT '',
        auto_deliver INTEGER NOT NULL DEFAULT 0 CHECK (auto_deliver IN (0, 1)),
        created_at INTEGER NOT NULL,
        CHECK ((kind = 'folder') = (folder IS NOT NULL)),
        CHECK ((kind = 's3') = (location_id IS NOT NULL))
      ) STRICT;

      CREATE TABLE clip_deliveries (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES review_jobs(id) ON DELETE CASCADE,
        target_id INTEGER NOT NULL REFERENCES clip_targets(id) ON DELETE CASCADE,
        person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        destination TEXT,
        bytes INTEGER,
        error TEXT,
        created_at INTEGER NOT NULL,
        finished_at INTEGER,
        UNIQUE (job_id, target_id)
      ) STRICT;
      CREATE INDEX clip_deliveries_by_state ON clip_deliveries (state) WHERE state IN ('queued', 'running');

      CREATE TABLE recorder_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value))
      ) STRICT;
    `);
  },
};
