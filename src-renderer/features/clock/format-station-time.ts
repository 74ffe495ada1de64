import type { Settings } from '../../../src-shared/contract';

export type StationTime = {
  hours: string;
  minutes: string;
  seconds: string;
  /** "AM"/"PM" on a 12-hour clock, null on a 24-hour one. */
  dayPeriod: string | null;
  /** Long date in the operator's locale, e.g. "Friday, 21 November 2025". */
  date: string;
  /** Short zone name as the station's viewers know it, e.g. "CET" or "GMT+5:45". */
  zoneName: string;
};

type Formatters = { time: Intl.DateTimeFormat; date: Intl.DateTimeFormat };

// Building an Intl.DateTimeFormat is far costlier than using one; the clock formats every second.
const formatterCache = new Map<string, Formatters>();

function formattersFor(timeZone: string, clockFormat: Settings['clockFormat']): Formatters {
  const key = `${timeZone}|${clockFormat}`;
  let formatters = formatterCache.get(key);
  if (!formatters) {
    formatters = {
      // en-US keeps Latin digits and ":" whatever the operator's locale; the date uses theirs.
      time: new Intl.DateTimeFormat('en-US', {
        timeZone,
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: clockFormat === '24h' ? 'h23' : 'h12',
        timeZoneName: 'short',
      }),
      date: new Intl.DateTimeFormat(undefined, {
        timeZone,
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
      }),
    };
    formatterCache.set(key, formatters);
  }
  return formatters;
}

export function formatStationTime(
  epochMs: number,
  timeZone: string,
  clockFormat: Settings['clockFormat'],
): StationTime {
  const { time, date } = formattersFor(timeZone, clockFormat);
  const parts = Object.fromEntries(time.formatToParts(epochMs).map((p) => [p.type, p.value]));
  return {
    hours: parts.hour ?? '--',
    minutes: parts.minute ?? '--',
    seconds: parts.second ?? '--',
    dayPeriod: clockFormat === '12h' ? (parts.dayPeriod ?? null) : null,
    date: date.format(epochMs),
    zoneName: parts.timeZoneName ?? timeZone,
  };
}

/** "GMT+5:45" for a zone at a given instant (offsets move with daylight saving time). */
export function zoneOffsetLabel(timeZone: string, at: number): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName');
  return parts?.value ?? '';
}

/** "14:05:09" or "02:05:09 PM": the time as one string, for readouts and previews. */
export function clockText(time: StationTime): string {
  const hms = `${time.hours}:${time.minutes}:${time.seconds}`;
  return time.dayPeriod ? `${hms} ${time.dayPeriod}` : hms;
}
