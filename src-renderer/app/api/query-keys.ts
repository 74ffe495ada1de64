/** Query keys shared by the feature hooks and the core-event bridge that patches them. */
export const queryKeys = {
  appInfo: ['appInfo'],
  settings: ['settings'],
  health: ['health'],
  /** Prefix of every library query (folders, asset pages, asset details). */
  library: ['library'],
  libraryFolders: ['library', 'folders'],
  /** Prefix of every asset list; the full key adds the query (see features/library/queries.ts). */
  libraryQueries: ['library', 'query'],
  libraryAsset: (id: number) => ['library', 'asset', id] as const,
  /** Prefix of every schedule query (channels, ranges, templates); see features/schedule/keys.ts. */
  schedule: ['schedule'],
  /** Prefix of every playout query (status, as-run, outputs); see features/channels-control/keys.ts. */
  playout: ['playout'],
} as const;
