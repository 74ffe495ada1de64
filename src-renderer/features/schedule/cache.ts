import type { QueryClient } from '@tanstack/react-query';
import type { Channel, ScheduleItem, Response } from '../../../src-shared/contract';
import type { ApiClient } from '../../app/api/api-client';
import { scheduleKeys, type RangeKey } from './keys';

export type RangeData = Response<'scheduleRange'>;

/** The core answers items starting up to a week before `from` that still overlap it. */
const overlaps = (item: ScheduleItem, key: RangeKey) =>
  item.endsAt > key.from && item.startsAt < key.to;

/**
 * Patches one cached range with items that changed and ids that left. An item already held at a
 * newer version is kept (an echo of our own change may arrive after a fresher one).
 */
export function patchRange(
  data: RangeData,
  key: RangeKey,
  changed: readonly ScheduleItem[],
  removed: readonly number[],
): RangeData {
  const channels = new Set(key.channelIds);
  const gone = new Set(removed);
  const incoming = new Map<number, ScheduleItem>();
  for (const item of changed) if (channels.has(item.channelId)) incoming.set(item.id, item);
  // An item moved to a channel outside this range leaves it too.
  for (const item of changed) if (!channels.has(item.channelId)) gone.add(item.id);
  if (incoming.size === 0 && gone.size === 0) return data;
  let touched = false;
  const items: ScheduleItem[] = [];
  for (const item of data.items) {
    const next = incoming.get(item.id);
    if (next) {
      incoming.delete(item.id);
      if (next.version < item.version) {
        items.push(item);
        continue;
      }
      touched = true;
      if (overlaps(next, key)) items.push(next);
      continue;
    }
    if (gone.has(item.id)) {
      touched = true;
      continue;
    }
    items.push(item);
  }
  for (const item of incoming.values()) {
    if (overlaps(item, key)) {
      items.push(item);
      touched = true;
    }
  }
  return touched ? { ...data, items } : data;
}

function rangeQueries(queryClient: QueryClient) {
  return queryClient.getQueryCache().findAll({ queryKey: scheduleKeys.ranges });
}

/** A mutation's own answer (or a fresh read) applied to every cached range at once. */
export function applyItems(
  queryClient: QueryClient,
  changed: readonly ScheduleItem[],
  removed: readonly number[],
  scheduleVersions: Record<string, number> = {},
): void {
  for (const query of rangeQueries(queryClient)) {
    const key = query.queryKey[2] as RangeKey;
    queryClient.setQueryData<RangeData>(query.queryKey, (old) => {
      if (!old) return old;
      const patched = patchRange(old, key, changed, removed);
      const versions = { ...patched.scheduleVersions };
      let bumped = false;
      for (const [channel, version] of Object.entries(scheduleVersions)) {
        if (key.channelIds.includes(Number(channel)) && (versions[channel] ?? -1) < version) {
          versions[channel] = version;
          bumped = true;
        }
      }
      return bumped ? { ...patched, scheduleVersions: versions } : patched;
    });
  }
}

/**
 * `scheduleChanged`: one commit on one channel. If the channel's version jumps past the one
 * the cache holds (an event was missed), that range is fetched again instead of patched.
 */
export function applyScheduleChanged(
  queryClient: QueryClient,
  event: { channelId: number; scheduleVersion: number; changed: ScheduleItem[]; removed: number[] },
): void {
  const channel = String(event.channelId);
  for (const query of rangeQueries(queryClient)) {
    const key = query.queryKey[2] as RangeKey;
    const data = query.state.data as RangeData | undefined;
    if (!data) continue;
    const holds = key.channelIds.includes(event.channelId);
    if (!holds) {
      // Items that moved away from a channel we show are announced on their new channel.
      if (event.changed.some((item) => data.items.some((held) => held.id === item.id))) {
        queryClient.setQueryData<RangeData>(query.queryKey, (old) =>
          old ? patchRange(old, key, event.changed, event.removed) : old,
        );
      }
      continue;
    }
    const known = data.scheduleVersions[channel] ?? 0;
    if (event.scheduleVersion <= known) {
      // Already applied (our own reply came first); re-applying is harmless and cheap.
      queryClient.setQueryData<RangeData>(query.queryKey, (old) =>
        old ? patchRange(old, key, event.changed, event.removed) : old,
      );
      continue;
    }
    if (event.scheduleVersion > known + 1) {
      void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
      continue;
    }
    queryClient.setQueryData<RangeData>(query.queryKey, (old) => {
      if (!old) return old;
      const patched = patchRange(old, key, event.changed, event.removed);
      return {
        ...patched,
        scheduleVersions: { ...patched.scheduleVersions, [channel]: event.scheduleVersion },
      };
    });
  }
}

export function subscribeScheduleEvents(api: ApiClient, queryClient: QueryClient): () => void {
  const offs = [
    api.on('scheduleChanged', (event) => applyScheduleChanged(queryClient, event)),
    api.on('channelsChanged', ({ channels }) =>
      queryClient.setQueryData<Channel[]>(scheduleKeys.channels, channels),
    ),
    api.on('scheduleSettingsChanged', (settings) => {
      queryClient.setQueryData(scheduleKeys.settings, settings);
      for (const query of rangeQueries(queryClient)) {
        queryClient.setQueryData<RangeData>(query.queryKey, (old) =>
          old ? { ...old, lockHorizonMs: settings.lockHorizonMs } : old,
        );
      }
    }),
    api.on('templatesChanged', ({ templates }) =>
      queryClient.setQueryData(scheduleKeys.templates, templates),
    ),
  ];
  return () => offs.forEach((off) => off());
}
