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
