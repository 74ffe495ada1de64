import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../../app/api/use-api';
import { useAuthStore } from '../auth/store';
import { shiftKeys } from './keys';

/** The plan over a window (shifts, occurrences, time off, conflicts); `shiftsChanged` refetches. */
export function useShiftsRange(from: number, to: number) {
  const api = useApi();
  return useQuery({
    queryKey: shiftKeys.range(from, to),
    queryFn: () => api.call('shiftsRange', { from, to }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
}

export function useShiftTemplates() {
  const api = useApi();
  return useQuery({
    queryKey: shiftKeys.templates,
    queryFn: async () => (await api.call('shiftTemplatesList', {})).templates,
    staleTime: Infinity,
  });
}

export function useShiftSettings() {
  const api = useApi();
  return useQuery({
    queryKey: shiftKeys.settings,
    queryFn: () => api.call('shiftSettingsGet', {}),
    staleTime: Infinity,
  });
}

/** Recorded sources, for assignments (only people who may review see them). */
export function useRecordedSources() {
  const api = useApi();
  const allowed = useAuthStore((s) => s.permissions.has('review.read'));
  return useQuery({
    queryKey: shiftKeys.sources,
    queryFn: async () => (await api.call('recorderSourcesList', {})).sources,
    enabled: allowed,
    staleTime: 60_000,
  });
}

/** The signed-in person's shift (running or next); `shiftsChanged` refetches it. */
export function useMyShift() {
  const api = useApi();
  return useQuery({
    queryKey: shiftKeys.mine,
    queryFn: () => api.call('myShift', {}),
    staleTime: Infinity,
  });
}
