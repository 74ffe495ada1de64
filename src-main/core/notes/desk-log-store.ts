// The desk's raw event log as stored (migration 0016): sessions and narrow event rows, read
// back as the DeskEvent log the minute table is computed from.
import type { Database } from 'better-sqlite3';
import type { DeskEvent } from '../../../src-shared/stats/desk-events';

const KIND = {
  sessionStart: 1,
  sessionEnd: 2,
  input: 3,
  playbackStart: 4,
  playbackStop: 5,
  sourceOpen: 6,
  sourceClose: 7,
  noteCreated: 8,
  screenshot: 9,
  clip: 10,
} as const satisfies Record<DeskEvent['type'], number>;
type Kind = (typeof KIND)[keyof typeof KIND];
const TYPE_OF = new Map<number, DeskEvent['type']>(
  Object.entries(KIND).map(([type, kind]) => [kind, type as DeskEvent['type']]),
);
/** Kinds that change what a session holds (signed in, playing, open): needed to resume it. */
const STATE_KINDS = [1, 2, 4, 5, 6, 7].join(', ');
/** The desk session name of what the server counted itself (no desk session of its own). */
export const SERVER_SESSION = 'server';

/** An event without its person and session (they are the row's). */
export type LoggedEvent = DeskEvent extends infer E
  ? E extends DeskEvent
    ? Omit<E, 'personId' | 'deskSession'>
    : never
  : never;

type RawEvent = {
  id: number;
  person_id: number;
  desk_session: string | null;
  at: number;
  kind: Kind;
  source_id: number | null;
  value: number | null;
};

function toDeskEvent(r: RawEvent): DeskEvent | null {
  const type = TYPE_OF.get(r.kind);
  const base = { at: r.at, personId: r.person_id, deskSession: r.desk_session ?? SERVER_SESSION };
  const sourceId = r.source_id ?? 0;
  switch (type) {
    case 'sessionStart':
    case 'sessionEnd':
    case 'input':
      return { ...base, type };
    case 'playbackStart':
      return { ...base, type, sourceId, speed: (r.value ?? 100) / 100 };
    case 'playbackStop':
    case 'sourceOpen':
    case 'sourceClose':
    case 'screenshot':
    case 'clip':
      return { ...base, type, sourceId };
    case 'noteCreated':
      return { ...base, type, sourceId: r.source_id, characters: r.value ?? 0 };
    default:
      return null;
  }
}

function valueOf(e: LoggedEvent): number | null {
  if (e.type === 'playbackStart') return Math.round(e.speed * 100);
  if (e.type === 'noteCreated') return e.characters;
  return null;
}

export type DeskSessionRow = {
  id: number;
  person_id: number;
  desk_session: string;
  started_at: number;
  last_at: number;
  seen_at: number;
  ended_at: number | null;
  timed_out: number;
};

