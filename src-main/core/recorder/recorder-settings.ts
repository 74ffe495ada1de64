// The recorder's own settings, one JSON value per key (migration 0020); defaults come from the
// feature's options so tests and small machines can start with their own.
import type { Database } from 'better-sqlite3';
import { RecorderSettingsSchema, type RecorderSettings } from '../../../src-shared/contract';

export function createRecorderSettings(db: Database, defaults: RecorderSettings) {
  const all = db.prepare<[], { key: string; value: string }>(
    'SELECT key, value FROM recorder_settings',
  );
  const upsert = db.prepare<[string, string]>(
    'INSERT INTO recorder_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const read = (): RecorderSettings => {
    const stored: Record<string, unknown> = {};
    for (const row of all.all()) stored[row.key] = JSON.parse(row.value) as unknown;
    const parsed = RecorderSettingsSchema.partial().safeParse(stored);
    return { ...defaults, ...(parsed.success ? parsed.data : {}) };
  };
  return {
    get: read,
    set(patch: Partial<RecorderSettings>): RecorderSettings {
      db.transaction(() => {
        for (const [key, value] of Object.entries(patch))
          if (value !== undefined) upsert.run(key, JSON.stringify(value));
      })();
      return read();
    },
  };
}
