// Media not ready before air: scheduled items starting within the horizon on enabled
// channels whose asset is not ready. One indexed range read per channel.
import type { Database } from 'better-sqlite3';

export type UnreadyItem = {
  itemId: number;
  channelId: number;
  channelName: string;
  startsAt: number;
  assetName: string;
  assetState: string;
};

export function createMediaReadinessQuery(
  db: Database,
): (now: number, horizonMs: number) => UnreadyItem[] {
  const statement = db.prepare<[number, number], UnreadyItem>(
    `SELECT si.id AS itemId, c.id AS channelId, c.name AS channelName, si.starts_at AS startsAt,
            a.name AS assetName, a.state AS assetState
       FROM channels c
       JOIN schedule_items si ON si.channel_id = c.id AND si.starts_at >= ? AND si.starts_at < ?
       JOIN assets a ON a.id = si.asset_id
      WHERE c.enabled = 1 AND si.kind = 'asset' AND a.state <> 'ready'
      ORDER BY si.starts_at`,
  );
  return (now, horizonMs) => statement.all(now, now + horizonMs);
}
