import { z } from 'zod';
import { isLocalDate } from '../timeline/days';
import { parseHhMm } from '../timeline/templates';
import { AssetState, Id } from './library';

/**
 * Channels and their schedules. Instants are UTC ms, durations integer ms. Every mutation
 * carries the version the caller last saw and fails with `conflict` when it is stale; the
 * message says what changed and `scheduleGet` / `channelsList` return the fresh state.
 */
const Instant = z.number().int().min(0).max(8_640_000_000_000);
/** Longest single item or break: a week (a loop channel's "movie marathon" fits). */
export const MAX_ITEM_MS = 7 * 86_400_000;
const Duration = z.number().int().positive().max(MAX_ITEM_MS);
const Version = z.number().int().positive();
const Ref = z.object({ id: Id, version: Version }).strict();
const LocalDate = z.string().refine(isLocalDate, { message: 'a date is YYYY-MM-DD' });
const Text = z.string().trim().max(200);

export const ChannelSchema = z.object({
  id: Id,
  name: z.string(),
  number: z.number().int(),
  slug: z.string(),
  logoPath: z.string().nullable(),
  group: z.string().nullable(),
  enabled: z.boolean(),
  sortOrder: z.number().int(),
  fillerFolderId: Id.nullable(),
  slateAssetId: Id.nullable(),
  version: Version,
  /** Bumped by every schedule change on the channel: a window that sees a jump refetches. */
  scheduleVersion: z.number().int().nonnegative(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Channel = z.infer<typeof ChannelSchema>;

const ChannelFields = z.object({
  name: z.string().trim().min(1).max(80),
  number: z.number().int().min(1).max(9999),
  slug: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, {
    message: 'lowercase letters, digits and -',
  }),
  logoPath: z.string().max(4096).nullable(),
  group: z.string().trim().max(80).nullable(),
  enabled: z.boolean(),
  fillerFolderId: Id.nullable(),
  slateAssetId: Id.nullable(),
});
export const ChannelCreateSchema = ChannelFields.partial({
  logoPath: true,
  group: true,
  enabled: true,
  fillerFolderId: true,
  slateAssetId: true,
}).strict();
export type ChannelCreate = z.input<typeof ChannelCreateSchema>;

export const ScheduleItemKind = z.enum(['asset', 'break']);

export const ScheduleItemSchema = z.object({
  id: Id,
  channelId: Id,
  kind: ScheduleItemKind,
  assetId: Id.nullable(),
  /** A break inside a programme points at it; top-level items have null. */
  parentItemId: Id.nullable(),
  /** For a break inside a programme: where in the programme's content it plays. */
  offsetMs: z.number().int().nullable(),
  startsAt: z.number().int(),
  /** Content played (asset: out − in; break: its length). */
  durationMs: z.number().int(),
  inMs: z.number().int(),
  /** Inner breaks' total: a programme is on air for durationMs + breaksMs. */
  breaksMs: z.number().int(),
  /** startsAt + durationMs + breaksMs. */
  endsAt: z.number().int(),
  title: z.string().nullable(),
  category: z.string().nullable(),
  version: Version,
  /** For badges: null for breaks; `missing` when the asset row is gone. */
  asset: z
    .object({
      name: z.string(),
      state: AssetState,
      durationMs: z.number().int().nullable(),
    })
    .nullable(),
});
export type ScheduleItem = z.infer<typeof ScheduleItemSchema>;

const itemFields = {
  channelId: Id,
  kind: ScheduleItemKind,
  assetId: Id.nullable(),
  parentItemId: Id.nullable(),
  offsetMs: z.number().int().nonnegative().nullable(),
  startsAt: Instant,
  durationMs: Duration,
  inMs: z.number().int().nonnegative(),
  title: Text.nullable(),
  category: Text.nullable(),
};
/** Everything an item can be set to; used by batches (undo/redo) and import. */
export const ItemSnapshotSchema = z
  .object({
    ...itemFields,
    assetId: itemFields.assetId.default(null),
    parentItemId: itemFields.parentItemId.default(null),
    offsetMs: itemFields.offsetMs.default(null),
    inMs: itemFields.inMs.default(0),
    title: itemFields.title.default(null),
    category: itemFields.category.default(null),
  })
  .strict();
/** Only the fields given change (no defaults here, or a patch would reset the rest). */
const ItemPatchSchema = z.object(itemFields).omit({ kind: true }).partial().strict();
export type ItemSnapshot = z.output<typeof ItemSnapshotSchema>;

/**
 * One step of an atomic batch. `create` may name the id to recreate (undoing a delete brings
 * back the same id, so a redo can address it).
 */
export const BatchOpSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('create'), id: Id.optional(), item: ItemSnapshotSchema }).strict(),
  z
    .object({
      op: z.literal('update'),
      id: Id,
      version: Version,
      set: ItemPatchSchema,
    })
    .strict(),
  z.object({ op: z.literal('delete'), id: Id, version: Version }).strict(),
]);
export type BatchOp = z.output<typeof BatchOpSchema>;
export type BatchOpInput = z.input<typeof BatchOpSchema>;

