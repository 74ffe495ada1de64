import { OutputsSettingsSchema, type OutputsSettings } from '../../../src-shared/contract';
import type { EventBus } from '../events/event-bus';
import { tokenMatches } from '../http/token';
import type { PlayoutStore } from './playout-store';

const KEY = 'outputs';
const DEFAULTS: OutputsSettings = { requireKey: false, key: '' };

/** Public outputs need no token; a station can require `?key=` on every output URL. */
export function createOutputsSettings(store: PlayoutStore, bus: EventBus) {
  let cached: OutputsSettings | undefined;
  function get(): OutputsSettings {
    if (cached) return cached;
    try {
      const parsed = OutputsSettingsSchema.safeParse(JSON.parse(store.setting(KEY) ?? 'null'));
      cached = parsed.success ? parsed.data : DEFAULTS;
    } catch {
      cached = DEFAULTS;
    }
    return cached;
  }
  return {
    get,
    set(next: OutputsSettings): OutputsSettings {
      store.saveSetting(KEY, JSON.stringify(next));
      cached = { ...next };
      bus.emit('outputsSettingsChanged', cached);
      return cached;
    },
    /** True when a request with this `key` query value may read public outputs. */
    allows(key: unknown): boolean {
      const settings = get();
      return !settings.requireKey || tokenMatches(settings.key, key);
    },
  };
}
export type OutputsSettingsStore = ReturnType<typeof createOutputsSettings>;
