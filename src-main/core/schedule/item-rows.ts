import type { Database } from 'better-sqlite3';
import type { AssetState, ItemSnapshot, ScheduleItem } from '../../../src-shared/contract';
import type { Span } from '../../../src-shared/timeline';

export type ItemRow = {
  id: number;
  channel_id: number;
  kind: 'asset' | 'break';
  asset_id: number | null;
  parent_item_id: number | null;
  offset_ms: number | null;
  starts_at: number;
  duration_ms: number;
  in_ms: number;
  breaks_ms: number;
  title: string | null;
  category: string | null;
  version: number;
  asset_name: string | null;
  asset_state: AssetState | null;
  asset_duration_ms: number | null;
};

/** One select for every read, so the range view, events and conflicts show the same fields. */
export const ITEM_SELECT = `
  SELECT i.id, i.channel_id, i.kind, i.asset_id, i.parent_item_id, i.offset_ms, i.starts_at,
    i.duration_ms, i.in_ms, i.breaks_ms, i.title, i.category, i.version,
    a.name AS asset_name, a.state AS asset_state, a.duration_ms AS asset_duration_ms
  FROM schedule_items i LEFT JOIN assets a ON a.id = i.asset_id`;

export function toItem(row: ItemRow): ScheduleItem {
  return {
    id: row.id,
    channelId: row.channel_id,
    kind: row.kind,
    assetId: row.asset_id,
    parentItemId: row.parent_item_id,
    offsetMs: row.offset_ms,
    startsAt: row.starts_at,
    durationMs: row.duration_ms,
    inMs: row.in_ms,
    breaksMs: row.breaks_ms,
    endsAt: row.starts_at + row.duration_ms + row.breaks_ms,
    title: row.title,
    category: row.category,
    version: row.version,
    asset:
      row.asset_name !== null && row.asset_state !== null
        ? { name: row.asset_name, state: row.asset_state, durationMs: row.asset_duration_ms }
        : null,
  };
}

export function toSnapshot(row: ItemRow): ItemSnapshot {
  return {
    channelId: row.channel_id,
    kind: row.kind,
    assetId: row.asset_id,
    parentItemId: row.parent_item_id,
    offsetMs: row.offset_ms,
    startsAt: row.starts_at,
    durationMs: row.duration_ms,
    inMs: row.in_ms,
    title: row.title,
    category: row.category,
  };
}

/** A top-level item's whole air time as a timeline span. */
export const toSpan = (
  row: Pick<ItemRow, 'id' | 'starts_at' | 'duration_ms' | 'breaks_ms'>,
): Span => ({
  id: row.id,
  start: row.starts_at,
  duration: row.duration_ms + row.breaks_ms,
});

export function createItemReader(db: Database) {
  const byId = db.prepare<[number], ItemRow>(`${ITEM_SELECT} WHERE i.id = ?`);
  const children = db.prepare<[number], ItemRow>(
    `${ITEM_SELECT} WHERE i.parent_item_id = ? ORDER BY i.offset_ms, i.id`,
  );
  // Top-level items touching [from, to): those starting inside, and the one running into it.
  const topStarting = db.prepare<[number, number, number], ItemRow>(
    `${ITEM_SELECT} WHERE i.channel_id = ? AND i.parent_item_id IS NULL AND i.starts_at >= ? AND i.starts_at < ? ORDER BY i.starts_at, i.id`,
  );
  const topBefore = db.prepare<[number, number], ItemRow>(
    `${ITEM_SELECT} WHERE i.channel_id = ? AND i.parent_item_id IS NULL AND i.starts_at < ? ORDER BY i.starts_at DESC, i.id DESC LIMIT 1`,
  );
  const allStarting = db.prepare<[number, number, number], ItemRow>(
    `${ITEM_SELECT} WHERE i.channel_id = ? AND i.starts_at >= ? AND i.starts_at < ? ORDER BY i.starts_at, i.id`,
  );
  const lastTop = db.prepare<[number], ItemRow>(
    `${ITEM_SELECT} WHERE i.channel_id = ? AND i.parent_item_id IS NULL ORDER BY i.starts_at DESC, i.id DESC LIMIT 1`,
  );

  const runningInto = (channelId: number, at: number): ItemRow | undefined => {
    const row = topBefore.get(channelId, at);
    return row && row.starts_at + row.duration_ms + row.breaks_ms > at ? row : undefined;
  };

  return {
    byId: (id: number) => byId.get(id),
    children: (id: number) => children.all(id),
    /** The top-level item with the latest start before `at` (running into it or not). */
    previous: (channelId: number, at: number) => topBefore.get(channelId, at),
    last: (channelId: number) => lastTop.get(channelId),
    runningInto,
    /** Top-level items on air at any moment of [from, to), in start order. */
    topInRange(channelId: number, from: number, to: number): ItemRow[] {
      const before = runningInto(channelId, from);
      const inside = topStarting.all(channelId, from, to);
      return before ? [before, ...inside] : inside;
    },
    /** Everything starting in [from, to) (inner breaks too) plus the programme running into it. */
    allInRange(channelId: number, from: number, to: number): ItemRow[] {
      const before = runningInto(channelId, from);
      const inside = allStarting.all(channelId, from, to);
      return before ? [before, ...inside] : inside;
    },
  };
}
export type ItemReader = ReturnType<typeof createItemReader>;
