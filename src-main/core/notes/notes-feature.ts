// Notes on recordings as a core feature: the station's templates, notes checked against them,
// their attachments and retention holds, history and full-text search; and the desk's
// statistics feed, rolled up into the minute tables off the request path.
import type {
  FieldError,
  MethodName,
  Note,
  NoteChangeSchema,
  NoteCreate,
  NoteFieldValue,
  NoteUpdate,
} from '../../../src-shared/contract';
import {
  checkNoteValues,
  noteCharacters,
  searchableFieldText,
} from '../../../src-shared/notes/note-values';
import type { z } from 'zod';
import type { CoreContext, Feature } from '../core-context';
import { AppError } from '../errors';
import { callerPrincipal, reviewableSources, type Caller } from '../rpc/caller';
import type { RecorderApi } from '../recorder';
import type { StatsApi } from '../shifts/shifts-feature';
import { ftsQuery } from '../chat/chat-store';
import { createDeskFeed, type DeskFeedOptions } from './desk-feed';
import { createNotesStore, type NoteRecord } from './notes-store';
import { noteReportSource } from './note-report';

export type NotesMethod =
  | 'noteTemplatesList'
  | 'noteTemplateSave'
  | 'noteTemplateDelete'
  | 'notesCreate'
  | 'notesUpdate'
  | 'notesDelete'
  | 'notesList'
  | 'notesSearch'
  | 'noteHistory'
  | 'deskEventsReport';

export type NotesFeatureOptions = DeskFeedOptions;

export type NotesApi = {
  /** The recorded sources a request reaches through the notes it names (for source scopes). */
  sourcesOf(method: MethodName, request: unknown): number[];
  /** Rolls the desk log up now (close, tests). */
  flushStats(): void;
};

type Change = z.infer<typeof NoteChangeSchema>;

