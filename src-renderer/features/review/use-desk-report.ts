import { useEffect } from 'react';
import type { ApiClient } from '../../app/api/api-client';
import { useApi } from '../../app/api/use-api';
import { useClockStore } from '../clock/store';
import {
  activityEvents,
  idleActivity,
  type DeskActivity,
  type ReportedDeskEvent,
} from './desk-events';
import { playingOf, speedOf, useDesk } from './desk-store';

const SEND_EVERY_MS = 3000;
const INPUT_EVERY_MS = 1000;

function activityOf(state: ReturnType<typeof useDesk.getState>): DeskActivity {
  const open = new Set<number>();
  const playing = new Map<number, number>();
  state.tiles.slice(0, state.layout).forEach((tile, index) => {
    if (tile.sourceId === null) return;
    open.add(tile.sourceId);
    if (playingOf(state, index))
      playing.set(tile.sourceId, Math.max(playing.get(tile.sourceId) ?? 0, speedOf(state, index)));
  });
  return { open, playing };
}

/**
 * Reports this desk to the statistics feed while the screen is open: session start and end,
 * input (one a second at most), sources opened and closed, playback and its speed; sent in
 * batches every few seconds. A failed batch is dropped (statistics, not a record of work).
 */
export function useDeskReport() {
  const api = useApi();
  useEffect(() => startDeskReport(api), [api]);
}

function startDeskReport(api: ApiClient): () => void {
  const deskSession = `desk-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  let queue: ReportedDeskEvent[] = [];
  let lastAt = 0;
  let lastInput = 0;
  const now = () => {
    lastAt = Math.max(lastAt, Math.round(Date.now() + useClockStore.getState().offsetMs));
    return lastAt;
  };
  const send = () => {
    if (queue.length === 0) return;
    const events = queue.slice(0, 500);
    queue = queue.slice(500);
    void api.call('deskEventsReport', { deskSession, events }).catch(() => undefined);
  };

  queue.push({ type: 'sessionStart', at: now() });
  let activity = idleActivity;
  const onDesk = () => {
    const next = activityOf(useDesk.getState());
    queue.push(...activityEvents(activity, next, now()));
    activity = next;
  };
  onDesk();
  const unsubscribe = useDesk.subscribe(onDesk);
  const onInput = () => {
    if (Date.now() - lastInput < INPUT_EVERY_MS) return;
    lastInput = Date.now();
    queue.push({ type: 'input', at: now() });
  };
  document.addEventListener('keydown', onInput, true);
  document.addEventListener('pointerdown', onInput, true);
  const timer = setInterval(send, SEND_EVERY_MS);
  return () => {
    clearInterval(timer);
    unsubscribe();
    document.removeEventListener('keydown', onInput, true);
    document.removeEventListener('pointerdown', onInput, true);
    const at = now();
    queue.push(...activityEvents(activity, idleActivity, at), { type: 'sessionEnd', at });
    send();
  };
}
