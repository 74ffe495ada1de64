import { z } from 'zod';

/**
 * Shift planning (who is on duty, where) and the desk statistics built from what people did.
 * Instants are integer ms UTC; recurring shifts are written in the station's wall time (an
 * RRULE over local dates, a local start time and a length) so an 06:00 shift stays 06:00 local
 * across a DST change.
 */
const Id = z.number().int().positive();
const Instant = z.number().int();
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export const shiftTemplateKinds = ['early', 'late', 'night', 'custom'] as const;
export const ShiftKindSchema = z.enum(shiftTemplateKinds);
export type ShiftKind = z.infer<typeof ShiftKindSchema>;

/** Where a person works during a shift: channels they watch, outside sources they review. */
export const AssignmentSchema = z
  .object({
    channelIds: z.array(Id).max(500).default([]),
    sourceIds: z.array(Id).max(500).default([]),
  })
  .strict();
export type Assignment = z.infer<typeof AssignmentSchema>;

const Note = z.string().trim().max(500).default('');

/** One shift as stored, or one occurrence of a series expanded over a window. */
export const ShiftSchema = z.object({
  /** `shift:<id>` for a single shift, `series:<id>:<occurrence start>` for an occurrence. */
  key: z.string(),
  shiftId: Id.nullable(),
  seriesId: Id.nullable(),
  /** For an occurrence: where the rule put it (a moved occurrence keeps this identity). */
  occurrenceStart: Instant.nullable(),
  personId: Id,
  start: Instant,
  end: Instant,
  kind: ShiftKindSchema,
  channelIds: z.array(Id),
  sourceIds: z.array(Id),
  note: z.string(),
});
export type Shift = z.infer<typeof ShiftSchema>;

const ShiftFields = z
  .object({
    personId: Id,
    start: Instant,
    end: Instant,
    kind: ShiftKindSchema.default('custom'),
    channelIds: z.array(Id).max(500).default([]),
    sourceIds: z.array(Id).max(500).default([]),
    note: Note,
  })
  .strict();
const endAfterStart = (s: { start: number; end: number }) =>
  s.end > s.start && s.end - s.start <= 2 * DAY_MS;
const endMessage = { message: 'a shift ends after it starts, within 48 hours', path: ['end'] };

export const ShiftCreateSchema = ShiftFields.refine(endAfterStart, endMessage);
export const ShiftUpdateSchema = ShiftFields.extend({ id: Id }).refine(endAfterStart, endMessage);

/** HH:MM in the station's zone. */
const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00–23:59');
/** YYYY-MM-DD, a local date. */
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const SeriesExceptionSchema = z.discriminatedUnion('kind', [
  /** The occurrence the rule puts at `occurrenceStart` does not happen (EXDATE). */
  z.object({ kind: z.literal('skip'), occurrenceStart: Instant }).strict(),
  /**
   * It happens at another time, or with another person, assignments or note (a RECURRENCE-ID
   * override). An absent field follows the series, so a later change to the series still
   * reaches it.
   */
  z
    .object({
      kind: z.literal('move'),
      occurrenceStart: Instant,
      start: Instant,
      end: Instant,
      personId: Id.optional(),
      channelIds: z.array(Id).max(500).optional(),
      sourceIds: z.array(Id).max(500).optional(),
      note: z.string().trim().max(500).optional(),
    })
    .strict()
    .refine(endAfterStart, endMessage),
]);
export type SeriesException = z.infer<typeof SeriesExceptionSchema>;

export const ShiftSeriesFieldsSchema = z
  .object({
    personId: Id,
    /** An RRULE body without DTSTART, e.g. `FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR`. */
    rrule: z
      .string()
      .trim()
      .min(6)
      .max(500)
      .regex(/^FREQ=[A-Z;=,0-9+-]+$/, 'an RRULE such as FREQ=WEEKLY;BYDAY=MO,TU'),
    /** The first local date the rule counts from. */
    startDate: LocalDate,
    startTime: LocalTime,
    durationMinutes: z
      .number()
      .int()
      .min(1)
      .max(48 * 60),
    kind: ShiftKindSchema.default('custom'),
    channelIds: z.array(Id).max(500).default([]),
    sourceIds: z.array(Id).max(500).default([]),
    note: Note,
  })
  .strict();
