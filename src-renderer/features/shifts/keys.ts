/** Query keys of the Shifts, Team and Reports screens. */
export const shiftKeys = {
  all: ['shifts'] as const,
  ranges: ['shifts', 'range'] as const,
  range: (from: number, to: number) => ['shifts', 'range', from, to] as const,
  templates: ['shifts', 'templates'] as const,
  settings: ['shifts', 'settings'] as const,
  mine: ['shifts', 'mine'] as const,
  sources: ['shifts', 'sources'] as const,
  /** Statistics windows: ['stats', from, to]. */
  stats: ['stats'] as const,
  statsWindow: (from: number, to: number) => ['stats', from, to] as const,
  reportTemplates: ['reports', 'templates'] as const,
  reportHistory: ['reports', 'history'] as const,
  reportSchedules: ['reports', 'schedules'] as const,
};
