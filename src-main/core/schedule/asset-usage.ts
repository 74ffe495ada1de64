import type { Database } from 'better-sqlite3';

export type AssetUsage = {
  assetId: number;
  channelId: number;
  channelName: string;
  itemId: number;
  startsAt: number;
};

/**
 * Where assets appear on any channel's schedule (past items included: the as-run history and
 * the EPG still point at them). Used before a delete so nothing disappears from air silently.
 */
export function createAssetUsageFinder(db: Database) {
  const forOne = db.prepare<[number], AssetUsage>(`
    SELECT i.asset_id AS assetId, c.id AS channelId, c.name AS channelName, i.id AS itemId, i.starts_at AS startsAt
    FROM schedule_items i JOIN channels c ON c.id = i.channel_id
    WHERE i.asset_id = ? ORDER BY i.starts_at`);
  return (assetIds: readonly number[]): AssetUsage[] => assetIds.flatMap((id) => forOne.all(id));
}