export type ShiftSeriesFields = z.infer<typeof ShiftSeriesFieldsSchema>;

export const ShiftSeriesSchema = ShiftSeriesFieldsSchema.extend({
  id: Id,
  exceptions: z.array(SeriesExceptionSchema),
});
export type ShiftSeries = z.infer<typeof ShiftSeriesSchema>;

export const ShiftTemplateSchema = z.object({
  id: Id,
  name: z.string(),
  kind: ShiftKindSchema,
  startTime: LocalTime,
  durationMinutes: z.number().int(),
});
export type ShiftTemplate = z.infer<typeof ShiftTemplateSchema>;

export const TimeOffSchema = z.object({
  id: Id,
  personId: Id,
  start: Instant,
  end: Instant,
  reason: z.string(),
});
export type TimeOff = z.infer<typeof TimeOffSchema>;

export const ShiftSettingsSchema = z
  .object({
    /** Rest a person needs between two shifts (11 h by default, as many labour rules ask). */
    minRestMinutes: z
      .number()
      .int()
      .min(0)
      .max(48 * 60),
    /** Channels and sources someone must be assigned to at every moment. */
    coverChannelIds: z.array(Id).max(500),
    coverSourceIds: z.array(Id).max(500),
    /** How long the minute statistics are kept. */
    statsRetentionDays: z.number().int().min(1).max(3660),
    /** Whether people may work at the desk outside their shifts (they are told either way). */
    allowWorkOutsideShift: z.boolean(),
  })
  .strict();
export type ShiftSettings = z.infer<typeof ShiftSettingsSchema>;

export const conflictKinds = [
  'overlap',
  'short_rest',
  'uncovered',
  'disabled_person',
  'time_off',
] as const;
export const ConflictSchema = z.object({
  kind: z.enum(conflictKinds),
  /** The shifts concerned (keys), none for an uncovered interval. */
  shiftKeys: z.array(z.string()),
  personId: Id.nullable(),
  /** For `uncovered`: the channel or source nobody covers. */
  target: z.object({ kind: z.enum(['channel', 'source']), id: Id }).nullable(),
  start: Instant,
  end: Instant,
});
export type Conflict = z.infer<typeof ConflictSchema>;

/** One person-minute of desk statistics (the minute starts at `minute`, ms UTC). */
export const PersonMinuteSchema = z.object({
  personId: Id,
  minute: Instant,
  signedInMs: z.number().int(),
  activeMs: z.number().int(),
  sourcesOpen: z.number().int(),
  /** Playback time per speed, keyed by speed as text ("1", "2", "8"). */
  speedMs: z.record(z.string(), z.number().int()),
  notes: z.number().int(),
  characters: z.number().int(),
  screenshots: z.number().int(),
  clips: z.number().int(),
});
export type PersonMinute = z.infer<typeof PersonMinuteSchema>;

export const SourceMinuteSchema = z.object({
  sourceId: Id,
  minute: Instant,
  /** Playback time anyone spent on this source within the minute. */
  reviewedMs: z.number().int(),
});
export type SourceMinute = z.infer<typeof SourceMinuteSchema>;

export const reportFormats = ['docx', 'xlsx', 'pdf', 'csv'] as const;
export const ReportRequestSchema = z
  .object({
    from: Instant,
    to: Instant,
    personIds: z.array(Id).max(1000).nullable().default(null),
    sourceIds: z.array(Id).max(1000).nullable().default(null),
    format: z.enum(reportFormats),
    title: z.string().trim().max(200).default(''),
  })
  .strict()
  .refine((r) => r.to > r.from && r.to - r.from <= 62 * DAY_MS, {
    message: 'a report covers at most 62 days',
    path: ['to'],
  });
