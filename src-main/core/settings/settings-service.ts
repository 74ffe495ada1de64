import type { Database } from 'better-sqlite3';
import { SettingsSchema, type Settings, type SettingsPatch } from '../../../src-shared/contract';
import type { EventBus } from '../events/event-bus';

/**
 * Settings are stored one key per row as JSON so a new setting needs no migration; the zod
 * schema supplies defaults and drops values a newer or older build no longer understands.
 */
export function createSettingsService(db: Database, bus: EventBus, now: () => number) {
  // The table also keeps other features' records (report templates and history, the shift
  // rules): reading only the settings' own keys keeps every settings read from parsing them.
  const ownKeys = Object.keys(SettingsSchema.shape);
  const selectOwn = db.prepare<string[], { key: string; value: string }>(
    `SELECT key, value FROM settings WHERE key IN (${ownKeys.map(() => '?').join(', ')})`,
  );
  const upsert = db.prepare<[string, string, number]>(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );

  function read(): Settings {
    const raw: Record<string, unknown> = {};
    for (const row of selectOwn.all(...ownKeys)) {
      try {
        raw[row.key] = JSON.parse(row.value);
      } catch {
        // A hand-edited or damaged value falls back to its default instead of blocking start-up.
      }
    }
    const parsed = SettingsSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    // Keep the valid keys, default the rest.
    const valid: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (SettingsSchema.safeParse({ [key]: value }).success) valid[key] = value;
    }
    return SettingsSchema.parse(valid);
  }

  const writePatch = db.transaction((patch: SettingsPatch) => {
    const at = now();
    // Nested objects are merged into what is stored: a patch names only the fields it changes.
    const merged: Record<string, unknown> = { ...patch };
    if (patch.houseProfile !== undefined) {
      merged.houseProfile = { ...read().houseProfile, ...patch.houseProfile };
    }
    for (const [key, value] of Object.entries(merged)) {
      if (value !== undefined) upsert.run(key, JSON.stringify(value), at);
    }
  });

  return {
    get: read,
    set(patch: SettingsPatch): Settings {
      writePatch(patch);
      const settings = read();
      bus.emit('settingsChanged', settings);
      return settings;
    },
  };
}
export type SettingsService = ReturnType<typeof createSettingsService>;
