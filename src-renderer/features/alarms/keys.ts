import type { AlarmKind, AlarmSourceKind } from '../../../src-shared/contract';

/** Query keys of the alarms screen. Dropped when it closes (gcTime 0): events patch them only while it is open. */
export type AlarmLogFilter = {
  kind?: AlarmKind;
  sourceKind?: AlarmSourceKind;
};

export const alarmsKeys = {
  all: ['alarms'] as const,
  active: ['alarms', 'active'] as const,
  logs: ['alarms', 'log'] as const,
  log: (filter: AlarmLogFilter) => ['alarms', 'log', filter] as const,
  settings: ['alarms', 'settings'] as const,
  sources: ['alarms', 'sources'] as const,
};
