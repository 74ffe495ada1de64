import type { QueryClient } from '@tanstack/react-query';
import type { Alarm, Response } from '../../../src-shared/contract';
import type { ApiClient } from '../../app/api/api-client';
import { patchActive } from '../alarms/cache';
import { wallKeys } from './keys';

export type LayoutsData = Response<'wallLayoutsList'>;
export type SourcesData = Response<'monitorSourcesList'>;
/** Active alarms only: what the tiles' badges show. */
export type ActiveAlarms = Alarm[];

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
        old ? patchActive(old, event) : old,
      ),
    ),
  ];
  return () => offs.forEach((off) => off());
}
