import type { QueryClient } from '@tanstack/react-query';
import type {
  AsRunRow,
  OutputsSettings,
  PlayoutStatus,
  Response,
} from '../../../src-shared/contract';
import type { ApiClient } from '../../app/api/api-client';
import { playoutKeys, type AsRunKey } from './keys';
import { receiveAlarm, resetChannelsControl } from './store';

export type StatusData = Response<'playoutStatus'>;
export type AsRunData = Response<'asRunList'>;

/** One channel's fresh status replaces the held one (or joins the list if it is new). */
export function patchStatus(data: StatusData, status: PlayoutStatus): StatusData {
  const index = data.channels.findIndex((c) => c.channelId === status.channelId);
  const channels =
    index === -1
      ? [...data.channels, status]
      : data.channels.map((c, i) => (i === index ? status : c));
  return { ...data, channels };
}

export function applyStatus(queryClient: QueryClient, status: PlayoutStatus): void {
  queryClient.setQueryData<StatusData>(playoutKeys.status, (old) =>
    old ? patchStatus(old, status) : old,
  );
}

const airs = (row: AsRunRow) => row.kind !== 'action';

/**
 * Rows appended to one cached day: inserted in air order, an id already held is replaced, and
 * the entry before a newly aired one gets its actual length (what the core writes to its store
 * without announcing it again).
 */
export function patchAsRun(
  data: AsRunData,
  key: AsRunKey,
  incoming: readonly AsRunRow[],
): AsRunData {
  const mine = incoming.filter(
    (row) => row.channelId === key.channelId && row.airedAt >= key.from && row.airedAt < key.to,
  );
  if (mine.length === 0) return data;
  const byId = new Map(data.rows.map((row) => [row.id, row]));
  for (const row of mine) {
    const previous = [...byId.values()]
      .filter((r) => airs(r) && r.id !== row.id && r.airedAt <= row.airedAt)
      .sort((a, b) => b.airedAt - a.airedAt || b.id - a.id)[0];
    if (airs(row) && previous && !byId.has(row.id)) {
      byId.set(previous.id, { ...previous, durationMs: row.airedAt - previous.airedAt });
    }
    byId.set(row.id, row);
  }
  const rows = [...byId.values()].sort((a, b) => a.airedAt - b.airedAt || a.id - b.id);
  return { ...data, rows };
}

export function subscribePlayoutEvents(api: ApiClient, queryClient: QueryClient): () => void {
  resetChannelsControl();
  const offs = [
    api.on('playoutChanged', ({ status }) => applyStatus(queryClient, status)),
    api.on('asRunAppended', ({ rows }) => {
      for (const query of queryClient.getQueryCache().findAll({ queryKey: playoutKeys.asRuns })) {
        const key = query.queryKey[2] as AsRunKey;
        queryClient.setQueryData<AsRunData>(query.queryKey, (old) =>
          old ? patchAsRun(old, key, rows) : old,
        );
      }
    }),
    api.on('playoutAlarm', (alarm) => {
      receiveAlarm(alarm);
      queryClient.setQueryData<StatusData>(playoutKeys.status, (old) => {
        const held = old?.channels.find((c) => c.channelId === alarm.channelId);
        return old && held ? patchStatus(old, { ...held, lastAlarm: alarm }) : old;
      });
    }),
    api.on('outputsSettingsChanged', (settings) =>
      queryClient.setQueryData<OutputsSettings>(playoutKeys.outputs, settings),
    ),
  ];
  return () => offs.forEach((off) => off());
}