export type ReportRequest = z.infer<typeof ReportRequestSchema>;

/** A named report an admin reuses: the period is relative (the last N days up to today). */
export const ReportTemplateFieldsSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    periodDays: z.number().int().min(1).max(62),
    personIds: z.array(Id).max(1000).nullable().default(null),
    sourceIds: z.array(Id).max(1000).nullable().default(null),
    format: z.enum(reportFormats),
    title: z.string().trim().max(200).default(''),
  })
  .strict();
export const ReportTemplateSchema = ReportTemplateFieldsSchema.extend({ id: Id });
export type ReportTemplate = z.infer<typeof ReportTemplateSchema>;

/** One built (or building) report, newest first in the history. */
export const ReportRunSchema = z.object({
  id: Id,
  title: z.string(),
  format: z.enum(reportFormats),
  from: Instant,
  to: Instant,
  byName: z.string(),
  startedAt: Instant,
  finishedAt: Instant.nullable(),
  state: z.enum(['building', 'done', 'failed']),
  bytes: z.number().int().nullable(),
  error: z.string().nullable(),
  /** The schedule that started it; null when somebody built it by hand. */
  scheduleId: Id.nullable().default(null),
  /** Where a scheduled report was written (a file path, or `s3://<location>/<key>`). */
  target: z.string().nullable().default(null),
});
export type ReportRun = z.infer<typeof ReportRunSchema>;

/**
 * A folder on the server's disk: absolute, without `..`, under the station's allowed folders
 * or `<data>/reports` (checked by the core, again at every run).
 */
const ReportFolder = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine((p) => !p.includes('\0'), { message: 'a folder has no NUL character' });
/** Key prefix in the location (after its own prefix): no leading slash, no `..` segment. */
const ReportKeyPrefix = z
  .string()
  .trim()
  .max(500)
  .refine((p) => !p.startsWith('/'), { message: 'a prefix does not start with /' })
  .refine((p) => !p.split('/').some((part) => part === '..' || part === '.'), {
    message: 'a prefix has no "." or ".." part',
  });

export const ReportTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('folder'), folder: ReportFolder }).strict(),
  z
    .object({ kind: z.literal('storage'), locationId: Id, prefix: ReportKeyPrefix.default('') })
    .strict(),
]);
export type ReportTarget = z.infer<typeof ReportTargetSchema>;

/** Runs a report template every day or every week at a time of day in the station's zone. */
const ReportScheduleFields = z
  .object({
    templateId: Id,
    frequency: z.enum(['daily', 'weekly']),
    /** ISO weekday (1 = Monday … 7 = Sunday) of a weekly schedule. */
    weekday: z.number().int().min(1).max(7).nullable().default(null),
    /** "HH:MM", station time. */
    time: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'a time of day as HH:MM'),
    target: ReportTargetSchema,
    enabled: z.boolean().default(true),
  })
  .strict();
const weekdayNamed = {
  check: (s: { frequency: string; weekday: number | null }) =>
    s.frequency === 'daily' || s.weekday !== null,
  message: { message: 'a weekly schedule names its weekday', path: ['weekday'] },
};
export const ReportScheduleFieldsSchema = ReportScheduleFields.refine(
  weekdayNamed.check,
  weekdayNamed.message,
);
export type ReportScheduleFields = z.infer<typeof ReportScheduleFieldsSchema>;
export const ReportScheduleSchema = z.object({
  id: Id,
  templateId: Id,
  frequency: z.enum(['daily', 'weekly']),
  weekday: z.number().int().min(1).max(7).nullable(),
  time: z.string(),
  target: ReportTargetSchema,
  enabled: z.boolean(),
  /** When it runs next (null while disabled). */
  nextRunAt: Instant.nullable(),
  lastRunAt: Instant.nullable(),
});
export type ReportSchedule = z.infer<typeof ReportScheduleSchema>;

const NamedId = z.object({ id: Id, name: z.string() });

