import { useConnectionStore } from '../connection/store';
import { useSettings } from '../settings/queries';
import { formatStationTime, type StationTime } from './format-station-time';
import { useClockStore } from './store';

export type StationClockView = {
  time: StationTime | null;
  coreNow: number | null;
  timeZone: string | null;
  /** False while the core is away: the last time shown is frozen, and the display says so. */
  live: boolean;
};

/**
 * The station's time as the core last announced it, in the station's zone. It moves only when
 * a clockTick arrives, so every window and every screen turns over on the same second.
 */
export function useStationClock(): StationClockView {
  const coreNow = useClockStore((store) => store.coreNow);
  const live = useConnectionStore((store) => store.state.kind === 'open');
  const settings = useSettings().data;
  if (coreNow === null || !settings) {
    return { time: null, coreNow, timeZone: settings?.timeZone ?? null, live };
  }
  return {
    time: formatStationTime(coreNow, settings.timeZone, settings.clockFormat),
    coreNow,
    timeZone: settings.timeZone,
    live,
  };
}
