import { Settings } from 'luxon';

/**
 * Calendars show the STATION's wall clock, whatever zone the browser is in: luxon's default
 * zone is set to the station zone and react-big-calendar's luxon localizer reads it on every call.
 */
export function applyStationZone(zone: string): void {
  if (Settings.defaultZone.name !== zone) Settings.defaultZone = zone;
}
