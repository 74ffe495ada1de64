import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SettingsPatch } from '../../../src-shared/contract';
import { queryKeys } from '../../app/api/query-keys';
import { useApi } from '../../app/api/use-api';

/** Station settings; kept current by `settingsChanged` events (see app/api/session.ts). */
export function useSettings() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => api.call('settingsGet', {}) });
}

export function useSaveSettings() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: SettingsPatch) => api.call('settingsSet', patch),
    // The event will say the same; writing the reply too means this window never shows old values.
    onSuccess: (settings) => queryClient.setQueryData(queryKeys.settings, settings),
  });
}
