// Media not ready before air: scheduled items starting within the horizon on enabled
// channels whose asset is not ready. Read from the assets that are not ready (few, even in a
// large library) to their schedule items: reading every channel's horizon instead walked
// over a million rows on 500 channels, a quarter-second block every half minute. CROSS JOIN
// keeps that order (SQLite does not reorder it).
import type { Database } from 'better-sqlite3';

export type UnreadyItem = {
  itemId: number;
  channelId: number;
  channelName: string;
  startsAt: number;
  assetName: string;
  assetState: string;
};

/** Exported so a test can check SQLite's plan for it. */
export const MEDIA_READINESS_SQL = `SELECT si.id AS itemId, c.id AS channelId, c.name AS channelName, si.starts_at AS startsAt,
            a.name AS assetName, a.state AS assetState
       FROM assets a
       CROSS JOIN schedule_items si ON si.asset_id = a.id
       CROSS JOIN channels c ON c.id = si.channel_id
      WHERE a.state <> 'ready' AND si.starts_at >= ? AND si.starts_at < ?
        AND si.kind = 'asset' AND c.enabled = 1
      ORDER BY si.starts_at`;

export function createMediaReadinessQuery(
  db: Database,
): (now: number, horizonMs: number) => UnreadyItem[] {
  const statement = db.prepare<[number, number], UnreadyItem>(MEDIA_READINESS_SQL);
  return (now, horizonMs) => statement.all(now, now + horizonMs);
}
