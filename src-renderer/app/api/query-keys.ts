/** Query keys shared by the feature hooks and the core-event bridge that patches them. */
export const queryKeys = {
  appInfo: ['appInfo'],
  settings: ['settings'],
  health: ['health'],
} as const;
