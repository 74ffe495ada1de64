import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type {
  Alarm,
  AlarmsPage,
  AlarmsSettings,
  EventPayload,
  Response,
} from '../../../src-shared/contract';
import type { ApiClient } from '../../app/api/api-client';
import { alarmsKeys, type AlarmLogFilter } from './keys';

export type LogData = InfiniteData<AlarmsPage, number | undefined>;
export type SourcesData = Response<'monitorSourcesList'>;

const newestFirst = (a: Alarm, b: Alarm) => b.id - a.id;

/** The active list after an event: raised/acknowledged replace, cleared removes. */
export function patchActive(
  active: readonly Alarm[],
  event: EventPayload<'alarmChanged'>,
): Alarm[] {
  const rest = active.filter((a) => a.id !== event.alarm.id);
  if (event.change === 'cleared' || event.alarm.clearedAt !== null) return rest;
  return [event.alarm, ...rest].sort(newestFirst);
}

export function matchesFilter(alarm: Alarm, filter: AlarmLogFilter): boolean {
  return (
    (filter.kind === undefined || alarm.kind === filter.kind) &&
    (filter.sourceKind === undefined || alarm.sourceKind === filter.sourceKind)
  );
}

/** The paged log after an event: a known alarm is replaced in place, a new one goes on top. */
export function patchLog(data: LogData, filter: AlarmLogFilter, alarm: Alarm): LogData {
  let found = false;
  const pages = data.pages.map((page) => ({
    ...page,
    log: page.log.map((a) => {
      if (a.id !== alarm.id) return a;
      found = true;
      return alarm;
    }),
  }));
  if (!found && matchesFilter(alarm, filter) && pages.length > 0) {
    pages[0] = { ...pages[0]!, log: [alarm, ...pages[0]!.log] };
  }
  return { ...data, pages };
}

/** Patches the screen's queries with the core's events for as long as the screen is open. */
export function subscribeAlarmEvents(api: ApiClient, queryClient: QueryClient): () => void {
  const offs = [
    api.on('alarmChanged', (event) => {
      queryClient.setQueryData<Alarm[]>(alarmsKeys.active, (old) =>
        old ? patchActive(old, event) : old,
      );
      for (const query of queryClient.getQueryCache().findAll({ queryKey: alarmsKeys.logs })) {
        const filter = query.queryKey[2] as AlarmLogFilter;
        queryClient.setQueryData<LogData>(query.queryKey, (old) =>
          old ? patchLog(old, filter, event.alarm) : old,
        );
      }
    }),
    api.on('alarmsSettingsChanged', (settings) =>
      queryClient.setQueryData<AlarmsSettings>(alarmsKeys.settings, settings),
    ),
    api.on('monitorSourcesChanged', (data) =>
      queryClient.setQueryData<SourcesData>(alarmsKeys.sources, data),
    ),
  ];
  return () => offs.forEach((off) => off());
}
