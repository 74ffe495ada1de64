import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OutputsSettings } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import { applyStatus } from './cache';
import { playoutKeys, type AsRunKey } from './keys';
import { recordOutcome } from './store';

/** Every channel's playout status: read once, then patched by `playoutChanged` (no polling). */
export function usePlayoutStatus() {
  const api = useApi();
  return useQuery({
    queryKey: playoutKeys.status,
    queryFn: () => api.call('playoutStatus', {}),
    staleTime: Infinity,
  });
}

/** One station day of a channel's as-run log, live-appended by `asRunAppended`. */
export function useAsRun(key: AsRunKey | null) {
  const api = useApi();
  return useQuery({
    queryKey: playoutKeys.asRun(key ?? { channelId: 0, from: 0, to: 1 }),
    queryFn: () => api.call('asRunList', key!),
    enabled: key !== null,
    staleTime: Infinity,
  });
}

export function useOutputsSettings() {
  const api = useApi();
  return useQuery({
    queryKey: playoutKeys.outputs,
    queryFn: () => api.call('outputsSettingsGet', {}),
    staleTime: Infinity,
  });
}

export function useSaveOutputsSettings() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: OutputsSettings) => api.call('outputsSettingsSet', settings),
    onSuccess: (settings) => queryClient.setQueryData(playoutKeys.outputs, settings),
  });
}

/** READY assets whose name matches, for "Insert now". */
export function useReadyAssets(text: string) {
  const api = useApi();
  return useQuery({
    queryKey: playoutKeys.readyAssets(text),
    queryFn: () =>
      api.call('libraryQuery', {
        state: 'ready',
        text: text || undefined,
        sort: 'name',
        limit: 100,
      }),
  });
}

export type PlayoutAction =
  'start' | 'stop' | 'takeNext' | 'skip' | 'hold' | 'release' | 'insert' | 'breakNow';

export const actionLabels: Record<PlayoutAction, string> = {
  start: 'Start',
  stop: 'Stop',
  takeNext: 'Take next',
  skip: 'Skip',
  hold: 'Hold',
  release: 'Release',
  insert: 'Insert now',
  breakNow: 'Break now',
};

/**
 * Operator actions. The answer carries the channel's new status (patched in at once; the event
 * says the same) and the segment boundary the action takes effect at.
 */
export function usePlayoutAction() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: {
      action: PlayoutAction;
      channelId: number;
      assetId?: number;
      durationMs?: number;
      title?: string | null;
    }) => {
      const { action, channelId } = input;
      const ref = { channelId };
      switch (action) {
        case 'start':
          return api.call('playoutStart', ref);
        case 'stop':
          return api.call('playoutStop', ref);
        case 'takeNext':
          return api.call('playoutTakeNext', ref);
        case 'skip':
          return api.call('playoutSkip', ref);
        case 'hold':
          return api.call('playoutHold', ref);
        case 'release':
          return api.call('playoutRelease', ref);
        case 'insert':
          return api.call('playoutInsertNow', { channelId, assetId: input.assetId! });
        case 'breakNow':
          return api.call('playoutBreakNow', {
            channelId,
            durationMs: input.durationMs ?? 60_000,
            title: input.title ?? null,
          });
      }
    },
    onSuccess: (result, input) => {
      applyStatus(queryClient, result.status);
      recordOutcome(input.channelId, {
        action: actionLabels[input.action],
        effectiveAt: result.effectiveAt,
        error: null,
      });
    },
    onError: (error, input) => {
      recordOutcome(input.channelId, {
        action: actionLabels[input.action],
        effectiveAt: null,
        error: error instanceof Error ? error.message : String(error),
      });
    },
  });
}
