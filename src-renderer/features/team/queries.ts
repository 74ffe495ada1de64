import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../../app/api/use-api';
import { shiftKeys } from '../shifts/keys';

/**
 * Minute statistics for a window. `statsChanged` re-reads a window only when the minutes it
 * names overlap it (see shifts/cache.ts): live while people work, without polling.
 */
export function useStatsWindow(from: number, to: number) {
  const api = useApi();
  return useQuery({
    queryKey: shiftKeys.statsWindow(from, to),
    queryFn: () => api.call('statsMinutes', { from, to, personIds: null }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
}
