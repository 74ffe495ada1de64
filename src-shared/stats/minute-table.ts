import type { PersonMinute, SourceMinute } from '../contract/shifts';
import { intersectSpans, unionSpans, type Span } from '../shifts/intervals';
import { speedBand, speedBands, type DeskEvent } from './desk-events';

export const MINUTE_MS = 60_000;

export type AggregateOptions = {
  /** Input keeps a person active this long after it (an open, idle window is not activity). */
  idleMs: number;
  /** Where still-open sessions, playbacks and sources are cut (the end of the log's window). */
  until: number;
};

/**
 * The minute table of an ordered desk log. Minutes are keyed by their UTC start: every zone in
 * use today is offset from UTC by whole minutes, so a UTC minute is exactly one station-local
 * wall minute, and a repeated or skipped hour at a DST change is neither merged nor invented
 * (grouping by local day is the reader's job, with the station zone).
 *
 * Signed-in: inside any desk session of the person. Active: within `idleMs` after an input, or
 * while playing anything, and only while signed in. Playback, open sources and everything a
 * session holds end with the session. Per source: playback time by anyone (counted once when
 * two people watch the same source).
 */
export function minuteTable(
  events: readonly DeskEvent[],
  options: AggregateOptions,
): { people: PersonMinute[]; sources: SourceMinute[] } {
  type Open = { since: number; speed: number };
  type Session = {
    personId: number;
    start: number;
    playing: Map<number, Open>;
    open: Map<number, number>;
  };
  const sessions = new Map<string, Session>();
  const signedIn = new Map<number, Span[]>();
  const inputs = new Map<number, Span[]>();
  const playing = new Map<number, Span[]>();
  const bands = new Map<string, Span[]>(); // `${person}:${band}`
  const sourcesOpen = new Map<string, Span[]>(); // `${person}:${source}`
  const sourcePlay = new Map<number, Span[]>();
  const counts = new Map<string, PersonMinute>();
  const push = <K>(map: Map<K, Span[]>, key: K, start: number, end: number) => {
    const list = map.get(key);
    if (list) list.push({ start, end });
    else map.set(key, [{ start, end }]);
  };
  const row = (personId: number, minute: number): PersonMinute => {
    const key = `${personId}:${minute}`;
    let r = counts.get(key);
    if (!r) {
      r = emptyRow(personId, minute);
      counts.set(key, r);
    }
    return r;
  };

  const stopPlayback = (s: Session, sourceId: number, at: number) => {
    const p = s.playing.get(sourceId);
    if (!p) return;
    s.playing.delete(sourceId);
    push(playing, s.personId, p.since, at);
    push(bands, `${s.personId}:${speedBand(p.speed)}`, p.since, at);
    push(sourcePlay, sourceId, p.since, at);
  };
  const closeSource = (s: Session, sourceId: number, at: number) => {
    const since = s.open.get(sourceId);
    if (since === undefined) return;
    s.open.delete(sourceId);
    push(sourcesOpen, `${s.personId}:${sourceId}`, since, at);
  };
  const endSession = (key: string, s: Session, at: number) => {
    for (const id of [...s.playing.keys()]) stopPlayback(s, id, at);
    for (const id of [...s.open.keys()]) closeSource(s, id, at);
    push(signedIn, s.personId, s.start, at);
    sessions.delete(key);
  };

  for (const e of events) {
    const key = `${e.personId}:${e.deskSession}`;
    const s = sessions.get(key);
    const minute = Math.floor(e.at / MINUTE_MS) * MINUTE_MS;
    switch (e.type) {
      case 'sessionStart':
        if (!s)
          sessions.set(key, {
            personId: e.personId,
            start: e.at,
            playing: new Map(),
            open: new Map(),
          });
        break;
      case 'sessionEnd':
        if (s) endSession(key, s, e.at);
        break;
      case 'input':
        push(inputs, e.personId, e.at, e.at + options.idleMs);
        break;
      case 'playbackStart':
        if (!s) break;
        stopPlayback(s, e.sourceId, e.at);
        s.playing.set(e.sourceId, { since: e.at, speed: e.speed });
        break;
      case 'playbackStop':
        if (s) stopPlayback(s, e.sourceId, e.at);
        break;
      case 'sourceOpen':
        if (s && !s.open.has(e.sourceId)) s.open.set(e.sourceId, e.at);
        break;
      case 'sourceClose':
        if (s) closeSource(s, e.sourceId, e.at);
        break;
      case 'noteCreated': {
        const r = row(e.personId, minute);
        r.notes += 1;
        r.characters += e.characters;
        break;
      }
      case 'screenshot':
        row(e.personId, minute).screenshots += 1;
        break;
      case 'clip':
        row(e.personId, minute).clips += 1;
        break;
    }
  }
  for (const [key, s] of [...sessions]) endSession(key, s, options.until);

  for (const [personId, spans] of signedIn) {
    const present = unionSpans(spans);
    for (const span of present) spread(span, (m, ms) => (row(personId, m).signedInMs += ms));
    const active = intersectSpans(
      unionSpans([...(inputs.get(personId) ?? []), ...(playing.get(personId) ?? [])]),
      present,
    );
    for (const span of active) spread(span, (m, ms) => (row(personId, m).activeMs += ms));
  }
  for (const [key, spans] of bands) {
    const [personId, band] = key.split(':').map(Number) as [number, number];
    for (const span of unionSpans(spans))
      spread(span, (m, ms) => {
        const r = row(personId, m);
        r.speedMs[String(band)] = (r.speedMs[String(band)] ?? 0) + ms;
      });
  }
  for (const [key, spans] of sourcesOpen) {
    const personId = Number(key.split(':')[0]);
    // Counted once per minute the source was open at all, however often it was reopened.
    const minutes = new Set<number>();
    for (const span of unionSpans(spans)) spread(span, (m) => minutes.add(m));
    for (const m of minutes) row(personId, m).sourcesOpen += 1;
  }
  const sourceRows = new Map<string, SourceMinute>();
  for (const [sourceId, spans] of sourcePlay)
    for (const span of unionSpans(spans))
      spread(span, (minute, ms) => {
        const k = `${sourceId}:${minute}`;
        const r = sourceRows.get(k) ?? { sourceId, minute, reviewedMs: 0 };
        r.reviewedMs += ms;
        sourceRows.set(k, r);
      });

  return {
    people: [...counts.values()].sort((a, b) => a.personId - b.personId || a.minute - b.minute),
    sources: [...sourceRows.values()].sort(
      (a, b) => a.sourceId - b.sourceId || a.minute - b.minute,
    ),
  };
}

/** Calls `add(minuteStart, ms)` for each UTC minute the span touches, with the time inside it. */
function spread(span: Span, add: (minute: number, ms: number) => void): void {
  let t = span.start;
  while (t < span.end) {
    const minute = Math.floor(t / MINUTE_MS) * MINUTE_MS;
    const next = Math.min(minute + MINUTE_MS, span.end);
    add(minute, next - t);
    t = next;
  }
}

export function emptyRow(personId: number, minute: number): PersonMinute {
  return {
    personId,
    minute,
    signedInMs: 0,
    activeMs: 0,
    sourcesOpen: 0,
    speedMs: {},
    notes: 0,
    characters: 0,
    screenshots: 0,
    clips: 0,
  };
}

export { speedBands };
