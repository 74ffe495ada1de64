import type { Migration } from '../migration';

/**
 * Notes on recordings and the desk's raw statistics log.
 *
 * Notes: the station's templates (fields as JSON: they are read and written whole); notes with
 * their values as JSON; attachments (screenshot and clip jobs) and the holds that keep a note's
 * ranges from retention as rows. A note outlives its source's recording (it is the record of
 * what aired), so `source_id` has no foreign key. Revisions are kept after a note is deleted (no
 * foreign key either), with what changed. The full-text index is an external-content FTS5 table
 * over the free text and the text of the field values, written by the store with each change.
 *
 * Desk log: one row per desk session and one narrow row per event (kind as a small integer,
 * one optional source and one optional integer value), so a person's day is a few kilobytes.
 * Events the server counts itself (notes, screenshots, clips) have no desk session.
 */
export const migration0016: Migration = {
  version: 16,
  name: 'notes',
  up: (db) => {
    db.exec(`
      CREATE TABLE note_templates (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        fields TEXT NOT NULL CHECK (json_valid(fields)),
        active INTEGER NOT NULL CHECK (active IN (0, 1)),
        archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('note', 'marker')),
        template_id INTEGER REFERENCES note_templates(id),
        at INTEGER NOT NULL,
        in_at INTEGER,
        out_at INTEGER,
        fields TEXT NOT NULL CHECK (json_valid(fields)),
        text TEXT NOT NULL,
        -- What the full-text index holds for the fields (kept to remove it again).
        fields_text TEXT NOT NULL,
        author_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
        author_name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        CHECK ((in_at IS NULL) = (out_at IS NULL) AND (in_at IS NULL OR out_at > in_at))
      ) STRICT;
      CREATE INDEX notes_by_source_time ON notes (source_id, at DESC, id DESC);
      CREATE INDEX notes_by_time ON notes (at DESC, id DESC);
      CREATE INDEX notes_by_author ON notes (author_id, at DESC);
      CREATE INDEX notes_by_template ON notes (template_id);

      CREATE TABLE note_jobs (
        note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
        job_id INTEGER NOT NULL REFERENCES review_jobs(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        PRIMARY KEY (note_id, job_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX note_jobs_job ON note_jobs (job_id);

      CREATE TABLE note_holds (
        note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
        hold_id INTEGER NOT NULL REFERENCES review_holds(id) ON DELETE CASCADE,
        PRIMARY KEY (note_id, hold_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE note_revisions (
        id INTEGER PRIMARY KEY,
        note_id INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('created', 'updated', 'deleted')),
        person_id INTEGER,
        person_name TEXT NOT NULL,
        at INTEGER NOT NULL,
        changes TEXT NOT NULL CHECK (json_valid(changes))
      ) STRICT;
      CREATE INDEX note_revisions_note ON note_revisions (note_id, id);

      CREATE VIRTUAL TABLE notes_fts USING fts5(
        text, fields_text, content='notes', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
      );

      CREATE TABLE desk_sessions (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL,
        desk_session TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        -- The last event's time, and when the server last heard from the desk.
        last_at INTEGER NOT NULL,
        seen_at INTEGER NOT NULL,
        ended_at INTEGER,
        -- Ended by the server because the desk fell silent (it resumes if the desk returns).
        timed_out INTEGER NOT NULL DEFAULT 0 CHECK (timed_out IN (0, 1)),
        UNIQUE (person_id, desk_session)
      ) STRICT;
      CREATE INDEX desk_sessions_open ON desk_sessions (ended_at, seen_at);

      -- kind: 1 sessionStart, 2 sessionEnd, 3 input, 4 playbackStart, 5 playbackStop,
      -- 6 sourceOpen, 7 sourceClose, 8 noteCreated, 9 screenshot, 10 clip.
      -- value: playback speed in hundredths, or the characters of a note.
      CREATE TABLE desk_events (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL,
        session_id INTEGER REFERENCES desk_sessions(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        kind INTEGER NOT NULL,
        source_id INTEGER,
        value INTEGER
      ) STRICT;
      CREATE INDEX desk_events_at ON desk_events (at);
      CREATE INDEX desk_events_session ON desk_events (session_id, at);
    `);
  },
};
