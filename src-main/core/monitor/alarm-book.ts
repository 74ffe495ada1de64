// The active alarms, one per (source, kind, item): raising what is already up does nothing,
// every change is written to the log first and then announced to every window.
import type {
  Alarm,
  AlarmKind,
  AlarmSourceKind,
  AlarmsSettings,
} from '../../../src-shared/contract';
import type { Clock } from '../clock/clock';
import type { EventBus } from '../events/event-bus';
import type { AlarmStore } from './alarm-store';

export type AlarmSubject = {
  sourceKind: AlarmSourceKind;
  sourceId: number;
  kind: AlarmKind;
  itemId?: number | null;
};

export type RaiseAlarm = AlarmSubject & { sourceName: string; message: string; at?: number };

export type AlarmBook = {
  /** Raises unless the same alarm is up or its kind is disabled; returns the new alarm. */
  raise(alarm: RaiseAlarm): Alarm | null;
  clear(subject: AlarmSubject, at?: number): Alarm | null;
  /** Clears every active alarm matching (e.g. a source that is no longer watched). */
  clearWhere(match: (alarm: Alarm) => boolean, at?: number): number;
  isActive(subject: AlarmSubject): boolean;
  acknowledge(id: number, by: string): Alarm | undefined;
  acknowledgeAll(by: string): number;
  active(): Alarm[];
};

const keyOf = (s: AlarmSubject) => `${s.sourceKind}:${s.sourceId}:${s.kind}:${s.itemId ?? ''}`;

export function createAlarmBook(options: {
  store: AlarmStore;
  bus: EventBus;
  clock: Clock;
  settings: () => AlarmsSettings;
}): AlarmBook {
  const { store, bus, clock } = options;
  store.closeStale(clock.now());
  const active = new Map<string, Alarm>();

  const clearKey = (key: string, at: number): Alarm | null => {
    const alarm = active.get(key);
    if (!alarm) return null;
    active.delete(key);
    const cleared = store.clear(alarm.id, Math.max(at, alarm.raisedAt)) ?? {
      ...alarm,
      clearedAt: at,
    };
    bus.emit('alarmChanged', { change: 'cleared', alarm: cleared });
    return cleared;
  };

  return {
    raise(input) {
      const key = keyOf(input);
      if (active.has(key)) return null;
      const kindSettings = options.settings().kinds[input.kind];
      if (!kindSettings.enabled) return null;
      const alarm = store.insert({
        sourceKind: input.sourceKind,
        sourceId: input.sourceId,
        sourceName: input.sourceName,
        kind: input.kind,
        severity: kindSettings.severity,
        itemId: input.itemId ?? null,
        raisedAt: input.at ?? clock.now(),
        message: input.message,
      });
      active.set(key, alarm);
      bus.emit('alarmChanged', { change: 'raised', alarm });
      return alarm;
    },
    clear: (subject, at) => clearKey(keyOf(subject), at ?? clock.now()),
    clearWhere(match, at) {
      let count = 0;
      for (const [key, alarm] of [...active]) {
        if (!match(alarm)) continue;
        clearKey(key, at ?? clock.now());
        count++;
      }
      return count;
    },
    isActive: (subject) => active.has(keyOf(subject)),
    acknowledge(id, by) {
      const before = store.get(id);
      if (!before) return undefined;
      if (before.acknowledgedAt !== null) return before;
      const alarm = store.acknowledge(id, clock.now(), by);
      if (!alarm) return undefined;
      for (const [key, entry] of active) if (entry.id === id) active.set(key, alarm);
      bus.emit('alarmChanged', { change: 'acknowledged', alarm });
      return alarm;
    },
    acknowledgeAll(by) {
      let count = 0;
      for (const alarm of [...active.values()]) {
        if (alarm.acknowledgedAt !== null) continue;
        if (this.acknowledge(alarm.id, by)) count++;
      }
      return count;
    },
    active: () => [...active.values()].sort((a, b) => b.id - a.id),
  };
}
