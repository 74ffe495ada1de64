import type { Migration } from '../migration';

/**
 * How each asset was ingested: `remux` (the source's video copied as it is) or `transcode`.
 * Useful to operators ("why did this take so long?") and to tests that check the decision.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'ingest',
  up: (db) => {
    db.exec(`
      ALTER TABLE assets ADD COLUMN ingest_method TEXT
        CHECK (ingest_method IS NULL OR ingest_method IN ('remux', 'transcode'));
    `);
  },
};
