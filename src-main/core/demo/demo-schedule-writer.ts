// Writes planned demo schedules straight into SQLite in one transaction. The editing engine
// checks every item against its neighbours and answers with the changed items, which is right
// for an operator's edit and far too slow for 500 channels × 24 h (over a million rows): the
// demo's plan is correct by construction (no overlaps, breaks inside their programme, durations
// within the media), so here the rows are written as the engine would store them.
import type { Database } from 'better-sqlite3';
import type { EventBus } from '../events/event-bus';
import type { PlannedItem } from './demo-plan';

export type ChannelSchedule = { channelId: number; items: readonly PlannedItem[] };

export function createDemoScheduleWriter(db: Database, bus: EventBus) {
  const insert = db.prepare<
    [
      number,
      string,
      number | null,
      number | null,
      number | null,
      number,
      number,
      number,
      string,
      string,
      number,
      number,
    ]
  >(
    `INSERT INTO schedule_items (channel_id, kind, asset_id, parent_item_id, offset_ms, starts_at, duration_ms, in_ms, breaks_ms, title, category, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
  );
  // Bumped by two: windows holding this channel see a jump past the next version and fetch the
  // range again, rather than being sent every item in an event.
  const bump = db.prepare<[number], { schedule_version: number }>(
    'UPDATE channels SET schedule_version = schedule_version + 2 WHERE id = ? RETURNING schedule_version',
  );

  /**
   * Returns the number of rows written; one `scheduleChanged` per channel after the commit.
   * `schedules` may be a generator: planning one channel at a time keeps a million rows from
   * being held in memory at once.
   */
  return (schedules: Iterable<ChannelSchedule>, now: number): number => {
    const versions: { channelId: number; scheduleVersion: number }[] = [];
    const write = db.transaction(() => {
      let rows = 0;
      for (const { channelId, items } of schedules) {
        for (const item of items) {
          const breaksMs = item.breaks.reduce((sum, b) => sum + b.durationMs, 0);
          const parent = insert.run(
            channelId,
            item.kind,
            item.assetId,
            null,
            null,
            item.startsAt,
            item.durationMs,
            breaksMs,
            item.title,
            item.category,
            now,
            now,
          );
          rows += 1;
          // Inner breaks start where the engine derives them: programme start + offset + the
          // breaks before this one.
          let before = 0;
          for (const inner of item.breaks) {
            insert.run(
              channelId,
              'break',
              null,
              Number(parent.lastInsertRowid),
              inner.offsetMs,
              item.startsAt + inner.offsetMs + before,
              inner.durationMs,
              0,
              inner.title,
              'Break',
              now,
              now,
            );
            before += inner.durationMs;
            rows += 1;
          }
        }
        const bumped = bump.get(channelId);
        if (bumped) versions.push({ channelId, scheduleVersion: bumped.schedule_version });
      }
      return rows;
    });
    const rows = write();
    for (const v of versions) bus.emit('scheduleChanged', { ...v, changed: [], removed: [] });
    return rows;
  };
}
