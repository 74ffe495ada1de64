import type { Migration } from '../migration';

/**
 * Audience history: one row per channel-minute (distinct viewers seen in that minute and the
 * watch time their segments stand for), keyed by the minute's start (UTC ms)
 * (WITHOUT ROWID: the key is the row, four integers), and one row per viewing session (a
 * viewer's unbroken run of fetches on a channel) for unique viewers across any window. A
 * viewer is a 53-bit hash, never an address or a User-Agent. Both are pruned by age
 * (Settings → audience retention); deleting a channel drops its history.
 */
export const migration0019: Migration = {
  version: 19,
  name: 'audience',
  up: (db) => {
    db.exec(`
      CREATE TABLE audience_minutes (
        channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        minute_at INTEGER NOT NULL,
        viewers INTEGER NOT NULL,
        watch_ms INTEGER NOT NULL,
        PRIMARY KEY (channel_id, minute_at)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX audience_minutes_minute ON audience_minutes(minute_at);

      CREATE TABLE audience_sessions (
        id INTEGER PRIMARY KEY,
        channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        viewer INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at INTEGER NOT NULL,
        watch_ms INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX audience_sessions_channel_end ON audience_sessions(channel_id, ended_at);
      CREATE INDEX audience_sessions_end ON audience_sessions(ended_at);
    `);
  },
};
