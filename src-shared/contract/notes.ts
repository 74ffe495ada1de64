import { z } from 'zod';
import { Id } from './library';

/**
 * Notes on recordings, in the station's own note formats (templates), and the desk's live
 * statistics feed. A note is tied to a recorded source and the air time of the exact frame the
 * desk read (UTC ms), optionally to a range [inAt, outAt); it may carry screenshot and clip jobs
 * of the same source. While a note exists, retention keeps its range and its attachments' ranges.
 *
 * Field errors come back as data: `{ code: 'invalid_request', message, fields: [{ path, message }] }`
 * with paths such as `fields.brand`.
 */

const Instant = z.number().int().min(0);

export const NOTE_FIELD_KINDS = [
  'text',
  'longText',
  'pick',
  'multiPick',
  'number',
  'boolean',
] as const;
export const NoteFieldKind = z.enum(NOTE_FIELD_KINDS);
export type NoteFieldKind = z.infer<typeof NoteFieldKind>;

/** Lengths a value of each text kind may have. */
export const NOTE_TEXT_MAX = 500;
export const NOTE_LONG_TEXT_MAX = 20_000;
/** The longest range a note may hold against retention. */
export const NOTE_MAX_RANGE_MS = 6 * 3_600_000;
export const NOTE_MAX_ATTACHMENTS = 50;

export const NoteTemplateFieldSchema = z
  .object({
    /** Stable name of the value in every note (renaming the label keeps the values). */
    key: z
      .string()
      .trim()
      .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, 'a letter, then letters, digits or _ (40 at most)'),
    label: z.string().trim().min(1, 'a field needs a label').max(80),
    kind: NoteFieldKind,
    required: z.boolean().default(false),
    /** The choices of a pick or multiPick field (at least one); empty for other kinds. */
    options: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
    /** A line of help shown under the field. */
    hint: z.string().trim().max(200).default(''),
  })
  .strict()
  .superRefine((field, ctx) => {
    const picks = field.kind === 'pick' || field.kind === 'multiPick';
    if (picks && field.options.length === 0)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'a pick list needs options' });
    if (!picks && field.options.length > 0)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'only pick lists have options' });
    if (new Set(field.options.map((o) => o.toLowerCase())).size !== field.options.length)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'options must differ' });
  });
export type NoteTemplateField = z.infer<typeof NoteTemplateFieldSchema>;

