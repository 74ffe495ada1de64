/** Query keys of the wall. Dropped when the wall closes (gcTime 0): its events patch them only while it is open. */
export const wallKeys = {
  all: ['wall'] as const,
  layouts: ['wall', 'layouts'] as const,
  sources: ['wall', 'sources'] as const,
  alarms: ['wall', 'alarms'] as const,
  displays: ['wall', 'displays'] as const,
};
