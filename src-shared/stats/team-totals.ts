// What the Team screen shows, folded from the minute table: totals per person and per source,
// planned shift time against presence, and series over buckets (DST-aware edges come from the
// caller, who knows the station zone). Pure so the screen, a test and a bench agree.
import type { PersonMinute, Response } from '../contract';

const MINUTE_MS = 60_000;

/** Minutes with two decimals, rounded as the reports round them (so the XLSX sums agree). */
export const minutesOf = (ms: number) => Math.round(ms / 600) / 100;

export type PersonTotals = {
  personId: number;
  signedInMs: number;
  activeMs: number;
  notes: number;
  characters: number;
  screenshots: number;
  clips: number;
  /** Planned shift time inside the window. */
  plannedMs: number;
  /** Signed-in time inside the person's own shifts. */
  presentInShiftMs: number;
};

export type SourceTotals = {
  sourceId: number;
  reviewedMs: number;
  /** Minutes of the window in which anyone reviewed the source. */
  coveredMinutes: number;
  /** coveredMinutes over the window's minutes, 0–1. */
  coverage: number;
};

type Span = { personId: number; start: number; end: number };

const overlap = (a: number, b: number, c: number, d: number) =>
  Math.max(0, Math.min(b, d) - Math.max(a, c));

/** A person's running totals in `map`, started at zero the first time they are asked for. */
function totalsOf(map: Map<number, PersonTotals>, personId: number): PersonTotals {
  let t = map.get(personId);
  if (!t) {
    t = {
      personId,
      signedInMs: 0,
      activeMs: 0,
      notes: 0,
      characters: 0,
      screenshots: 0,
      clips: 0,
      plannedMs: 0,
      presentInShiftMs: 0,
    };
    map.set(personId, t);
  }
  return t;
}

export function personTotals(
  minutes: readonly PersonMinute[],
  shifts: readonly Span[],
  from: number,
  to: number,
): PersonTotals[] {
  const totals = new Map<number, PersonTotals>();
  const get = (personId: number) => totalsOf(totals, personId);
  const shiftsOf = new Map<number, Span[]>();
  for (const s of shifts) {
    get(s.personId).plannedMs += overlap(s.start, s.end, from, to);
    shiftsOf.set(s.personId, [...(shiftsOf.get(s.personId) ?? []), s]);
  }
  for (const r of minutes) {
    const t = get(r.personId);
    t.signedInMs += r.signedInMs;
    t.activeMs += r.activeMs;
    t.notes += r.notes;
    t.characters += r.characters;
    t.screenshots += r.screenshots;
    t.clips += r.clips;
    if (shiftsOf.get(r.personId)?.some((s) => s.start <= r.minute && r.minute < s.end))
      t.presentInShiftMs += r.signedInMs;
  }
  return [...totals.values()].sort((a, b) => a.personId - b.personId);
}

type Buckets = Response<'statsBuckets'>;

/** Totals per person and per source from the bucketed sums the core returns. */
export function totalsFromBuckets(
  data: Buckets,
  from: number,
  to: number,
): { people: PersonTotals[]; sources: SourceTotals[] } {
  const people = new Map<number, PersonTotals>();
  const person = (personId: number) => totalsOf(people, personId);
  for (const r of data.people) {
    const t = person(r.personId);
    t.signedInMs += r.signedInMs;
    t.activeMs += r.activeMs;
    t.notes += r.notes;
    t.characters += r.characters;
    t.screenshots += r.screenshots;
    t.clips += r.clips;
  }
  for (const p of data.presence) {
    const t = person(p.personId);
    t.plannedMs += p.plannedMs;
    t.presentInShiftMs += p.inShiftMs;
  }
  const windowMinutes = Math.max(1, Math.round((to - from) / MINUTE_MS));
  const sources = new Map<number, SourceTotals>();
  for (const r of data.sources) {
    const t = sources.get(r.sourceId) ?? {
      sourceId: r.sourceId,
      reviewedMs: 0,
      coveredMinutes: 0,
      coverage: 0,
    };
    t.reviewedMs += r.reviewedMs;
    t.coveredMinutes += r.coveredMinutes;
    t.coverage = t.coveredMinutes / windowMinutes;
    sources.set(r.sourceId, t);
  }
  return {
    people: [...people.values()].sort((a, b) => a.personId - b.personId),
    sources: [...sources.values()].sort((a, b) => a.sourceId - b.sourceId),
  };
}

/** One series per id over the buckets (zeros where nothing happened). */
export function seriesFromBuckets<R extends { bucket: number }>(
  rows: readonly R[],
  buckets: number,
  id: (row: R) => number,
  value: (row: R) => number,
): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const r of rows) {
    const key = id(r);
    let series = out.get(key);
    if (!series) {
      series = new Array<number>(buckets).fill(0);
      out.set(key, series);
    }
    series[r.bucket]! += value(r);
  }
  return out;
}
