/** Query keys of the storage feature; events patch exactly these (see events.ts). */
export const storageKeys = {
  all: ['storage'] as const,
  locations: ['storage', 'locations'] as const,
  /** Prefix of every browse listing; the full key adds the location and the prefix. */
  browseAll: ['storage', 'browse'] as const,
  browse: (locationId: number, prefix: string) =>
    ['storage', 'browse', locationId, prefix] as const,
  cache: ['storage', 'cache'] as const,
  publishing: ['storage', 'publishing'] as const,
};
