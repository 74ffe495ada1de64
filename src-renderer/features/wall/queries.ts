import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { WallLayoutSave } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import {
  subscribeWallEvents,
  type ActiveAlarms,
  type LayoutsData,
  type SourcesData,
} from './cache';
import { wallKeys } from './keys';

/**
 * Subscribes the wall's events for as long as the wall is open. Its queries are dropped when it
 * closes (gcTime 0), so reopening reads fresh data instead of a list that missed events.
 */
export function useWallEvents(): void {
  const api = useApi();
  const queryClient = useQueryClient();
  useEffect(() => subscribeWallEvents(api, queryClient), [api, queryClient]);
}

export function useWallLayouts() {
  const api = useApi();
  return useQuery({
    queryKey: wallKeys.layouts,
    queryFn: () => api.call('wallLayoutsList', {}),
    staleTime: Infinity,
    gcTime: 0,
  });
}

export function useMonitorSources() {
  const api = useApi();
  return useQuery({
    queryKey: wallKeys.sources,
    queryFn: () => api.call('monitorSourcesList', {}),
    staleTime: Infinity,
    gcTime: 0,
  });
}

export function useActiveAlarms() {
  const api = useApi();
  return useQuery({
    queryKey: wallKeys.alarms,
    queryFn: async (): Promise<ActiveAlarms> => (await api.call('alarmsList', { limit: 1 })).active,
    staleTime: Infinity,
    gcTime: 0,
  });
}

export function useWallDisplays() {
  const api = useApi();
  return useQuery({
    queryKey: wallKeys.displays,
    queryFn: () => api.call('wallDisplays', {}),
    staleTime: Infinity,
  });
}

export function useSaveLayout() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: WallLayoutSave) => api.call('wallLayoutSave', input),
    onSuccess: (layout) =>
      queryClient.setQueryData<LayoutsData>(wallKeys.layouts, (old) =>
        old
          ? { layouts: [...old.layouts.filter((l) => l.id !== layout.id), layout] }
          : { layouts: [layout] },
      ),
  });
}

export function useDeleteLayout() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.call('wallLayoutDelete', { id }),
    onSuccess: ({ id }) =>
      queryClient.setQueryData<LayoutsData>(wallKeys.layouts, (old) =>
        old ? { layouts: old.layouts.filter((l) => l.id !== id) } : old,
      ),
  });
}

export function useAcknowledgeAlarm() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.call('alarmAcknowledge', { id }),
    onSuccess: (alarm) =>
      queryClient.setQueryData<ActiveAlarms>(wallKeys.alarms, (old) =>
        old?.map((a) => (a.id === alarm.id ? alarm : a)),
      ),
  });
}

export function useAddSource() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; url: string }) => api.call('monitorSourceAdd', input),
    onSuccess: ({ source }) =>
      queryClient.setQueryData<SourcesData>(wallKeys.sources, (old) =>
        old ? { sources: [...old.sources.filter((s) => s.id !== source.id), source] } : old,
      ),
  });
}

export function useProbeUrl() {
  const api = useApi();
  return useMutation({ mutationFn: (url: string) => api.call('monitorSourceProbe', { url }) });
}

export function useRemoveSource() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.call('monitorSourceRemove', { id }),
    onSuccess: (data) => queryClient.setQueryData<SourcesData>(wallKeys.sources, data),
  });
}

export function useOpenFullscreen() {
  const api = useApi();
  return useMutation({
    mutationFn: (input: { layoutId: number | null; displayId: number | null }) =>
      api.call('wallOpenFullscreen', input),
  });
}