/** The caller's shift now (or next), where they work and what the last shift left them. */
export const MyShiftSchema = z.object({
  now: Instant,
  /** True when `shift` is running now; false when it is the next one (or there is none). */
  onShift: z.boolean(),
  shift: ShiftSchema.nullable(),
  channels: z.array(NamedId),
  sources: z.array(NamedId),
  /** The current handover note of each of the shift's channels, newest first. */
  handover: z.array(
    z.object({
      channelId: Id,
      channelName: z.string(),
      text: z.string(),
      authorName: z.string(),
      at: Instant,
    }),
  ),
  allowWorkOutsideShift: z.boolean(),
});
export type MyShift = z.infer<typeof MyShiftSchema>;

const Range = z
  .object({ from: Instant, to: Instant })
  .strict()
  .refine((r) => r.to > r.from && r.to - r.from <= 62 * DAY_MS, {
    message: 'a window covers at most 62 days',
    path: ['to'],
  });

export const ShiftsChangedSchema = z.object({
  what: z.enum(['shifts', 'templates', 'timeOff', 'settings']),
});

export const shiftsMethods = {
  /** Every shift and occurrence overlapping the window, time off, and the conflicts in it. */
  shiftsRange: {
    request: Range,
    response: z.object({
      shifts: z.array(ShiftSchema),
      series: z.array(ShiftSeriesSchema),
      timeOff: z.array(TimeOffSchema),
      conflicts: z.array(ConflictSchema),
    }),
  },
  shiftCreate: { request: ShiftCreateSchema, response: z.object({ id: Id }) },
  shiftUpdate: { request: ShiftUpdateSchema, response: z.object({ id: Id }) },
  shiftDelete: { request: z.object({ id: Id }).strict(), response: z.object({ id: Id }) },
  shiftSeriesCreate: { request: ShiftSeriesFieldsSchema, response: z.object({ id: Id }) },
  shiftSeriesUpdate: {
    request: ShiftSeriesFieldsSchema.extend({ id: Id }),
    response: z.object({ id: Id }),
  },
  shiftSeriesDelete: { request: z.object({ id: Id }).strict(), response: z.object({ id: Id }) },
  /** Skips or moves one occurrence; `null` puts it back where the rule says. */
  shiftSeriesException: {
    request: z
      .object({
        seriesId: Id,
        occurrenceStart: Instant,
        exception: SeriesExceptionSchema.nullable(),
      })
      .strict(),
    response: z.object({ id: Id }),
  },
  shiftTemplatesList: {
    request: z.object({}).strict(),
    response: z.object({ templates: z.array(ShiftTemplateSchema) }),
  },
  shiftTemplateSave: {
    request: z
      .object({
        id: Id.optional(),
        name: z.string().trim().min(1).max(80),
        kind: ShiftKindSchema,
        startTime: LocalTime,
        durationMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60),
      })
      .strict(),
    response: ShiftTemplateSchema,
  },
  shiftTemplateDelete: { request: z.object({ id: Id }).strict(), response: z.object({ id: Id }) },
  timeOffCreate: {
    request: z
      .object({ personId: Id, start: Instant, end: Instant, reason: z.string().trim().max(200) })
      .strict()
      .refine((t) => t.end > t.start, { message: 'time off ends after it starts', path: ['end'] }),
    response: TimeOffSchema,
  },
  timeOffDelete: { request: z.object({ id: Id }).strict(), response: z.object({ id: Id }) },
  shiftSettingsGet: { request: z.object({}).strict(), response: ShiftSettingsSchema },
  shiftSettingsSet: { request: ShiftSettingsSchema.partial(), response: ShiftSettingsSchema },
  /** Desk statistics, one row per person-minute and source-minute with anything in it. */
  statsMinutes: {
    request: z
      .object({
        from: Instant,
        to: Instant,
        personIds: z.array(Id).max(1000).nullable().default(null),
      })
      .strict()
      .refine((r) => r.to > r.from && r.to - r.from <= 62 * DAY_MS && r.from % MINUTE_MS === 0, {
        message: 'a whole-minute window of at most 62 days',
        path: ['to'],
      }),
    response: z.object({
      people: z.array(PersonMinuteSchema),
      sources: z.array(SourceMinuteSchema),
    }),
  },
  /** The caller's own shift: current, else the next within a week. */
  myShift: { request: z.object({}).strict(), response: MyShiftSchema },
  reportTemplatesList: {
    request: z.object({}).strict(),
    response: z.object({ templates: z.array(ReportTemplateSchema) }),
  },
  reportTemplateSave: {
    request: ReportTemplateFieldsSchema.extend({ id: Id.optional() }),
    response: ReportTemplateSchema,
  },
  reportTemplateDelete: { request: z.object({ id: Id }).strict(), response: z.object({ id: Id }) },
  /** Reports built lately (kept to the last 100), newest first, with the one building now. */
  reportHistory: {
    request: z.object({}).strict(),
    response: z.object({ runs: z.array(ReportRunSchema) }),
  },
  reportSchedulesList: {
    request: z.object({}).strict(),
    response: z.object({ schedules: z.array(ReportScheduleSchema) }),
  },
  /** Creates a schedule, or replaces one (`id`); the target is checked before it is kept. */
  reportScheduleSave: {
    request: ReportScheduleFields.extend({ id: Id.optional() }).refine(
      weekdayNamed.check,
      weekdayNamed.message,
    ),
    response: ReportScheduleSchema,
  },
  reportScheduleDelete: { request: z.object({ id: Id }).strict(), response: z.object({ id: Id }) },
  /** Runs a schedule now (its next planned run stays); answers once the run has started. */
  reportScheduleRunNow: {
    request: z.object({ id: Id }).strict(),
    response: z.object({ runId: Id }),
  },
  /**
   * Statistics summed per bucket: `edges` are the bucket starts and the end (station days or
   * quarter hours, so a DST day is one bucket of 23 or 25 hours). What the Team screen draws,
   * a few hundred rows where the minutes of 30 people over 30 days are over half a million.
   * `presence` is each person's planned shift time and signed-in time within their shifts.
   */
  statsBuckets: {
    request: z
      .object({ edges: z.array(Instant).min(2).max(400) })
      .strict()
      .refine(
        (r) =>
          r.edges.every((e, i) => i === 0 || e > r.edges[i - 1]!) &&
          r.edges.at(-1)! - r.edges[0]! <= 62 * DAY_MS,
        { message: 'ascending edges over at most 62 days', path: ['edges'] },
      ),
    response: z.object({
      people: z.array(
        z.object({
          personId: Id,
          bucket: z.number().int(),
          signedInMs: z.number().int(),
          activeMs: z.number().int(),
          notes: z.number().int(),
          characters: z.number().int(),
          screenshots: z.number().int(),
          clips: z.number().int(),
        }),
      ),
      sources: z.array(
        z.object({
          sourceId: Id,
          bucket: z.number().int(),
          reviewedMs: z.number().int(),
          coveredMinutes: z.number().int(),
        }),
      ),
      presence: z.array(
        z.object({ personId: Id, plannedMs: z.number().int(), inShiftMs: z.number().int() }),
      ),
    }),
  },
  /** A report as a file (base64), made on the server with office-format libraries. */
  reportBuild: {
    request: ReportRequestSchema,
    response: z.object({ fileName: z.string(), mimeType: z.string(), base64: z.string() }),
  },
} as const;

export const shiftsEvents = {
  /** Something in the plan changed: windows showing it read their range again. */
  shiftsChanged: ShiftsChangedSchema,
  /** New statistics were stored for these minutes. */
  statsChanged: z.object({ from: Instant, to: Instant }),
  /** A report template was saved or deleted, or a report started or finished building. */
  reportsChanged: z.object({ what: z.enum(['templates', 'history', 'schedules']) }),
  /** How far a report being built has come (0–1); history rows patch it in place. */
  reportProgress: z.object({ runId: Id, progress: z.number().min(0).max(1) }),
} as const;
