/** Query keys of the schedule feature; all under the `schedule` prefix (see app/api/query-keys.ts). */
export type RangeKey = { channelIds: number[]; from: number; to: number };

export const scheduleKeys = {
  all: ['schedule'] as const,
  channels: ['schedule', 'channels'] as const,
  settings: ['schedule', 'settings'] as const,
  templates: ['schedule', 'templates'] as const,
  ranges: ['schedule', 'range'] as const,
  range: (key: RangeKey) => ['schedule', 'range', key] as const,
};
