import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useApi } from '../../app/api/use-api';
import { subscribeDashboardEvents } from './cache';
import { dashboardKeys } from './keys';

/** Read once when the screen opens; `dashboardTick` and `playoutChanged` keep it live. */
export function useDashboard() {
  const api = useApi();
  const queryClient = useQueryClient();
  useEffect(() => subscribeDashboardEvents(api, queryClient), [api, queryClient]);
  return useQuery({
    queryKey: dashboardKeys.data,
    queryFn: () => api.call('dashboardGet', {}),
    staleTime: Infinity,
    gcTime: 0,
  });
}