const SYSTEM_AUTHOR = { id: null, name: 'Airdeck' };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Merged [from, to) ranges a note keeps from retention: its own and its attachments'. */
export function holdRanges(ranges: readonly { from: number; to: number }[]) {
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  const out: { from: number; to: number }[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

export function createNotesFeature(
  context: CoreContext,
  deps: {
    recorder: RecorderApi;
    stats: StatsApi;
    statsRetentionDays: () => number;
    linkBase: () => string | null;
  },
  options: NotesFeatureOptions = {},
): Feature<NotesMethod> & { notes: NotesApi } {
  const { db, bus, clock } = context;
  const now = () => clock.now();
  const store = createNotesStore(db, now);
  const feed = createDeskFeed(db, {
    now,
    stats: deps.stats,
    retentionDays: deps.statsRetentionDays,
    logger: context.logger,
    sourceExists: deps.recorder.sourceExists,
    options,
  });
  let offJobs: (() => void) | null = null;

  const templatesChanged = () =>
    bus.emit('noteTemplatesChanged', { templates: store.templates(true) });

  function mustNote(id: number): Note {
    const note = store.note(id);
    if (!note) throw new AppError('not_found', `Note ${id} does not exist.`);
    return note;
  }

  function mayChange(caller: Caller, note: Note) {
    const p = callerPrincipal(caller);
    if (!p || p.grant.role === 'admin' || note.authorId === p.personId) return;
    throw new AppError('forbidden', 'You may change or delete only your own notes.');
  }

  function refuse(errors: FieldError[]): never {
    const first = errors
      .slice(0, 3)
      .map((e) => e.message)
      .join('; ');
    throw new AppError(
      'invalid_request',
      errors.length === 1
        ? `The note is not valid: ${first}.`
        : `The note has ${errors.length} problems: ${first}.`,
      errors,
    );
  }

  /** Checks a note as it would be stored; throws with every field error at once. */
  function prepare(
    draft: Omit<NoteRecord, 'fieldsText'>,
    {
      templateChanged,
      valuesGiven,
      creating,
    }: { templateChanged: boolean; valuesGiven: boolean; creating: boolean },
  ): NoteRecord {
    const errors: FieldError[] = [];
    let fields = draft.fields;
    let fieldsText = '';
    if (draft.kind === 'marker') {
      if (draft.templateId !== null)
        errors.push({ path: 'templateId', message: 'a marker has no template' });
      if (Object.keys(draft.fields).length > 0)
        errors.push({ path: 'fields', message: 'a marker has no fields' });
    } else if (draft.templateId === null) {
      for (const key of Object.keys(draft.fields))
        errors.push({ path: `fields.${key}`, message: 'a note without a template has no fields' });
    } else {
      const template = store.template(draft.templateId);
      if (!template)
        errors.push({ path: 'templateId', message: `template ${draft.templateId} does not exist` });
      else {
        if (templateChanged && template.archived)
          errors.push({
            path: 'templateId',
            message: `the template "${template.name}" was deleted`,
          });
        else if (templateChanged && creating && !template.active)
          errors.push({
            path: 'templateId',
            message: `the template "${template.name}" is not active`,
          });
        if (templateChanged || valuesGiven) {
          const checked = checkNoteValues(template.fields, draft.fields);
          errors.push(...checked.errors);
          fields = checked.values;
        }
        fieldsText = searchableFieldText(template.fields, fields);
      }
    }
    const jobIds = [...new Set(draft.jobIds)];
    jobIds.forEach((jobId, i) => {
      const job = deps.recorder.job(jobId);
      if (!job) errors.push({ path: `jobIds.${i}`, message: `job ${jobId} does not exist` });
      else if (job.sourceId !== draft.sourceId)
        errors.push({ path: `jobIds.${i}`, message: `job ${jobId} is of another source` });
    });
    if (errors.length > 0) refuse(errors);
    return { ...draft, fields, fieldsText, jobIds };
  }

  /** Replaces a note's holds on the recording with ones for its range and attachments. */
  function hold(noteId: number, record: NoteRecord) {
    for (const id of store.holdsOf(noteId)) deps.recorder.removeHold(id);
    const ranges = [
      {
        from: record.inAt ?? record.at,
        to: record.outAt ?? record.at + 1,
      },
      ...record.jobIds.flatMap((id) => {
        const job = deps.recorder.job(id);
        return job ? [{ from: job.fromAt, to: Math.max(job.toAt, job.fromAt + 1) }] : [];
      }),
    ];
    const ids = deps.recorder.sourceExists(record.sourceId)
      ? holdRanges(ranges).map((r) =>
          deps.recorder.addHold(record.sourceId, r.from, r.to, `note ${noteId}`),
        )
      : [];
    store.setHolds(noteId, ids);
  }

  function diff(before: Note | null, after: Note): Change[] {
    const changes: Change[] = [];
    const keys = [
      'kind',
      'sourceId',
      'templateId',
      'at',
      'inAt',
      'outAt',
      'text',
      'jobIds',
    ] as const;
    for (const key of keys) {
      const a = before ? before[key] : null;
      if (!same(a, after[key])) changes.push({ field: key, before: a, after: after[key] });
    }
    const fieldKeys = new Set([...Object.keys(before?.fields ?? {}), ...Object.keys(after.fields)]);
    for (const key of fieldKeys) {
      const a: NoteFieldValue = before?.fields[key] ?? null;
      const b: NoteFieldValue = after.fields[key] ?? null;
      if (!same(a, b)) changes.push({ field: `fields.${key}`, before: a, after: b });
    }
    return changes;
  }

  function characters(record: NoteRecord) {
    const template = record.templateId === null ? undefined : store.template(record.templateId);
    return noteCharacters(template?.fields ?? [], record.text, record.fields);
  }

  function sourceFilter(caller: Caller, named: readonly number[] | null): readonly number[] | null {
    if (named !== null) return named;
    const scope = reviewableSources(caller);
    return scope === null ? null : [...scope];
  }

  function create(input: NoteCreate, caller: Caller): Note {
    if (!deps.recorder.sourceExists(input.sourceId))
      throw new AppError('not_found', `Recorded source ${input.sourceId} does not exist.`);
    const record = prepare(
      {
        sourceId: input.sourceId,
        kind: input.kind,
        templateId: input.templateId,
        at: input.at,
        inAt: input.inAt ?? null,
        outAt: input.outAt ?? null,
        fields: input.fields,
        text: input.text.trim(),
        jobIds: input.jobIds,
      },
      { templateChanged: true, valuesGiven: true, creating: true },
    );
    const p = callerPrincipal(caller);
    const author = p ? { id: p.personId, name: p.displayName } : SYSTEM_AUTHOR;
    const note = store.transaction(() => {
      const id = store.insert(record, author);
      hold(id, record);
      const created = store.note(id)!;
      store.addRevision(id, 1, 'created', author, diff(null, created));
      return created;
    });
    bus.emit('noteChanged', { action: 'created', note });
    if (p) feed.countNote(p.personId, note.sourceId, characters(record), note.createdAt);
    return note;
  }

  function update(input: NoteUpdate, caller: Caller): Note {
    const note = mustNote(input.id);
    mayChange(caller, note);
    if (input.revision !== undefined && input.revision !== note.revision)
      throw new AppError(
        'conflict',
        `The note changed meanwhile (revision ${note.revision}, yours ${input.revision}); reload it.`,
      );
    const templateId = input.templateId !== undefined ? input.templateId : note.templateId;
    const ranged = input.inAt !== undefined || input.outAt !== undefined;
    const record = prepare(
      {
        sourceId: note.sourceId,
        kind: note.kind,
        templateId,
        at: input.at ?? note.at,
        inAt: ranged ? (input.inAt ?? null) : note.inAt,
        outAt: ranged ? (input.outAt ?? null) : note.outAt,
        fields: input.fields ?? note.fields,
        text: input.text !== undefined ? input.text.trim() : note.text,
        jobIds: input.jobIds ?? note.jobIds,
      },
      {
        templateChanged: templateId !== note.templateId,
        valuesGiven: input.fields !== undefined,
        creating: false,
      },
    );
    const p = callerPrincipal(caller);
    const by = p ? { id: p.personId, name: p.displayName } : SYSTEM_AUTHOR;
    const updated = store.transaction(() => {
      const stored = { ...note, ...record, id: note.id };
      const changes = diff(note, { ...stored, fields: record.fields });
      if (changes.length === 0) return null;
      store.update(note.id, record);
      hold(note.id, record);
      const after = store.note(note.id)!;
      store.addRevision(note.id, after.revision, 'updated', by, changes);
      return after;
    });
    if (!updated) return note;
    bus.emit('noteChanged', { action: 'updated', note: updated });
    return updated;
  }

  function remove(id: number, caller: Caller) {
    const note = mustNote(id);
    mayChange(caller, note);
    const p = callerPrincipal(caller);
    const by = p ? { id: p.personId, name: p.displayName } : SYSTEM_AUTHOR;
    store.transaction(() => {
      for (const holdId of store.holdsOf(id)) deps.recorder.removeHold(holdId);
      store.delete(id);
      store.addRevision(id, note.revision + 1, 'deleted', by, []);
    });
    bus.emit('noteChanged', { action: 'deleted', note });
    return { id };
  }

  function parseCursor(cursor: string | undefined) {
    if (cursor === undefined) return null;
    const m = /^(\d{1,16}):(\d{1,16})$/.exec(cursor);
    if (!m) throw new AppError('invalid_request', 'That cursor is not one notesList gave.');
    return { at: Number(m[1]), id: Number(m[2]) };
  }

  const notes: NotesApi = {
    sourcesOf(method, request) {
      if (method !== 'notesUpdate' && method !== 'notesDelete' && method !== 'noteHistory')
        return [];
      const id = (request as { id?: unknown }).id;
      const source = typeof id === 'number' ? store.sourceOf(id) : undefined;
      return source === undefined ? [] : [source];
    },
    flushStats: () => feed.rollup(),
  };

  return {
    notes,
    start() {
      deps.stats.setNotesSource(noteReportSource(store, deps.recorder, deps.linkBase));
      // A screenshot or clip counts when a person's job is queued (the server's own fact).
      offJobs = bus.on('reviewJobChanged', (job) => {
        if (job.state === 'queued' && job.personId !== null)
          feed.countJob(job.personId, job.kind, job.sourceId, job.createdAt);
      });
      feed.start();
    },
    async close() {
      offJobs?.();
      feed.close();
      return Promise.resolve();
    },
    handlers: {
      noteTemplatesList: ({ includeArchived }) => ({ templates: store.templates(includeArchived) }),
      noteTemplateSave: (input) => {
        const clash = store.templateIdByName(input.name);
        if (clash !== undefined && clash !== input.id)
          throw new AppError('conflict', `A note template named "${input.name}" already exists.`, [
            { path: 'name', message: 'another template has this name' },
          ]);
        if (input.id !== undefined && !store.template(input.id))
          throw new AppError('not_found', `Note template ${input.id} does not exist.`);
        const id = store.saveTemplate(input);
        templatesChanged();
        return store.template(id)!;
      },
      noteTemplateDelete: ({ id }) => {
        const template = store.template(id);
        if (!template) throw new AppError('not_found', `Note template ${id} does not exist.`);
        // Notes written with it keep it (their fields have labels and kinds only there).
        const archived = template.notes > 0;
        if (archived) store.archiveTemplate(id);
        else store.deleteTemplate(id);
        templatesChanged();
        return { id, archived };
      },
      notesCreate: (input, caller) => create(input, caller),
      notesUpdate: (input, caller) => update(input, caller),
      notesDelete: ({ id }, caller) => remove(id, caller),
      notesList: (request, caller) => {
        const named =
          request.sourceId !== undefined || request.sourceIds !== undefined
            ? [
                ...(request.sourceId !== undefined ? [request.sourceId] : []),
                ...(request.sourceIds ?? []),
              ]
            : null;
        const list = store.list({
          sourceIds: sourceFilter(caller, named),
          fromAt: request.fromAt ?? null,
          toAt: request.toAt ?? null,
          authorId: request.authorId ?? null,
          templateId: request.templateId ?? null,
          before: parseCursor(request.cursor),
          limit: request.limit,
        });
        const last = list.at(-1);
        return {
          notes: list,
          nextCursor: list.length === request.limit && last ? `${last.at}:${last.id}` : null,
        };
      },
      notesSearch: (request, caller) => {
        const match = ftsQuery(request.query);
        if (match === null) return { hits: [] };
        return {
          hits: store.search(match, {
            sourceIds: sourceFilter(
              caller,
              request.sourceId !== undefined ? [request.sourceId] : null,
            ),
            fromAt: request.fromAt ?? null,
            toAt: request.toAt ?? null,
            authorId: request.authorId ?? null,
            templateId: null,
            limit: request.limit,
          }),
        };
      },
      noteHistory: ({ id }, caller) => {
        const revisions = store.revisions(id);
        if (revisions.length === 0) throw new AppError('not_found', `Note ${id} has no history.`);
        // A deleted note's source is no longer known: its history is for unlimited readers only.
        if (store.sourceOf(id) === undefined && reviewableSources(caller) !== null)
          throw new AppError('forbidden', 'Your rights do not reach that note.');
        return { revisions };
      },
      deskEventsReport: ({ deskSession, events }, caller) => {
        const p = callerPrincipal(caller);
        if (!p) throw new AppError('unauthorized', 'Desk statistics are about a signed-in person.');
        return { accepted: feed.report(p.personId, deskSession, events) };
      },
    },
  };
}