/**
 * What every schedule mutation answers: the items as they now are, the ids that left, and the
 * batch that undoes it (apply it with `scheduleBatch`; its answer carries the redo batch).
 */
export const ScheduleChangeSchema = z.object({
  changed: z.array(ScheduleItemSchema),
  removed: z.array(Id),
  inverse: z.array(BatchOpSchema),
  /** Per affected channel. */
  scheduleVersions: z.record(z.string(), z.number().int()),
});
export type ScheduleChange = z.infer<typeof ScheduleChangeSchema>;

const Ripple = z.boolean().default(false);
const FillOrder = z.enum(['ordered', 'shuffled']);
const FillFields = {
  folderId: Id,
  /** Include sub-folders' ready assets. */
  recursive: z.boolean().default(false),
  order: FillOrder.default('ordered'),
  noRepeatWithinMs: z
    .number()
    .int()
    .nonnegative()
    .max(90 * 86_400_000)
    .default(0),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  /** A remainder shorter than this stays empty for the slate (default one frame). */
  minTailMs: z.number().int().min(1).max(3_600_000).default(40),
};
export const FillResultSchema = ScheduleChangeSchema.extend({
  filled: z.array(z.object({ start: Instant, end: Instant })),
  unfilled: z.array(z.object({ start: Instant, end: Instant })),
  repeats: z.number().int(),
});

const HhMm = z
  .string()
  .refine((v) => parseHhMm(v) !== undefined, { message: 'a time is HH:MM (00:00–24:00)' });
export const TemplateBlockSchema = z
  .object({
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    start: HhMm,
    end: HhMm,
    folderId: Id,
    recursive: z.boolean().default(false),
    order: FillOrder.default('ordered'),
    noRepeatWithinMs: z
      .number()
      .int()
      .nonnegative()
      .max(90 * 86_400_000)
      .default(0),
    title: Text.nullable().default(null),
  })
  .strict()
  .refine((b) => (parseHhMm(b.start) ?? 0) < (parseHhMm(b.end) ?? 0), {
    message: 'a block ends after it starts',
  });
export const TemplateSchema = z.object({
  id: Id,
  name: z.string(),
  blocks: z.array(TemplateBlockSchema),
  version: Version,
  updatedAt: z.number().int(),
});
export type Template = z.infer<typeof TemplateSchema>;
const TemplateFields = z.object({
  name: z.string().trim().min(1).max(80),
  blocks: z.array(TemplateBlockSchema).max(200),
});

export const ValidationReportSchema = z.object({
  channelId: Id,
  from: Instant,
  to: Instant,
  timeZone: z.string(),
  gaps: z.array(
    z.object({ start: z.number().int(), end: z.number().int(), durationMs: z.number().int() }),
  ),
  overlaps: z.array(
    z.object({
      a: Id,
      b: Id,
      start: z.number().int(),
      end: z.number().int(),
      durationMs: z.number().int(),
    }),
  ),
  media: z.array(
    z.object({
      itemId: Id,
      assetId: Id,
      problem: z.enum(['missing', 'not_ready', 'failed', 'trim_beyond_media']),
      state: AssetState.nullable(),
      message: z.string(),
    }),
  ),
  dst: z.array(
    z.object({
      itemId: Id,
      at: z.number().int(),
      offsetBeforeMs: z.number().int(),
      offsetAfterMs: z.number().int(),
    }),
  ),
  ok: z.boolean(),
});
export type ValidationReport = z.infer<typeof ValidationReportSchema>;

export const ScheduleSettingsSchema = z.object({
  /** Items starting before now + this cannot be moved, trimmed or deleted. Default 5 min. */
  lockHorizonMs: z.number().int().nonnegative().max(86_400_000),
});
export type ScheduleSettings = z.infer<typeof ScheduleSettingsSchema>;

const TransferFormat = z.enum(['csv', 'json']);
const MAX_RANGE_MS = 62 * 86_400_000;
const Range = { from: Instant, to: Instant };
const rangeOk = (r: { from: number; to: number }) => r.to > r.from && r.to - r.from <= MAX_RANGE_MS;
const rangeMessage = { message: 'to must be after from, at most 62 days later' };

