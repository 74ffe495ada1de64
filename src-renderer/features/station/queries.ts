import { useQuery } from '@tanstack/react-query';
import { queryKeys } from '../../app/api/query-keys';
import { useApi } from '../../app/api/use-api';

export function useAppInfo() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.appInfo, queryFn: () => api.call('appInfo', {}) });
}

/** Core health; `healthTick` replaces it every few seconds (see app/api/session.ts). */
export function useHealth() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.health, queryFn: () => api.call('healthGet', {}) });
}
