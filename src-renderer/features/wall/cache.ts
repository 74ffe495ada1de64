import type { QueryClient } from '@tanstack/react-query';
import type { Alarm, EventPayload, Response } from '../../../src-shared/contract';
import type { ApiClient } from '../../app/api/api-client';
import { wallKeys } from './keys';

export type LayoutsData = Response<'wallLayoutsList'>;
export type SourcesData = Response<'monitorSourcesList'>;
/** Active alarms only: what the tiles' badges show. */
export type ActiveAlarms = Alarm[];

/** An alarm event applied to the active list: raised/acknowledged replace, cleared removes. */
export function patchActiveAlarms(
  active: ActiveAlarms,
  { change, alarm }: EventPayload<'alarmChanged'>,
): ActiveAlarms {
  const rest = active.filter((a) => a.id !== alarm.id);
  if (change === 'cleared' || alarm.clearedAt !== null) return rest;
  return [alarm, ...rest].sort((a, b) => b.raisedAt - a.raisedAt || b.id - a.id);
}

/**
 * The wall's events patch exactly what they carry (layouts and sources arrive whole, alarms one
 * at a time). Playout status is patched by the session for every screen already.
 */
export function subscribeWallEvents(api: ApiClient, queryClient: QueryClient): () => void {
  const offs = [
    api.on('wallLayoutsChanged', (data) =>
      queryClient.setQueryData<LayoutsData>(wallKeys.layouts, data),
    ),
    api.on('monitorSourcesChanged', (data) =>
      queryClient.setQueryData<SourcesData>(wallKeys.sources, data),
    ),
    api.on('alarmChanged', (event) =>
      queryClient.setQueryData<ActiveAlarms>(wallKeys.alarms, (old) =>
        old ? patchActiveAlarms(old, event) : old,
      ),
    ),
  ];
  return () => offs.forEach((off) => off());
}
