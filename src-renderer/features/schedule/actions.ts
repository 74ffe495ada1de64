import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { BatchOp, ScheduleChange, ScheduleItem } from '../../../src-shared/contract';
import { ApiError, type ApiClient } from '../../app/api/api-client';
import { useApi } from '../../app/api/use-api';
import { applyItems } from './cache';
import {
  forgetSelected,
  popRedo,
  popUndo,
  pushRedoOnly,
  pushUndo,
  pushUndoOnly,
  setBusy,
  toast,
  useScheduleUi,
} from './store';

/** Snap a dropped or moved item to a neighbour's edge when it lands this close to it. */
export const SNAP_MS = 5 * 60_000;

const refOf = (item: Pick<ScheduleItem, 'id' | 'version'>) => ({
  id: item.id,
  version: item.version,
});

function idsIn(ops: readonly BatchOp[]): number[] {
  return ops.flatMap((op) => (op.op === 'create' ? (op.id ? [op.id] : []) : [op.id]));
}

/**
 * After a refused edit: read the items again. If any of them moved on (another window saved
 * first), say so and show the fresh state; otherwise the refusal was about the edit itself
 * (an overlap, the lock horizon) and the core's message says what.
 */
async function explainFailure(
  api: ApiClient,
  queryClient: QueryClient,
  label: string,
  error: unknown,
  sent: readonly { id: number; version: number }[],
) {
  if (!(error instanceof ApiError)) {
    toast(`${label}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  if (error.code === 'conflict' && sent.length > 0) {
    try {
      const fresh = await api.call('scheduleGet', { ids: sent.map((ref) => ref.id) });
      applyItems(queryClient, fresh.items, fresh.missing);
      const versions = new Map(fresh.items.map((item) => [item.id, item.version]));
      const stale = sent.some((ref) => versions.get(ref.id) !== ref.version);
      if (stale) {
        forgetSelected(fresh.missing);
        toast(`${label}: changed by someone else — showing the current state.`);
        return;
      }
    } catch {
      // Fall through to the core's own message.
    }
  }
  toast(`${label}: ${error.message}`);
}

export function useScheduleActions() {
  const api = useApi();
  const queryClient = useQueryClient();

  return useMemo(() => {
    const ripple = () => useScheduleUi.getState().ripple;

    async function edit(
      label: string,
      sent: readonly { id: number; version: number }[],
      call: () => Promise<ScheduleChange>,
    ): Promise<ScheduleChange | null> {
      setBusy(true);
      try {
        const change = await call();
        applyItems(queryClient, change.changed, change.removed, change.scheduleVersions);
        forgetSelected(change.removed);
        pushUndo({ ops: change.inverse, label });
        return change;
      } catch (error) {
        await explainFailure(api, queryClient, label, error, sent);
        return null;
      } finally {
        setBusy(false);
      }
    }

    async function replay(direction: 'undo' | 'redo') {
      const entry = direction === 'undo' ? popUndo() : popRedo();
      if (!entry) return;
      setBusy(true);
      try {
        const change = await api.call('scheduleBatch', { ops: entry.ops });
        applyItems(queryClient, change.changed, change.removed, change.scheduleVersions);
        forgetSelected(change.removed);
        const back = { ops: change.inverse, label: entry.label };
        if (direction === 'undo') pushRedoOnly(back);
        else pushUndoOnly(back);
      } catch (error) {
        const ids = idsIn(entry.ops);
        if (ids.length) {
          const fresh = await api.call('scheduleGet', { ids }).catch(() => null);
          if (fresh) applyItems(queryClient, fresh.items, fresh.missing);
        }
        const message = error instanceof Error ? error.message : String(error);
        toast(`Cannot ${direction} “${entry.label}”: ${message}`);
      } finally {
        setBusy(false);
      }
    }

    return {
      addAsset(channelId: number, assetId: number, startsAt: number) {
        return edit('Add', [], () =>
          api.call('scheduleAdd', {
            channelId,
            kind: 'asset',
            assetId,
            startsAt: Math.max(0, Math.round(startsAt)),
            snapMs: SNAP_MS,
            ripple: ripple(),
          }),
        );
      },
      move(items: ScheduleItem[], deltaMs: number, channelId?: number) {
        const refs = items.map(refOf);
        return edit('Move', refs, () =>
          api.call('scheduleMove', {
            items: refs,
            deltaMs: Math.round(deltaMs),
            ...(channelId !== undefined ? { channelId } : {}),
            snapMs: SNAP_MS,
            ripple: ripple(),
          }),
        );
      },
      /** Left edge: new in point, end kept. Right edge: new length. */
      trim(item: ScheduleItem, start: number, end: number) {
        const ref = refOf(item);
        if (Math.round(start) !== item.startsAt) {
          const delta = Math.round(start) - item.startsAt;
          if (item.kind === 'break') {
            return edit('Trim', [ref], () =>
              api.call('scheduleTrim', {
                ...ref,
                durationMs: Math.max(1, item.durationMs - delta),
                keepEnd: true,
                ripple: ripple(),
              }),
            );
          }
          return edit('Trim', [ref], () =>
            api.call('scheduleTrim', {
              ...ref,
              inMs: Math.max(0, item.inMs + delta),
              keepEnd: true,
              ripple: ripple(),
            }),
          );
        }
        const durationMs = Math.max(1, Math.round(end - start) - item.breaksMs);
        return edit('Trim', [ref], () =>
          api.call('scheduleTrim', { ...ref, durationMs, ripple: ripple() }),
        );
      },
      duplicate(items: ScheduleItem[]) {
        const refs = items.map(refOf);
        return edit('Duplicate', refs, () =>
          api.call('scheduleDuplicate', { items: refs, ripple: ripple() }),
        );
      },
      remove(items: ScheduleItem[]) {
        const refs = items.map(refOf);
        return edit('Delete', refs, () =>
          api.call('scheduleDelete', { items: refs, ripple: ripple() }),
        );
      },
      /** For fills, template runs, copies and imports: their answer is an ordinary change. */
      run(label: string, call: () => Promise<ScheduleChange>) {
        return edit(label, [], call);
      },
      undo: () => replay('undo'),
      redo: () => replay('redo'),
    };
  }, [api, queryClient]);
}
export type ScheduleActions = ReturnType<typeof useScheduleActions>;
