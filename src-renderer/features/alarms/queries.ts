import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Alarm, AlarmsSettings } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import { patchActive, subscribeAlarmEvents, type SourcesData } from './cache';
import { alarmsKeys, type AlarmLogFilter } from './keys';

const LOG_PAGE = 100;

export function useAlarmEvents(): void {
  const api = useApi();
  const queryClient = useQueryClient();
  useEffect(() => subscribeAlarmEvents(api, queryClient), [api, queryClient]);
}

/** Every active alarm, newest first. */
export function useActiveAlarmList() {
  const api = useApi();
  return useQuery({
    queryKey: alarmsKeys.active,
    queryFn: async (): Promise<Alarm[]> => (await api.call('alarmsList', { limit: 1 })).active,
    staleTime: Infinity,
    gcTime: 0,
  });
}

/** The log, newest first, a page at a time. */
export function useAlarmLog(filter: AlarmLogFilter) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: alarmsKeys.log(filter),
    queryFn: ({ pageParam }) =>
      api.call('alarmsList', { ...filter, limit: LOG_PAGE, beforeId: pageParam }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextBeforeId ?? undefined,
    staleTime: Infinity,
    gcTime: 0,
  });
}

export function useAcknowledge() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.call('alarmAcknowledge', { id }),
    onSuccess: (alarm) =>
      queryClient.setQueryData<Alarm[]>(alarmsKeys.active, (old) =>
        old ? patchActive(old, { change: 'acknowledged', alarm }) : old,
      ),
  });
}

export function useAcknowledgeAll() {
  const api = useApi();
  return useMutation({ mutationFn: () => api.call('alarmsAcknowledgeAll', {}) });
}

export function useAlarmsSettings() {
  const api = useApi();
  return useQuery({
    queryKey: alarmsKeys.settings,
    queryFn: () => api.call('alarmsSettingsGet', {}),
    staleTime: Infinity,
    gcTime: 0,
  });
}

export function useSaveAlarmsSettings() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: AlarmsSettings) => api.call('alarmsSettingsSet', settings),
    onSuccess: (settings) => queryClient.setQueryData(alarmsKeys.settings, settings),
  });
}

export function useOutsideSources() {
  const api = useApi();
  return useQuery({
    queryKey: alarmsKeys.sources,
    queryFn: () => api.call('monitorSourcesList', {}),
    staleTime: Infinity,
    gcTime: 0,
  });
}

export function useAddSource() {
  const api = useApi();
  return useMutation({
    mutationFn: (input: { name: string; url: string }) => api.call('monitorSourceAdd', input),
  });
}

export function useSourceAction() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (
      input:
        | { action: 'remove'; id: number }
        | { action: 'enable'; id: number; enabled: boolean }
        | { action: 'probe'; id: number },
    ) => {
      if (input.action === 'remove') return api.call('monitorSourceRemove', { id: input.id });
      if (input.action === 'probe') {
        await api.call('monitorSourceProbe', { id: input.id });
        return null;
      }
      await api.call('monitorSourceUpdate', { id: input.id, enabled: input.enabled });
      return null;
    },
    onSuccess: (data) => {
      if (data) queryClient.setQueryData<SourcesData>(alarmsKeys.sources, data);
    },
  });
}
