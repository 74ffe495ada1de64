import { AlarmsSettingsSchema, type AlarmsSettings } from '../../../src-shared/contract';
import type { Database } from 'better-sqlite3';

/** Station defaults: short blips are ignored, loss of signal is reported at once. */
export const DEFAULT_ALARMS_SETTINGS: AlarmsSettings = {
  kinds: {
    black: { enabled: true, severity: 'critical', setDelayMs: 2000, clearDelayMs: 2000 },
    freeze: { enabled: true, severity: 'warning', setDelayMs: 8000, clearDelayMs: 2000 },
    silence: { enabled: true, severity: 'warning', setDelayMs: 8000, clearDelayMs: 2000 },
    stalled: { enabled: true, severity: 'critical', setDelayMs: 0, clearDelayMs: 2000 },
    offline: { enabled: true, severity: 'critical', setDelayMs: 0, clearDelayMs: 2000 },
    'media-not-ready': { enabled: true, severity: 'warning', setDelayMs: 0, clearDelayMs: 0 },
    playout: { enabled: true, severity: 'critical', setDelayMs: 0, clearDelayMs: 0 },
    'low-disk': { enabled: true, severity: 'critical', setDelayMs: 0, clearDelayMs: 0 },
  },
  thresholds: {
    blackPictureRatio: 0.98,
    blackPixelLevel: 0.1,
    freezeNoiseDb: -60,
    silenceNoiseDb: -60,
    detectMinMs: 2000,
    stalledAfterMs: 10_000,
    mediaNotReadyHorizonMs: 2 * 3_600_000,
  },
  monitoredChannelsCap: 16,
  sound: false,
};

const KEY = 'alarms';

export type AlarmsSettingsStore = {
  get(): AlarmsSettings;
  set(next: AlarmsSettings): AlarmsSettings;
};

/** Read once, then served from memory; a stored value from an older version is completed. */
export function createAlarmsSettingsStore(db: Database): AlarmsSettingsStore {
  const read = db.prepare<[string], { value: string }>(
    'SELECT value FROM monitor_settings WHERE key = ?',
  );
  const write = db.prepare<[string, string]>(
    `INSERT INTO monitor_settings (key, value) VALUES (?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
  );
  let current = DEFAULT_ALARMS_SETTINGS;
  const row = read.get(KEY);
  if (row) {
    try {
      const stored = JSON.parse(row.value) as Partial<AlarmsSettings>;
      const merged = {
        ...DEFAULT_ALARMS_SETTINGS,
        ...stored,
        kinds: { ...DEFAULT_ALARMS_SETTINGS.kinds, ...stored.kinds },
        thresholds: { ...DEFAULT_ALARMS_SETTINGS.thresholds, ...stored.thresholds },
      };
      const parsed = AlarmsSettingsSchema.safeParse(merged);
      if (parsed.success) current = parsed.data;
    } catch {
      // A damaged value falls back to the defaults; the next save replaces it.
    }
  }
  return {
    get: () => current,
    set(next) {
      write.run(KEY, JSON.stringify(next));
      current = next;
      return current;
    },
  };
}
