import { DateTime } from 'luxon';
import { create } from 'zustand';

export type ShiftsView = 'week' | 'day';
export type ShiftDialogState =
  | { kind: 'create'; personId: number | null; start: number; end: number }
  | { kind: 'edit'; key: string }
  | { kind: 'timeOff'; personId: number | null; start: number; end: number }
  | { kind: 'removeTimeOff'; id: number }
  | null;

type ShiftsUi = {
  view: ShiftsView;
  /** Any instant in the week (or day) shown. */
  date: number;
  /** First person shown in the week view (people are paged so a week stays quick). */
  firstPerson: number;
  dialog: ShiftDialogState;
};

export const PEOPLE_PER_WEEK_PAGE = 5;

export const useShiftsUi = create<ShiftsUi>(() => ({
  view: 'week',
  date: Date.now(),
  firstPerson: 0,
  dialog: null,
}));

export const setShiftsView = (view: ShiftsView) => useShiftsUi.setState({ view });
export const setShiftsDate = (date: number) => useShiftsUi.setState({ date });
export const stepShiftsDate = (direction: 1 | -1) =>
  useShiftsUi.setState((s) => ({
    date: DateTime.fromMillis(s.date)
      .plus(s.view === 'week' ? { weeks: direction } : { days: direction })
      .toMillis(),
  }));
export const setFirstPerson = (firstPerson: number) => useShiftsUi.setState({ firstPerson });
export const openShiftDialog = (dialog: ShiftDialogState) => useShiftsUi.setState({ dialog });
export const closeShiftDialog = () => useShiftsUi.setState({ dialog: null });
