import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../../app/api/use-api';
import { shiftKeys } from '../shifts/keys';

/**
 * Statistics summed per bucket (quarter hours of a day, or days). `statsChanged` re-reads a window only when the minutes it
 * names overlap it (see shifts/cache.ts): live while people work, without polling.
 */
export function useStatsBuckets(edges: number[]) {
  const api = useApi();
  const from = edges[0]!;
  const to = edges.at(-1)!;
  return useQuery({
    queryKey: [...shiftKeys.statsWindow(from, to), edges.length] as const,
    queryFn: () => api.call('statsBuckets', { edges }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
}
