// Note templates, notes, their attachments, holds, revisions and full-text index as stored
// (migration 0016). Statements are prepared once; JSON columns are read and written whole.
import type { Database } from 'better-sqlite3';
import type {
  Note,
  NoteFieldValue,
  NoteKind,
  NoteRevision,
  NoteTemplate,
  NoteTemplateField,
} from '../../../src-shared/contract';

type RawTemplate = {
  id: number;
  name: string;
  fields: string;
  active: number;
  archived: number;
  created_at: number;
  updated_at: number;
  notes: number;
};

type RawNote = {
  id: number;
  source_id: number;
  kind: NoteKind;
  template_id: number | null;
  at: number;
  in_at: number | null;
  out_at: number | null;
  fields: string;
  text: string;
  fields_text: string;
  author_id: number | null;
  author_name: string;
  created_at: number;
  updated_at: number;
  revision: number;
};

type RawRevision = {
  revision: number;
  action: NoteRevision['action'];
  person_id: number | null;
  person_name: string;
  at: number;
  changes: string;
};

const toTemplate = (r: RawTemplate): NoteTemplate => ({
  id: r.id,
  name: r.name,
  fields: JSON.parse(r.fields) as NoteTemplateField[],
  active: r.active === 1,
  archived: r.archived === 1,
  notes: r.notes,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A note as written (what `insert` and `update` take). */
export type NoteRecord = {
  sourceId: number;
  kind: NoteKind;
  templateId: number | null;
  at: number;
  inAt: number | null;
  outAt: number | null;
  fields: Record<string, NoteFieldValue>;
  text: string;
  fieldsText: string;
  jobIds: number[];
};

export type NoteFilter = {
  sourceIds: readonly number[] | null;
  fromAt: number | null;
  toAt: number | null;
  authorId: number | null;
  templateId: number | null;
  /** Strictly older than this (at, id) in list order. */
  before: { at: number; id: number } | null;
  limit: number;
};

const TEMPLATE_COLUMNS = `t.*, (SELECT COUNT(*) FROM notes n WHERE n.template_id = t.id) AS notes`;

/** A filter's conditions on `n`, as SQL with named parameters (the ids go in as JSON). */
const FILTER = `(@sources IS NULL OR n.source_id IN (SELECT value FROM json_each(@sources)))
  AND (@fromAt IS NULL OR n.at >= @fromAt) AND (@toAt IS NULL OR n.at < @toAt)
  AND (@authorId IS NULL OR n.author_id = @authorId)
  AND (@templateId IS NULL OR n.template_id = @templateId)`;

type FilterParams = {
  sources: string | null;
  fromAt: number | null;
  toAt: number | null;
  authorId: number | null;
  templateId: number | null;
};

const filterParams = (f: Omit<NoteFilter, 'before' | 'limit'>): FilterParams => ({
  sources: f.sourceIds === null ? null : JSON.stringify(f.sourceIds),
  fromAt: f.fromAt,
  toAt: f.toAt,
  authorId: f.authorId,
  templateId: f.templateId,
});

export function createNotesStore(db: Database, now: () => number) {
  const q = {
    templates: db.prepare<[number], RawTemplate>(
      `SELECT ${TEMPLATE_COLUMNS} FROM note_templates t WHERE archived = 0 OR ? = 1
       ORDER BY name COLLATE NOCASE, id`,
    ),
    template: db.prepare<[number], RawTemplate>(
      `SELECT ${TEMPLATE_COLUMNS} FROM note_templates t WHERE id = ?`,
    ),
    templateByName: db.prepare<[string], { id: number }>(
      'SELECT id FROM note_templates WHERE name = ? COLLATE NOCASE',
    ),
    insertTemplate: db.prepare<[string, string, number, number, number]>(
      `INSERT INTO note_templates (name, fields, active, archived, created_at, updated_at)
       VALUES (?, ?, ?, 0, ?, ?)`,
    ),
    updateTemplate: db.prepare<[string, string, number, number, number]>(
      'UPDATE note_templates SET name = ?, fields = ?, active = ?, updated_at = ? WHERE id = ?',
    ),
    archiveTemplate: db.prepare<[number, number]>(
      'UPDATE note_templates SET archived = 1, active = 0, updated_at = ? WHERE id = ?',
    ),
    deleteTemplate: db.prepare<[number]>('DELETE FROM note_templates WHERE id = ?'),
    note: db.prepare<[number], RawNote>('SELECT * FROM notes WHERE id = ?'),
    sourceOf: db.prepare<[number], { source_id: number }>(
      'SELECT source_id FROM notes WHERE id = ?',
    ),
    insertNote: db.prepare(
      `INSERT INTO notes (source_id, kind, template_id, at, in_at, out_at, fields, text, fields_text,
         author_id, author_name, created_at, updated_at, revision)
       VALUES (@sourceId, @kind, @templateId, @at, @inAt, @outAt, @fields, @text, @fieldsText,
         @authorId, @authorName, @now, @now, 1)`,
    ),
    updateNote: db.prepare(
      `UPDATE notes SET template_id = @templateId, at = @at, in_at = @inAt, out_at = @outAt,
         fields = @fields, text = @text, fields_text = @fieldsText, updated_at = @now,
         revision = revision + 1 WHERE id = @id`,
    ),
    deleteNote: db.prepare<[number]>('DELETE FROM notes WHERE id = ?'),
    ftsInsert: db.prepare<[number, string, string]>(
      'INSERT INTO notes_fts (rowid, text, fields_text) VALUES (?, ?, ?)',
    ),
    ftsDelete: db.prepare<[number, string, string]>(
      "INSERT INTO notes_fts (notes_fts, rowid, text, fields_text) VALUES ('delete', ?, ?, ?)",
    ),
    jobs: db.prepare<[number], { job_id: number }>(
      'SELECT job_id FROM note_jobs WHERE note_id = ? ORDER BY position',
    ),
    jobsOfMany: db.prepare<[string], { note_id: number; job_id: number }>(
      `SELECT note_id, job_id FROM note_jobs WHERE note_id IN (SELECT value FROM json_each(?))
       ORDER BY note_id, position`,
    ),
    clearJobs: db.prepare<[number]>('DELETE FROM note_jobs WHERE note_id = ?'),
    addJob: db.prepare<[number, number, number]>(
      'INSERT OR IGNORE INTO note_jobs (note_id, job_id, position) VALUES (?, ?, ?)',
    ),
    holds: db.prepare<[number], { hold_id: number }>(
      'SELECT hold_id FROM note_holds WHERE note_id = ?',
    ),
    addHold: db.prepare<[number, number]>(
      'INSERT INTO note_holds (note_id, hold_id) VALUES (?, ?)',
    ),
    clearHolds: db.prepare<[number]>('DELETE FROM note_holds WHERE note_id = ?'),
    addRevision: db.prepare<[number, number, string, number | null, string, number, string]>(
      `INSERT INTO note_revisions (note_id, revision, action, person_id, person_name, at, changes)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    revisions: db.prepare<[number], RawRevision>(
      'SELECT * FROM note_revisions WHERE note_id = ? ORDER BY id',
    ),
    list: db.prepare<
      FilterParams & { beforeAt: number | null; beforeId: number; limit: number },
      RawNote
    >(
      `SELECT n.* FROM notes n WHERE ${FILTER}
       AND (@beforeAt IS NULL OR n.at < @beforeAt OR (n.at = @beforeAt AND n.id < @beforeId))
       ORDER BY n.at DESC, n.id DESC LIMIT @limit`,
    ),
    search: db.prepare<
      FilterParams & { q: string; limit: number },
      RawNote & { snippet: string; rank: number }
    >(
      `SELECT n.*, snippet(notes_fts, -1, '[', ']', '…', 16) AS snippet, f.rank AS rank
       FROM notes_fts f JOIN notes n ON n.id = f.rowid
       WHERE notes_fts MATCH @q AND ${FILTER}
       ORDER BY f.rank, n.at DESC LIMIT @limit`,
    ),
    notesForReport: db.prepare<FilterParams & { authors: string | null }, RawNote>(
      `SELECT n.* FROM notes n WHERE ${FILTER}
       AND (@authors IS NULL OR n.author_id IN (SELECT value FROM json_each(@authors)))
       ORDER BY n.at, n.id LIMIT 20000`,
    ),
  };

  const jobsOf = (ids: readonly number[]): Map<number, number[]> => {
    const map = new Map<number, number[]>();
    for (const row of q.jobsOfMany.all(JSON.stringify(ids))) {
      const list = map.get(row.note_id);
      if (list) list.push(row.job_id);
      else map.set(row.note_id, [row.job_id]);
    }
    return map;
  };
  const toNote = (r: RawNote, jobIds: number[]): Note => ({
    id: r.id,
    sourceId: r.source_id,
    kind: r.kind,
    templateId: r.template_id,
    at: r.at,
    inAt: r.in_at,
    outAt: r.out_at,
    fields: JSON.parse(r.fields) as Record<string, NoteFieldValue>,
    text: r.text,
    jobIds,
    authorId: r.author_id,
    authorName: r.author_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    revision: r.revision,
  });
  const notesOf = (rows: RawNote[]): Note[] => {
    const jobs = jobsOf(rows.map((r) => r.id));
    return rows.map((r) => toNote(r, jobs.get(r.id) ?? []));
  };
  const setJobs = (noteId: number, jobIds: readonly number[]) => {
    q.clearJobs.run(noteId);
    jobIds.forEach((jobId, i) => q.addJob.run(noteId, jobId, i));
  };

  return {
    templates: (includeArchived: boolean): NoteTemplate[] =>
      q.templates.all(includeArchived ? 1 : 0).map(toTemplate),
    template(id: number): NoteTemplate | undefined {
      const row = q.template.get(id);
      return row ? toTemplate(row) : undefined;
    },
    templateIdByName: (name: string): number | undefined => q.templateByName.get(name)?.id,
    saveTemplate(input: {
      id?: number;
      name: string;
      fields: NoteTemplateField[];
      active: boolean;
    }) {
      const at = now();
      const fields = JSON.stringify(input.fields);
      if (input.id === undefined)
        return Number(
          q.insertTemplate.run(input.name, fields, input.active ? 1 : 0, at, at).lastInsertRowid,
        );
      q.updateTemplate.run(input.name, fields, input.active ? 1 : 0, at, input.id);
      return input.id;
    },
    archiveTemplate: (id: number) => void q.archiveTemplate.run(now(), id),
    deleteTemplate: (id: number) => q.deleteTemplate.run(id).changes > 0,

    note(id: number): Note | undefined {
      const row = q.note.get(id);
      return row
        ? toNote(
            row,
            q.jobs.all(id).map((j) => j.job_id),
          )
        : undefined;
    },
    sourceOf: (id: number): number | undefined => q.sourceOf.get(id)?.source_id,
    fieldsTextOf: (id: number): string | undefined => q.note.get(id)?.fields_text,
    /** Writes a new note with its attachments and index entry; returns its id. */
    insert(record: NoteRecord, author: { id: number | null; name: string }): number {
      const id = Number(
        q.insertNote.run({
          ...record,
          fields: JSON.stringify(record.fields),
          authorId: author.id,
          authorName: author.name,
          now: now(),
        }).lastInsertRowid,
      );
      setJobs(id, record.jobIds);
      q.ftsInsert.run(id, record.text, record.fieldsText);
      return id;
    },
    update(id: number, record: NoteRecord): void {
      const old = q.note.get(id);
      if (!old) return;
      q.ftsDelete.run(id, old.text, old.fields_text);
      q.updateNote.run({
        id,
        templateId: record.templateId,
        at: record.at,
        inAt: record.inAt,
        outAt: record.outAt,
        fields: JSON.stringify(record.fields),
        text: record.text,
        fieldsText: record.fieldsText,
        now: now(),
      });
      setJobs(id, record.jobIds);
      q.ftsInsert.run(id, record.text, record.fieldsText);
    },
    delete(id: number): void {
      const old = q.note.get(id);
      if (!old) return;
      q.ftsDelete.run(id, old.text, old.fields_text);
      q.deleteNote.run(id);
    },
    holdsOf: (noteId: number): number[] => q.holds.all(noteId).map((h) => h.hold_id),
    setHolds(noteId: number, holdIds: readonly number[]) {
      q.clearHolds.run(noteId);
      for (const holdId of holdIds) q.addHold.run(noteId, holdId);
    },
    addRevision(
      noteId: number,
      revision: number,
      action: NoteRevision['action'],
      person: { id: number | null; name: string },
      changes: NoteRevision['changes'],
    ) {
      q.addRevision.run(
        noteId,
        revision,
        action,
        person.id,
        person.name,
        now(),
        JSON.stringify(changes),
      );
    },
    revisions: (noteId: number): NoteRevision[] =>
      q.revisions.all(noteId).map((r) => ({
        revision: r.revision,
        action: r.action,
        personId: r.person_id,
        personName: r.person_name,
        at: r.at,
        changes: JSON.parse(r.changes) as NoteRevision['changes'],
      })),
    list(filter: NoteFilter): Note[] {
      return notesOf(
        q.list.all({
          ...filterParams(filter),
          beforeAt: filter.before?.at ?? null,
          beforeId: filter.before?.id ?? 0,
          limit: filter.limit,
        }),
      );
    },
    search(
      match: string,
      filter: Omit<NoteFilter, 'before'>,
    ): { note: Note; snippet: string; rank: number }[] {
      const rows = q.search.all({ ...filterParams(filter), q: match, limit: filter.limit });
      const notes = notesOf(rows);
      return rows.map((r, i) => ({ note: notes[i]!, snippet: r.snippet, rank: r.rank }));
    },
    forReport(
      filter: Omit<NoteFilter, 'before' | 'limit' | 'authorId' | 'templateId'>,
      authors: readonly number[] | null,
    ): Note[] {
      return notesOf(
        q.notesForReport.all({
          ...filterParams({ ...filter, authorId: null, templateId: null }),
          authors: authors === null ? null : JSON.stringify(authors),
        }),
      );
    },
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
  };
}

export type NotesStore = ReturnType<typeof createNotesStore>;
