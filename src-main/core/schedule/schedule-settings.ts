import type { Database } from 'better-sqlite3';
import { ScheduleSettingsSchema, type ScheduleSettings } from '../../../src-shared/contract';
import type { EventBus } from '../events/event-bus';

export const DEFAULT_LOCK_HORIZON_MS = 5 * 60_000;

/**
 * Schedule-only settings in their own table (the station settings belong to another service).
 * Read on every commit, so it is cached and written through.
 */
export function createScheduleSettings(db: Database, bus: EventBus, now: () => number) {
  const select = db.prepare<[string], { value: string }>(
    'SELECT value FROM schedule_settings WHERE key = ?',
  );
  const upsert = db.prepare<[string, string, number]>(
    'INSERT INTO schedule_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  let cached: ScheduleSettings | undefined;

  function get(): ScheduleSettings {
    if (cached) return cached;
    let lockHorizonMs = DEFAULT_LOCK_HORIZON_MS;
    const row = select.get('lockHorizonMs');
    if (row) {
      try {
        const parsed = ScheduleSettingsSchema.shape.lockHorizonMs.safeParse(JSON.parse(row.value));
        if (parsed.success) lockHorizonMs = parsed.data;
      } catch {
        // A damaged value falls back to the default rather than blocking the schedule.
      }
    }
    cached = { lockHorizonMs };
    return cached;
  }

  return {
    get,
    set(next: ScheduleSettings): ScheduleSettings {
      upsert.run('lockHorizonMs', JSON.stringify(next.lockHorizonMs), now());
      cached = { lockHorizonMs: next.lockHorizonMs };
      bus.emit('scheduleSettingsChanged', cached);
      return cached;
    },
  };
}
export type ScheduleSettingsStore = ReturnType<typeof createScheduleSettings>;
