// The push targets as stored (table push_outputs, migration 0007), joined with what the
// runtime needs of their channel.
import type { Database } from 'better-sqlite3';

export type PushOutputRow = {
  channelId: number;
  url: string;
  enabled: boolean;
  updatedAt: number;
  slug: string;
  channelEnabled: boolean;
};

type RawRow = {
  channel_id: number;
  url: string;
  enabled: number;
  updated_at: number;
  slug: string;
  channel_enabled: number;
};

export function createPushOutputsStore(db: Database, now: () => number) {
  const list = db.prepare<[], RawRow>(
    `SELECT p.channel_id, p.url, p.enabled, p.updated_at, c.slug, c.enabled AS channel_enabled
       FROM push_outputs p JOIN channels c ON c.id = p.channel_id
      ORDER BY c.sort_order, c.number, c.id`,
  );
  const upsert = db.prepare<[number, string, number, number]>(
    `INSERT INTO push_outputs (channel_id, url, enabled, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(channel_id) DO UPDATE
       SET url = excluded.url, enabled = excluded.enabled, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare<[number]>('DELETE FROM push_outputs WHERE channel_id = ?');
  const channel = db.prepare<[number], { id: number }>('SELECT id FROM channels WHERE id = ?');

  return {
    list: (): PushOutputRow[] =>
      list.all().map((r) => ({
        channelId: r.channel_id,
        url: r.url,
        enabled: r.enabled === 1,
        updatedAt: r.updated_at,
        slug: r.slug,
        channelEnabled: r.channel_enabled === 1,
      })),
    channelExists: (channelId: number) => channel.get(channelId) !== undefined,
    set(channelId: number, url: string, enabled: boolean): void {
      upsert.run(channelId, url, enabled ? 1 : 0, now());
    },
    remove(channelId: number): void {
      remove.run(channelId);
    },
  };
}
export type PushOutputsStore = ReturnType<typeof createPushOutputsStore>;
