import { zoneOffsetLabel } from '../clock/format-station-time';

export type TimeZoneOption = { id: string; offset: string; alsoKnownAs: string | null };

/**
 * ICU (and so Chromium's Intl.supportedValuesOf) still lists some zones under names IANA
 * retired years ago. Operators look for the current names, so the list shows those (Intl
 * accepts both) and the old name still matches the filter.
 */
const currentNames: Record<string, string> = {
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

function isKnownZone(id: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: id });
    return true;
  } catch {
    return false;
  }
}

function toOption(icuId: string, at: number): TimeZoneOption {
  const current = currentNames[icuId];
  const id = current && isKnownZone(current) ? current : icuId;
  return { id, offset: zoneOffsetLabel(id, at), alsoKnownAs: id === icuId ? null : icuId };
}

let cached: TimeZoneOption[] | null = null;

/**
 * Every IANA zone this browser knows, with its current UTC offset to help operators pick. Built
 * once per window: 400-odd formatters are cheap once and wasteful on every keystroke.
 */
export function listTimeZones(): TimeZoneOption[] {
  if (!cached) {
    const now = Date.now();
    // Chromium lists canonical zones only; UTC, the default, is not among them.
    const zones = [
      toOption('UTC', now),
      ...Intl.supportedValuesOf('timeZone')
        .filter((id) => id !== 'UTC')
        .map((id) => toOption(id, now)),
    ];
    const seen = new Set<string>();
    cached = zones
      .filter((zone) => !seen.has(zone.id) && seen.add(zone.id))
      .sort((a, b) => (a.id === 'UTC' ? -1 : b.id === 'UTC' ? 1 : a.id.localeCompare(b.id)));
  }
  return cached;
}

/** Matches "new york", "New_York", "america/", an old name like "Calcutta", or "GMT+5:45". */
export function filterTimeZones(zones: TimeZoneOption[], filter: string): TimeZoneOption[] {
  const needle = filter.trim().toLowerCase().replace(/\s+/g, '_');
  if (!needle) return zones;
  return zones.filter(
    (zone) =>
      zone.id.toLowerCase().includes(needle) ||
      zone.alsoKnownAs?.toLowerCase().includes(needle) ||
      zone.offset.toLowerCase() === needle,
  );
}