export function createDeskLogStore(db: Database) {
  const q = {
    session: db.prepare<[number, string], DeskSessionRow>(
      'SELECT * FROM desk_sessions WHERE person_id = ? AND desk_session = ?',
    ),
    insertSession: db.prepare<[number, string, number, number, number]>(
      `INSERT INTO desk_sessions (person_id, desk_session, started_at, last_at, seen_at)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    touch: db.prepare<[number, number, number | null, number]>(
      `UPDATE desk_sessions SET last_at = max(last_at, ?), seen_at = ?, ended_at = ?, timed_out = 0
       WHERE id = ?`,
    ),
    timeOut: db.prepare<[number]>(
      'UPDATE desk_sessions SET ended_at = last_at, timed_out = 1 WHERE id = ?',
    ),
    insertEvent: db.prepare<[number, number | null, number, number, number | null, number | null]>(
      'INSERT INTO desk_events (person_id, session_id, at, kind, source_id, value) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    stale: db.prepare<[number], DeskSessionRow>(
      'SELECT * FROM desk_sessions WHERE ended_at IS NULL AND seen_at < ?',
    ),
    anyOpen: db.prepare<[], { id: number }>(
      'SELECT id FROM desk_sessions WHERE ended_at IS NULL LIMIT 1',
    ),
    // Everything from `from` on, plus the state-changing events before it of the sessions still
    // open at `from`: enough to resume them there without reading their whole history.
    window: db.prepare<{ from: number; to: number }, RawEvent>(
      `SELECT e.id, e.person_id, s.desk_session, e.at, e.kind, e.source_id, e.value
         FROM desk_events e LEFT JOIN desk_sessions s ON s.id = e.session_id
         WHERE e.at >= @from AND e.at < @to
       UNION ALL
       SELECT e.id, e.person_id, s.desk_session, e.at, e.kind, e.source_id, e.value
         FROM desk_events e JOIN desk_sessions s ON s.id = e.session_id
         WHERE s.started_at < @from AND (s.ended_at IS NULL OR s.ended_at >= @from)
           AND e.at < @from AND e.kind IN (${STATE_KINDS})
       ORDER BY 4, 1`,
    ),
    purgeEvents: db.prepare<[number]>('DELETE FROM desk_events WHERE at < ?'),
    purgeSessions: db.prepare<[number]>(
      'DELETE FROM desk_sessions WHERE ended_at IS NOT NULL AND ended_at < ?',
    ),
  };

  return {
    session: (personId: number, deskSession: string): DeskSessionRow | undefined =>
      q.session.get(personId, deskSession),
    /**
     * Appends a desk's events to its session (made on first sight) and returns the session.
     * A sessionEnd closes it; a later sessionStart opens it again.
     */
    appendDesk: db.transaction(
      (personId: number, deskSession: string, events: readonly LoggedEvent[], seenAt: number) => {
        if (events.length === 0) return;
        const first = events[0]!;
        let row = q.session.get(personId, deskSession);
        if (!row) {
          q.insertSession.run(personId, deskSession, first.at, first.at, seenAt);
          row = q.session.get(personId, deskSession)!;
        }
        let ended = row.ended_at;
        // A desk the server gave up on is back: its session goes on from here.
        if (row.timed_out === 1 && first.type !== 'sessionStart') {
          q.insertEvent.run(personId, row.id, first.at, KIND.sessionStart, null, null);
          ended = null;
        }
        for (const e of events) {
          q.insertEvent.run(
            personId,
            row.id,
            e.at,
            KIND[e.type],
            'sourceId' in e ? e.sourceId : null,
            valueOf(e),
          );
          if (e.type === 'sessionEnd') ended = e.at;
          else if (e.type === 'sessionStart') ended = null;
        }
        q.touch.run(events.at(-1)!.at, seenAt, ended, row.id);
      },
    ),
    /** An event the server counted itself (a note, a screenshot, a clip). */
    appendServer(personId: number, event: LoggedEvent): void {
      q.insertEvent.run(
        personId,
        null,
        event.at,
        KIND[event.type],
        'sourceId' in event ? event.sourceId : null,
        valueOf(event),
      );
    },
    /** Ends sessions not heard from since `before` at their last event; returns the earliest. */
    endStale: db.transaction((before: number): number | null => {
      let earliest: number | null = null;
      for (const s of q.stale.all(before)) {
        q.insertEvent.run(s.person_id, s.id, s.last_at, KIND.sessionEnd, null, null);
        q.timeOut.run(s.id);
        earliest = earliest === null ? s.last_at : Math.min(earliest, s.last_at);
      }
      return earliest;
    }),
    anyOpen: (): boolean => q.anyOpen.get() !== undefined,
    /** The log that determines every minute of [from, to), in order. */
    window(from: number, to: number): DeskEvent[] {
      const out: DeskEvent[] = [];
      for (const row of q.window.all({ from, to })) {
        const event = toDeskEvent(row);
        if (event) out.push(event);
      }
      return out;
    },
    /** Drops raw events (and ended sessions) older than `before`; returns the rows removed. */
    purge(before: number): number {
      return q.purgeEvents.run(before).changes + q.purgeSessions.run(before).changes;
    },
  };
}

export type DeskLogStore = ReturnType<typeof createDeskLogStore>;
