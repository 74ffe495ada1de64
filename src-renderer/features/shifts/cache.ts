import type { QueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../app/api/api-client';
import { shiftKeys } from './keys';

/**
 * A plan change re-reads the plan windows on screen (the event says what kind changed, not
 * which shift: conflicts depend on the whole window anyway). New statistics re-read only the
 * statistics windows that overlap the minutes they name. Report events re-read the lists.
 */
export function subscribeShiftsEvents(api: ApiClient, queryClient: QueryClient): () => void {
  const offs = [
    api.on('shiftsChanged', ({ what }) => {
      if (what === 'templates')
        void queryClient.invalidateQueries({ queryKey: shiftKeys.templates });
      if (what === 'settings') void queryClient.invalidateQueries({ queryKey: shiftKeys.settings });
      void queryClient.invalidateQueries({ queryKey: shiftKeys.ranges });
      void queryClient.invalidateQueries({ queryKey: shiftKeys.mine });
    }),
    api.on('statsChanged', ({ from, to }) => {
      void queryClient.invalidateQueries({
        queryKey: shiftKeys.stats,
        predicate: (query) => {
          const [, qFrom, qTo] = query.queryKey as [string, number, number];
          return qFrom < to && from < qTo;
        },
      });
    }),
    api.on('reportsChanged', ({ what }) => {
      void queryClient.invalidateQueries({
        queryKey:
          what === 'templates'
            ? shiftKeys.reportTemplates
            : what === 'schedules'
              ? shiftKeys.reportSchedules
              : shiftKeys.reportHistory,
      });
    }),
  ];
  return () => offs.forEach((off) => off());
}