export const NoteTemplateSchema = z.object({
  id: Id,
  name: z.string(),
  fields: z.array(NoteTemplateFieldSchema),
  /** Offered for new notes. An inactive template still shows and validates its notes. */
  active: z.boolean(),
  /** Deleted while notes used it: kept for them, never offered again. */
  archived: z.boolean(),
  /** Notes written with it. */
  notes: z.number().int(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type NoteTemplate = z.infer<typeof NoteTemplateSchema>;

/** A field's value: text kinds a string, multiPick a list, number a number, boolean a boolean. */
export const NoteFieldValueSchema = z.union([
  z.string().max(NOTE_LONG_TEXT_MAX),
  z.array(z.string().max(100)).max(200),
  z.number().finite(),
  z.boolean(),
  z.null(),
]);
export type NoteFieldValue = z.infer<typeof NoteFieldValueSchema>;
const FieldValues = z
  .record(z.string().max(40), NoteFieldValueSchema)
  .refine((r) => Object.keys(r).length <= 100, 'at most 100 fields');

export const NoteKind = z.enum([
  /** A note: free text, template fields or both. */
  'note',
  /** A bare marker at a moment: no template, no fields (a short label at most). */
  'marker',
]);
export type NoteKind = z.infer<typeof NoteKind>;

export const NoteSchema = z.object({
  id: Id,
  sourceId: Id,
  kind: NoteKind,
  templateId: Id.nullable(),
  /** Air time of the frame the desk showed (UTC ms). */
  at: Instant,
  /** Optional range the note speaks of; both or neither. */
  inAt: Instant.nullable(),
  outAt: Instant.nullable(),
  /** Template values by field key (only fields with a value). */
  fields: z.record(z.string(), NoteFieldValueSchema),
  text: z.string(),
  /** Screenshot and clip jobs (reviewJobsList) of the same source. */
  jobIds: z.array(Id),
  /** Who wrote it (from the session, never the payload); null once the account is deleted. */
  authorId: Id.nullable(),
  authorName: z.string(),
  createdAt: Instant,
  updatedAt: Instant,
  /** 1 when created, +1 per change. */
  revision: z.number().int().positive(),
});
export type Note = z.infer<typeof NoteSchema>;

const Range = {
  inAt: Instant.nullable().optional(),
  outAt: Instant.nullable().optional(),
};
const rangeCheck = (r: { inAt?: number | null; outAt?: number | null }, ctx: z.RefinementCtx) => {
  if (r.inAt === undefined && r.outAt === undefined) return;
  const inAt = r.inAt ?? null;
  const outAt = r.outAt ?? null;
  if ((inAt === null) !== (outAt === null))
    ctx.addIssue({
      code: 'custom',
      path: ['outAt'],
      message: 'give both inAt and outAt, or neither',
    });
  else if (inAt !== null && outAt !== null && !(outAt > inAt && outAt - inAt <= NOTE_MAX_RANGE_MS))
    ctx.addIssue({
      code: 'custom',
      path: ['outAt'],
      message: `outAt must follow inAt, at most ${NOTE_MAX_RANGE_MS / 3_600_000} hours later`,
    });
};

export const NoteCreateSchema = z
  .object({
    sourceId: Id,
    kind: NoteKind.default('note'),
    templateId: Id.nullable().default(null),
    at: Instant,
    ...Range,
    fields: FieldValues.default({}),
    text: z.string().max(NOTE_LONG_TEXT_MAX).default(''),
    jobIds: z.array(Id).max(NOTE_MAX_ATTACHMENTS).default([]),
  })
  .strict()
  .superRefine(rangeCheck);
export type NoteCreate = z.output<typeof NoteCreateSchema>;

export const NoteUpdateSchema = z
  .object({
    id: Id,
    /** The revision the editor started from: a newer one on the server refuses the change. */
    revision: z.number().int().positive().optional(),
    templateId: Id.nullable().optional(),
    at: Instant.optional(),
    ...Range,
    /** Replaces all values (send every field you keep). */
    fields: FieldValues.optional(),
    text: z.string().max(NOTE_LONG_TEXT_MAX).optional(),
    jobIds: z.array(Id).max(NOTE_MAX_ATTACHMENTS).optional(),
  })
  .strict()
  .superRefine(rangeCheck);
export type NoteUpdate = z.output<typeof NoteUpdateSchema>;

export const NoteChangeSchema = z.object({
  /** `text`, `at`, `inAt`, `outAt`, `templateId`, `jobIds`, `kind`, `sourceId` or `fields.<key>`. */
  field: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

export const NoteRevisionSchema = z.object({
  revision: z.number().int().positive(),
  action: z.enum(['created', 'updated', 'deleted']),
  personId: Id.nullable(),
  personName: z.string(),
  at: Instant,
  changes: z.array(NoteChangeSchema),
});
export type NoteRevision = z.infer<typeof NoteRevisionSchema>;

export const NoteSearchHitSchema = z.object({
  note: NoteSchema,
  /** Matched words wrapped in `[` and `]`, from whichever text matched best. */
  snippet: z.string(),
  /** bm25 score: lower is a better match (hits come best first). */
  rank: z.number(),
});

/** Desk events a desk may report (what the server counts itself is not taken from the desk). */
const Source = z.number().int().positive();
const DeskAt = { at: Instant };
export const ReportedDeskEventSchema = z.discriminatedUnion('type', [
  z.object({ ...DeskAt, type: z.literal('sessionStart') }).strict(),
  z.object({ ...DeskAt, type: z.literal('sessionEnd') }).strict(),
  z.object({ ...DeskAt, type: z.literal('input') }).strict(),
  z
    .object({
      ...DeskAt,
      type: z.literal('playbackStart'),
      sourceId: Source,
      speed: z.number().positive().max(16),
    })
    .strict(),
  z.object({ ...DeskAt, type: z.literal('playbackStop'), sourceId: Source }).strict(),
  z.object({ ...DeskAt, type: z.literal('sourceOpen'), sourceId: Source }).strict(),
  z.object({ ...DeskAt, type: z.literal('sourceClose'), sourceId: Source }).strict(),
]);
export type ReportedDeskEvent = z.infer<typeof ReportedDeskEventSchema>;

/** The most events one deskEventsReport carries (a desk sends every few seconds). */
export const DESK_EVENTS_MAX = 500;
/** How far behind the server's clock a reported event may be (a desk catching up). */
export const DESK_EVENT_MAX_AGE_MS = 15 * 60_000;
/** How far ahead of the server's clock (clock skew). */
export const DESK_EVENT_MAX_AHEAD_MS = 30_000;

export const notesMethods = {
  /** The station's note templates, in name order (archived ones only when asked). */
  noteTemplatesList: {
    request: z.object({ includeArchived: z.boolean().default(false) }).strict(),
    response: z.object({ templates: z.array(NoteTemplateSchema) }),
  },
  /**
   * Creates a template (no id) or replaces one. Notes keep their values by field key, so a
   * removed field's values stay on the notes that have them.
   */
  noteTemplateSave: {
    request: z
      .object({
        id: Id.optional(),
        name: z.string().trim().min(1, 'a template needs a name').max(80),
        fields: z
          .array(NoteTemplateFieldSchema)
          .max(50)
          .refine((f) => new Set(f.map((x) => x.key.toLowerCase())).size === f.length, {
            message: 'field keys must differ',
          }),
        active: z.boolean().default(true),
      })
      .strict(),
    response: NoteTemplateSchema,
  },
  /** Deletes a template no note uses; one that notes use is archived instead. */
  noteTemplateDelete: {
    request: z.object({ id: Id }).strict(),
    response: z.object({ id: Id, archived: z.boolean() }),
  },
  /**
   * Writes a note (or a marker). The author is the caller. Values are checked against the
   * template (required fields, pick lists, kinds); attachments must be jobs of the same source.
   */
  notesCreate: { request: NoteCreateSchema, response: NoteSchema },
  /** Changes a note; editors change their own, admins anyone's. */
  notesUpdate: { request: NoteUpdateSchema, response: NoteSchema },
  /** Deletes a note (its history stays); releases its hold on the recording. */
  notesDelete: { request: z.object({ id: Id }).strict(), response: z.object({ id: Id }) },
  /**
   * Notes by source, air-time window [fromAt, toAt) of `at`, author or template; newest air
   * time first. Pass the last answer's `nextCursor` as `cursor` for the next page.
   */
  notesList: {
    request: z
      .object({
        sourceId: Id.optional(),
        sourceIds: z.array(Id).max(1000).optional(),
        fromAt: Instant.optional(),
        toAt: Instant.optional(),
        authorId: Id.optional(),
        templateId: Id.optional(),
        cursor: z.string().max(60).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    response: z.object({ notes: z.array(NoteSchema), nextCursor: z.string().nullable() }),
  },
  /** Full-text search over free text and every text field (word prefixes, all words needed). */
  notesSearch: {
    request: z
      .object({
        query: z.string().trim().min(1).max(200),
        sourceId: Id.optional(),
        authorId: Id.optional(),
        fromAt: Instant.optional(),
        toAt: Instant.optional(),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    response: z.object({ hits: z.array(NoteSearchHitSchema) }),
  },
  /** Every revision of a note, oldest first: who, when, what changed. */
  noteHistory: {
    request: z.object({ id: Id }).strict(),
    response: z.object({ revisions: z.array(NoteRevisionSchema) }),
  },
  /**
   * The desk's statistics feed for the caller (the person is never in the payload): events in
   * time order, at most DESK_EVENTS_MAX, within DESK_EVENT_MAX_AGE_MS before and
   * DESK_EVENT_MAX_AHEAD_MS after the server's clock. Notes, screenshots and clips are counted
   * by the server when they are made, not reported.
   */
  deskEventsReport: {
    request: z
      .object({
        deskSession: z
          .string()
          .min(1)
          .max(100)
          .regex(/^[\w.:-]+$/, 'letters, digits and . _ : - only'),
        events: z
          .array(ReportedDeskEventSchema)
          .max(DESK_EVENTS_MAX, `at most ${DESK_EVENTS_MAX} events per report`),
      })
      .strict()
      .superRefine((r, ctx) => {
        for (let i = 1; i < r.events.length; i += 1)
          if (r.events[i]!.at < r.events[i - 1]!.at) {
            ctx.addIssue({
              code: 'custom',
              path: ['events', i, 'at'],
              message: 'events must be in time order',
            });
            return;
          }
      }),
    response: z.object({ accepted: z.number().int() }),
  },
} as const;

export const notesEvents = {
  /** A note was created, changed or deleted (with the note as it now is, or was). */
  noteChanged: z.object({ action: z.enum(['created', 'updated', 'deleted']), note: NoteSchema }),
  /** The templates changed (all of them, archived included). */
  noteTemplatesChanged: z.object({ templates: z.array(NoteTemplateSchema) }),
} as const;
