import type { Database } from 'better-sqlite3';
import type { MethodName } from '../../../src-shared/contract';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

/**
 * Schedule edits that name items rather than channels (move, trim, delete, batch): the channels
 * those items are on, so a person limited to some channels cannot edit another's items. Items
 * that do not exist resolve to nothing; the handler answers not_found for them.
 */
export function createChannelResolver(db: Database) {
  const channelOfItem = db.prepare<[number], { channel_id: number }>(
    'SELECT channel_id FROM schedule_items WHERE id = ?',
  );
  return (method: MethodName, request: unknown): number[] => {
    if (!method.startsWith('schedule') || !isObj(request)) return [];
    const itemIds: number[] = [];
    const channels: number[] = [];
    const take = (value: unknown) => {
      if (typeof value === 'number') itemIds.push(value);
    };
    take(request.id);
    if (Array.isArray(request.ids)) request.ids.forEach(take);
    if (typeof request.targetChannelId === 'number') channels.push(request.targetChannelId);
    for (const list of [request.items, request.ops]) {
      if (!Array.isArray(list)) continue;
      for (const entry of list) {
        if (!isObj(entry)) continue;
        take(entry.id);
        if (isObj(entry.item) && typeof entry.item.channelId === 'number')
          channels.push(entry.item.channelId);
        if (isObj(entry.set) && typeof entry.set.channelId === 'number')
          channels.push(entry.set.channelId);
      }
    }
    for (const id of itemIds) {
      const row = channelOfItem.get(id);
      if (row) channels.push(row.channel_id);
    }
    return channels;
  };
}
