import { create } from 'zustand';

type ClockStore = {
  /** The core's time at the latest clockTick, epoch ms; null until the first tick arrives. */
  coreNow: number | null;
  /**
   * Core time minus this machine's time when the tick arrived. It lets a display place
   * sub-second motion between ticks and shows operators how far the workstation clock drifts.
   */
  offsetMs: number;
};

export const useClockStore = create<ClockStore>()(() => ({ coreNow: null, offsetMs: 0 }));

export function receiveClockTick(now: number) {
  useClockStore.setState({ coreNow: now, offsetMs: now - Date.now() });
}

/** A new session must not show the previous core's time as if it were current. */
export function resetClock() {
  useClockStore.setState({ coreNow: null, offsetMs: 0 });
}
