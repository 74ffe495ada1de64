import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../../app/api/use-api';
import { scheduleKeys, type RangeKey } from './keys';

/** Channels in their operator order; kept current by `channelsChanged`. */
export function useChannels() {
  const api = useApi();
  return useQuery({
    queryKey: scheduleKeys.channels,
    queryFn: () => api.call('channelsList', {}),
  });
}

export function useScheduleSettings() {
  const api = useApi();
  return useQuery({
    queryKey: scheduleKeys.settings,
    queryFn: () => api.call('scheduleSettingsGet', {}),
  });
}

export function useTemplates() {
  const api = useApi();
  return useQuery({
    queryKey: scheduleKeys.templates,
    queryFn: () => api.call('templatesList', {}),
  });
}

/** The visible range of the visible channels; patched in place by `scheduleChanged`. */
export function useScheduleRange(key: RangeKey | null) {
  const api = useApi();
  return useQuery({
    queryKey: scheduleKeys.range(key ?? { channelIds: [], from: 0, to: 0 }),
    queryFn: () =>
      api.call('scheduleRange', { channelIds: key!.channelIds, from: key!.from, to: key!.to }),
    enabled: key !== null && key.channelIds.length > 0,
    // Paging the calendar keeps the previous week up until the next one is in.
    placeholderData: keepPreviousData,
  });
}
