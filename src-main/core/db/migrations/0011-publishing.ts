import type { Migration } from '../migration';

/**
 * Publishing house renditions to storage locations (see storage/publisher.ts).
 *
 * `rendition_profiles` remembers the house profile each ready asset's renditions were made with
 * (the station's profile may change afterwards), so what is published is named by the profile
 * that actually made it.
 *
 * `published_renditions` holds one row per asset and location once a pass has tried it:
 * `published` (the manifest is in the bucket) or `failed` (retried on the next pass). `exact`
 * says the objects are byte for byte this Airdeck's files (their ETags are the files' MD5s);
 * only then may playlists send players to them. A row whose bucket or folder no longer matches
 * its location is stale and published again.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'publishing',
  up: (db) => {
    db.exec(`
      CREATE TABLE rendition_profiles (
        asset_id INTEGER PRIMARY KEY REFERENCES assets(id) ON DELETE CASCADE,
        profile_fp TEXT NOT NULL,
        profile_json TEXT NOT NULL
      ) STRICT;

      CREATE TABLE published_renditions (
        asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
        location_id INTEGER NOT NULL REFERENCES storage_locations(id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('published', 'failed')),
        bucket TEXT NOT NULL,
        -- The folder of the renditions, ending with '/': <prefix>airdeck/renditions/<profile>/<source>/
        key_prefix TEXT NOT NULL,
        exact INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (asset_id, location_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX published_renditions_location ON published_renditions(location_id, state);
    `);
  },
};
