/**
 * Time-zone arithmetic on top of Intl only, so it runs in the renderer, the core and tests alike.
 * "Wall" values are the local calendar fields encoded as if they were UTC milliseconds
 * (Date.UTC(y, m, d, h, mi)); instants are real UTC milliseconds.
 */
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** UTC offset of `zone` at `instant`, in ms (Berlin in summer: +7 200 000). */
export function zoneOffsetMs(zone: string, instant: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    fields.year ?? 1970,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
  // Intl has no milliseconds: compare against the instant floored to the second.
  return wall - Math.floor(instant / 1000) * 1000;
}

export function instantToWall(zone: string, instant: number): number {
  return instant + zoneOffsetMs(zone, instant);
}

/**
 * The instant a wall-clock time happens. In the hour a spring-forward skips, the time is read
 * with the offset before the change (02:30 becomes 03:30), as Temporal's "compatible" does; in
 * the hour a fall-back repeats, the first occurrence is taken.
 */
export function wallToInstant(zone: string, wall: number): number {
  const before = zoneOffsetMs(zone, wall - DAY_MS);
  const after = zoneOffsetMs(zone, wall + DAY_MS);
  const candidates = [wall - before, wall - after].filter(
    (t) => t + zoneOffsetMs(zone, t) === wall,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - before;
}

export type DstChange = { at: number; offsetBeforeMs: number; offsetAfterMs: number };

/** Every offset change in [from, to), to the millisecond. */
export function dstChanges(zone: string, from: number, to: number): DstChange[] {
  const changes: DstChange[] = [];
  let t = from;
  let offset = zoneOffsetMs(zone, t);
  while (t < to) {
    const next = Math.min(t + HOUR_MS, to);
    const nextOffset = zoneOffsetMs(zone, next);
    if (nextOffset !== offset) {
      // Binary search for the first instant with the new offset.
      let lo = t;
      let hi = next;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (zoneOffsetMs(zone, mid) === offset) lo = mid;
        else hi = mid;
      }
      if (hi < to) changes.push({ at: hi, offsetBeforeMs: offset, offsetAfterMs: nextOffset });
      offset = nextOffset;
    }
    t = next;
  }
  return changes;
}
