import type { QueryClient } from '@tanstack/react-query';
import {
  dashboardChannelRow,
  type Dashboard,
  type DashboardFigures,
  type PlayoutStatus,
} from '../../../src-shared/contract';
import type { ApiClient } from '../../app/api/api-client';
import { dashboardKeys } from './keys';

/** A channel's new status replaces its row (or adds it). */
export function patchChannel(data: Dashboard, status: PlayoutStatus): Dashboard {
  const row = dashboardChannelRow(status);
  const index = data.channels.findIndex((c) => c.channelId === row.channelId);
  const channels =
    index === -1 ? [...data.channels, row] : data.channels.map((c, i) => (i === index ? row : c));
  return { ...data, channels };
}

export function patchFigures(data: Dashboard, figures: DashboardFigures): Dashboard {
  return { ...data, figures };
}

export function subscribeDashboardEvents(api: ApiClient, queryClient: QueryClient): () => void {
  const offs = [
    api.on('dashboardTick', (figures) =>
      queryClient.setQueryData<Dashboard>(dashboardKeys.data, (old) =>
        old ? patchFigures(old, figures) : old,
      ),
    ),
    api.on('playoutChanged', ({ status }) =>
      queryClient.setQueryData<Dashboard>(dashboardKeys.data, (old) =>
        old ? patchChannel(old, status) : old,
      ),
    ),
  ];
  return () => offs.forEach((off) => off());
}
