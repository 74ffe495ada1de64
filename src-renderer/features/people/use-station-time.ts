import { useCallback } from 'react';
import { useSettings } from '../settings/queries';
import { formatStationDateTime } from './model';

/** The station's zone and a formatter for instants in it (UTC until settings arrive). */
export function useStationTime(): { timeZone: string; format: (ms: number) => string } {
  const timeZone = useSettings().data?.timeZone ?? 'UTC';
  const format = useCallback((ms: number) => formatStationDateTime(ms, timeZone), [timeZone]);
  return { timeZone, format };
}
