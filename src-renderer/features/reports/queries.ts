import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../app/api/use-api';
import { shiftKeys } from '../shifts/keys';

/** Saved report templates; `reportsChanged` re-reads them. */
export function useReportTemplates() {
  const api = useApi();
  return useQuery({
    queryKey: shiftKeys.reportTemplates,
    queryFn: async () => (await api.call('reportTemplatesList', {})).templates,
    staleTime: Infinity,
  });
}

/** Reports built lately, newest first; `reportsChanged` re-reads them. */
export function useReportHistory() {
  const api = useApi();
  return useQuery({
    queryKey: shiftKeys.reportHistory,
    queryFn: async () => (await api.call('reportHistory', {})).runs,
    staleTime: Infinity,
  });
}

/** Report schedules; `reportsChanged` re-reads them. */
export function useReportSchedules() {
  const api = useApi();
  return useQuery({
    queryKey: shiftKeys.reportSchedules,
    queryFn: async () => (await api.call('reportSchedulesList', {})).schedules,
    staleTime: Infinity,
  });
}

/** How far each report being built has come (0–1), from `reportProgress` events. */
export function useReportProgress(): ReadonlyMap<number, number> {
  const api = useApi();
  const [progress, setProgress] = useState<ReadonlyMap<number, number>>(new Map());
  useEffect(
    () =>
      api.on('reportProgress', ({ runId, progress: fraction }) =>
        setProgress((current) => new Map(current).set(runId, fraction)),
      ),
    [api],
  );
  return progress;
}
