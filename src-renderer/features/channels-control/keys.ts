/** Query keys of the channels-control feature; all under the `playout` prefix (app/api/query-keys.ts). */
export type AsRunKey = { channelId: number; from: number; to: number };

export const playoutKeys = {
  all: ['playout'] as const,
  status: ['playout', 'status'] as const,
  outputs: ['playout', 'outputs'] as const,
  asRuns: ['playout', 'asrun'] as const,
  asRun: (key: AsRunKey) => ['playout', 'asrun', key] as const,
  readyAssets: (text: string) => ['playout', 'ready-assets', text] as const,
};