export const scheduleMethods = {
  channelsList: { request: z.object({}).strict(), response: z.array(ChannelSchema) },
  channelCreate: { request: ChannelCreateSchema, response: ChannelSchema },
  channelUpdate: {
    request: z.object({ id: Id, version: Version, set: ChannelFields.partial().strict() }).strict(),
    response: ChannelSchema,
  },
  /** The full new order, each with the version the caller saw. */
  channelReorder: {
    request: z.object({ channels: z.array(Ref).min(1).max(1000) }).strict(),
    response: z.array(ChannelSchema),
  },
  /** Only a disabled channel can be deleted; its schedule goes with it. */
  channelDelete: { request: Ref, response: z.object({ deleted: Id }) },

  scheduleSettingsGet: { request: z.object({}).strict(), response: ScheduleSettingsSchema },
  scheduleSettingsSet: {
    request: ScheduleSettingsSchema.strict(),
    response: ScheduleSettingsSchema,
  },

  /** Items (top-level and inner breaks) starting in [from − 1 week… overlapping [from, to). */
  scheduleRange: {
    request: z
      .object({ channelIds: z.array(Id).max(500).optional(), ...Range })
      .strict()
      .refine(rangeOk, rangeMessage),
    response: z.object({
      items: z.array(ScheduleItemSchema),
      scheduleVersions: z.record(z.string(), z.number().int()),
      lockHorizonMs: z.number().int(),
      now: z.number().int(),
    }),
  },
  /** Fresh state after a conflict. Ids no longer there are listed in `missing`. */
  scheduleGet: {
    request: z.object({ ids: z.array(Id).min(1).max(10_000) }).strict(),
    response: z.object({ items: z.array(ScheduleItemSchema), missing: z.array(Id) }),
  },
  /**
   * Place an asset (duration defaults to the asset's exact length minus `inMs`), a break on
   * the timeline, or a break inside a programme (`parent` + `offsetMs` into its content).
   * `snapMs` snaps the start to a neighbour's end (or the end to a neighbour's start).
   */
  scheduleAdd: {
    request: z
      .object({
        channelId: Id,
        kind: ScheduleItemKind,
        assetId: Id.optional(),
        startsAt: Instant.optional(),
        /** Append right after the last item that ends at or before `startsAt` (or now). */
        afterPrevious: z.boolean().default(false),
        durationMs: Duration.optional(),
        inMs: z.number().int().nonnegative().default(0),
        parent: Ref.optional(),
        offsetMs: z.number().int().positive().optional(),
        title: Text.nullable().default(null),
        category: Text.nullable().default(null),
        snapMs: z.number().int().nonnegative().max(3_600_000).default(0),
        ripple: Ripple,
      })
      .strict()
      .refine((r) => (r.kind === 'asset') === (r.assetId !== undefined), {
        message: 'assetId is needed for (only) an asset',
      })
      .refine((r) => r.kind === 'asset' || r.durationMs !== undefined, {
        message: 'a break needs durationMs',
      })
      .refine((r) => (r.parent === undefined) === (r.offsetMs === undefined), {
        message: 'parent and offsetMs go together',
      })
      .refine((r) => r.parent === undefined || r.kind === 'break', {
        message: 'only a break goes inside a programme',
      })
      .refine((r) => r.parent !== undefined || r.startsAt !== undefined || r.afterPrevious, {
        message: 'give startsAt or afterPrevious',
      }),
    response: ScheduleChangeSchema,
  },
  /**
   * Move a selection by `deltaMs`, or so its earliest item starts at `startsAt`; optionally to
   * another channel. Inner breaks travel with their programme.
   */
  scheduleMove: {
    request: z
      .object({
        items: z.array(Ref).min(1).max(5000),
        deltaMs: z.number().int().optional(),
        startsAt: Instant.optional(),
        channelId: Id.optional(),
        snapMs: z.number().int().nonnegative().max(3_600_000).default(0),
        ripple: Ripple,
      })
      .strict()
      .refine((r) => (r.deltaMs === undefined) !== (r.startsAt === undefined), {
        message: 'give deltaMs or startsAt',
      }),
    response: ScheduleChangeSchema,
  },
  /**
   * Set an asset item's in/out points in the media (snapped to frames; out defaults to the
   * current one) or a break's length. `keepEnd` moves the start so the end stays (left-edge
   * drag). Inner breaks beyond the new content end are refused.
   */
  scheduleTrim: {
    request: z
      .object({
        id: Id,
        version: Version,
        inMs: z.number().int().nonnegative().optional(),
        outMs: z.number().int().positive().optional(),
        durationMs: Duration.optional(),
        keepEnd: z.boolean().default(false),
        ripple: Ripple,
      })
      .strict(),
    response: ScheduleChangeSchema,
  },
  /** Copies right after the selection (or shifted by `offsetMs`, or on another channel). */
  scheduleDuplicate: {
    request: z
      .object({
        items: z.array(Ref).min(1).max(5000),
        offsetMs: z.number().int().optional(),
        channelId: Id.optional(),
        ripple: Ripple,
      })
      .strict(),
    response: ScheduleChangeSchema,
  },
  /** `ripple` pulls the back-to-back run that followed each deleted item earlier. */
  scheduleDelete: {
    request: z.object({ items: z.array(Ref).min(1).max(10_000), ripple: Ripple }).strict(),
    response: ScheduleChangeSchema,
  },
  /** Atomic; used for undo/redo (apply `inverse`). Overlaps are refused, never rippled. */
  scheduleBatch: {
    request: z.object({ ops: z.array(BatchOpSchema).min(1).max(20_000) }).strict(),
    response: ScheduleChangeSchema,
  },
  /** Fill every gap in [from, to) (a gap, a day, a week) from a folder's ready assets. */
  scheduleFillRange: {
    request: z
      .object({ channelId: Id, ...Range, ...FillFields })
      .strict()
      .refine(rangeOk, rangeMessage),
    response: FillResultSchema,
  },
  /** Fill the one gap containing `at` (up to `until` when nothing follows it). */
  scheduleFillGap: {
    request: z
      .object({ channelId: Id, at: Instant, until: Instant.optional(), ...FillFields })
      .strict(),
    response: FillResultSchema,
  },
  /**
   * Copy the items of `days` station days starting at `sourceDate` to each target start date
   * (another channel optional). `replace` clears the target days first (refused if anything
   * there is locked); otherwise clashes are refused unless `ripple`.
   */
  scheduleCopyDays: {
    request: z
      .object({
        channelId: Id,
        sourceDate: LocalDate,
        days: z.number().int().min(1).max(14).default(1),
        targetDates: z.array(LocalDate).min(1).max(366),
        targetChannelId: Id.optional(),
        align: z.enum(['wallClock', 'elapsed']).default('wallClock'),
        replace: z.boolean().default(false),
        ripple: Ripple,
      })
      .strict(),
    response: ScheduleChangeSchema,
  },

  templatesList: { request: z.object({}).strict(), response: z.array(TemplateSchema) },
  templateCreate: { request: TemplateFields.strict(), response: TemplateSchema },
  templateUpdate: {
    request: z
      .object({ id: Id, version: Version, set: TemplateFields.partial().strict() })
      .strict(),
    response: TemplateSchema,
  },
  templateDelete: { request: Ref, response: z.object({ deleted: Id }) },
  /** Fill the free parts of every block on every date in [fromDate, toDate] (station zone). */
  templateApply: {
    request: z
      .object({
        templateId: Id,
        channelId: Id,
        fromDate: LocalDate,
        toDate: LocalDate,
        seed: z.number().int().min(0).max(0xffffffff).default(1),
      })
      .strict()
      .refine((r) => r.fromDate <= r.toDate, { message: 'toDate is on or after fromDate' }),
    response: FillResultSchema,
  },

  scheduleValidate: {
    request: z
      .object({ channelId: Id, ...Range })
      .strict()
      .refine(rangeOk, rangeMessage),
    response: ValidationReportSchema,
  },
  /** Items starting in [from, to), inner breaks included. */
  scheduleExport: {
    request: z
      .object({ channelId: Id, ...Range, format: TransferFormat })
      .strict()
      .refine(rangeOk, rangeMessage),
    response: z.object({ text: z.string(), count: z.number().int() }),
  },
  /**
   * `replace-range` deletes what starts in [from, to) (default: the file's extent) and
   * writes the file; `merge` adds to what is there (clashes refused). Every row is checked and
   * all errors are returned as `invalid_request`, one line per row number.
   */
  scheduleImport: {
    request: z
      .object({
        channelId: Id,
        format: TransferFormat,
        text: z.string().min(1).max(20_000_000),
        mode: z.enum(['replace-range', 'merge']),
        from: Instant.optional(),
        to: Instant.optional(),
      })
      .strict(),
    response: ScheduleChangeSchema,
  },
} as const;

export const scheduleEvents = {
  channelsChanged: z.object({ channels: z.array(ChannelSchema) }),
  /** One per channel per commit: patch `changed` in, drop `removed`. */
  scheduleChanged: z.object({
    channelId: Id,
    scheduleVersion: z.number().int(),
    changed: z.array(ScheduleItemSchema),
    removed: z.array(Id),
  }),
  scheduleSettingsChanged: ScheduleSettingsSchema,
  templatesChanged: z.object({ templates: z.array(TemplateSchema) }),
} as const;
