import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { BatchOp } from '../../../src-shared/contract';
import { toast as showToast } from '../../ui';

/** `channels`: the week of every enabled channel as EPG-style rows (ChannelWeekGrid). */
export type CalendarView = 'day' | 'week' | 'channels' | 'month' | 'agenda';

export type Dialog =
  | { kind: 'fill'; channelId: number; from: number; to: number; gap: boolean }
  | { kind: 'templates' }
  | { kind: 'copy' }
  | { kind: 'transfer' }
  | { kind: 'channels' }
  | null;

/** An undoable step: the batch that reverts it, and a label for the button's tooltip. */
export type UndoEntry = { ops: BatchOp[]; label: string };

type ScheduleUi = {
  view: CalendarView;
  /** Any instant inside the shown day/week/month (epoch ms). */
  date: number;
  /** The channel shown by week, month and agenda views (day and channels show all enabled). */
  channelId: number | null;
  selected: number[];
  ripple: boolean;
  undo: UndoEntry[];
  redo: UndoEntry[];
  dialog: Dialog;
  showValidation: boolean;
  /** The library asset being dragged onto the calendar. */
  dragging: { assetId: number; name: string; durationMs: number } | null;
  busy: boolean;
  /** Where the time grid scrolls to (set by jumps from the validation report). */
  focusAt: number | null;
  /** 1: hours, 2: 5-minute slots, 3: minutes (short items become tall enough to grab). */
  zoom: 1 | 2 | 3;
};

const UNDO_DEPTH = 100;

const VIEWS: readonly CalendarView[] = ['day', 'week', 'channels', 'month', 'agenda'];
const ZOOMS = [1, 2, 3] as const;

/**
 * The view and zoom are remembered in this window (like the last screen), so an operator who
 * works on the all-channels week gets it straight back; a stored value that is not a known
 * view or zoom is ignored.
 */
function rememberedView(stored: unknown): Partial<Pick<ScheduleUi, 'view' | 'zoom'>> {
  if (typeof stored !== 'object' || stored === null) return {};
  const { view, zoom } = stored as Record<string, unknown>;
  return {
    ...(VIEWS.includes(view as CalendarView) ? { view: view as CalendarView } : {}),
    ...(ZOOMS.includes(zoom as 1 | 2 | 3) ? { zoom: zoom as 1 | 2 | 3 } : {}),
  };
}

export const useScheduleUi = create<ScheduleUi>()(
  persist(
    (): ScheduleUi => ({
      view: 'day',
      date: Date.now(),
      channelId: null,
      selected: [],
      ripple: false,
      undo: [],
      redo: [],
      dialog: null,
      showValidation: false,
      dragging: null,
      busy: false,
      focusAt: null,
      zoom: 1,
    }),
    {
      name: 'airdeck.schedule-view',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ view: s.view, zoom: s.zoom }),
      merge: (stored, current) => ({ ...current, ...rememberedView(stored) }),
    },
  ),
);

const set = useScheduleUi.setState;

export const setView = (view: CalendarView) => set({ view });
export const setDate = (date: number) => set({ date });
export const setChannel = (channelId: number | null) => set({ channelId, selected: [] });
export const setRipple = (ripple: boolean) => set({ ripple });
export const openDialog = (dialog: Dialog) => set({ dialog });
export const closeDialog = () => set({ dialog: null });
export const toggleValidation = () => set((s) => ({ showValidation: !s.showValidation }));
export const setDragging = (dragging: ScheduleUi['dragging']) => set({ dragging });
/** Shows the day holding `at` and scrolls the grid to it. */
export const jumpTo = (at: number, channelId?: number) =>
  set((s) => ({
    date: at,
    focusAt: at,
    view: s.view === 'month' || s.view === 'agenda' ? 'day' : s.view,
    channelId: channelId ?? s.channelId,
  }));
export const setZoom = (zoom: 1 | 2 | 3) => set({ zoom });
export const setBusy = (busy: boolean) => set({ busy });

export function selectItem(id: number, additive: boolean) {
  set((s) => {
    if (!additive) return { selected: [id] };
    return {
      selected: s.selected.includes(id) ? s.selected.filter((x) => x !== id) : [...s.selected, id],
    };
  });
}
export const clearSelection = () => set({ selected: [] });
export const forgetSelected = (ids: readonly number[]) =>
  set((s) => ({ selected: s.selected.filter((id) => !ids.includes(id)) }));

/** A new edit: its inverse goes on the undo stack and the redo stack is dropped. */
export function pushUndo(entry: UndoEntry) {
  if (entry.ops.length === 0) return;
  set((s) => ({ undo: [...s.undo, entry].slice(-UNDO_DEPTH), redo: [] }));
}
export function popUndo(): UndoEntry | undefined {
  const entry = useScheduleUi.getState().undo.at(-1);
  if (entry) set((s) => ({ undo: s.undo.slice(0, -1) }));
  return entry;
}
export function popRedo(): UndoEntry | undefined {
  const entry = useScheduleUi.getState().redo.at(-1);
  if (entry) set((s) => ({ redo: s.redo.slice(0, -1) }));
  return entry;
}
export const pushRedoOnly = (entry: UndoEntry) =>
  set((s) => ({ redo: [...s.redo, entry].slice(-UNDO_DEPTH) }));
export const pushUndoOnly = (entry: UndoEntry) =>
  set((s) => ({ undo: [...s.undo, entry].slice(-UNDO_DEPTH) }));

/** The schedule's messages go to the window's one toaster, marked as the schedule's. */
export function toast(text: string, tone: 'error' | 'ok' = 'error') {
  showToast(text, tone, { testId: 'schedule-toast' });
}
