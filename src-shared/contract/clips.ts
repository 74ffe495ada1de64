import { z } from 'zod';
import { Id } from './library';
import { MAX_CLIP_MS, ReviewJobSchema } from './recorder';

/**
 * Clips as a registry: clips of several sources of one moment asked for at once (a batch: one
 * frame-exact MP4 per source, each its own review job), who asked, which source, which air
 * time, which notes carry it, and where it was delivered. A delivery target is a folder on the
 * server's disk (inside the station's allowed folders) or a storage location (S3) with a key
 * prefix; a target may deliver every new clip by itself, and any clip can be delivered or a
 * failed delivery retried on demand.
 *
 * A clip range that crosses a recorded gap is refused before any work (`conflict`, with the gap's
 * times in the message and `fields`): black filling the gap would read as black on air.
 */

const Instant = z.number().int().min(0);

/** At most this many sources in one batch (a 4×4 desk). */
export const MAX_CLIP_BATCH_SOURCES = 16;
/** Around a marker, at most this far either side. */
export const MAX_CLIP_PAD_MS = 5 * 60_000;

export const ReviewBatchState = z.enum(['queued', 'running', 'done', 'failed']);

export const ReviewBatchSchema = z.object({
  id: Id,
  personId: Id.nullable(),
  fromAt: z.number().int(),
  toAt: z.number().int(),
  /** Failed when any clip failed, done when all are, running once one started. */
  state: ReviewBatchState,
  /** 0–1: the mean of its clips' progress. */
  progress: z.number(),
  jobs: z.array(ReviewJobSchema),
  createdAt: z.number().int(),
});
export type ReviewBatch = z.infer<typeof ReviewBatchSchema>;

const SourceIds = z
  .array(Id)
  .min(1, 'name at least one source')
  .max(MAX_CLIP_BATCH_SOURCES)
  .refine((ids) => new Set(ids).size === ids.length, 'each source once');

export const ReviewClipBatchRequestSchema = z
  .union([
    z.object({ sourceIds: SourceIds, inAt: Instant, outAt: Instant }).strict(),
    z
      .object({
        sourceIds: SourceIds,
        /** A marker's air time; the clip is [at − beforeMs, at + afterMs). */
        at: Instant,
        beforeMs: z.number().int().min(0).max(MAX_CLIP_PAD_MS),
        afterMs: z.number().int().min(0).max(MAX_CLIP_PAD_MS),
      })
      .strict(),
  ])
  .superRefine((r, ctx) => {
    const [inAt, outAt] = 'at' in r ? [r.at - r.beforeMs, r.at + r.afterMs] : [r.inAt, r.outAt];
    if (!(outAt > inAt && outAt - inAt <= MAX_CLIP_MS))
      ctx.addIssue({
        code: 'custom',
        path: ['outAt'],
        message: `the clip must be longer than 0 and at most ${MAX_CLIP_MS / 60_000} minutes`,
      });
    if (inAt < 0) ctx.addIssue({ code: 'custom', path: ['beforeMs'], message: 'before time 0' });
  });

export const ClipTargetKind = z.enum(['folder', 's3']);

export const ClipTargetSchema = z.object({
  id: Id,
  name: z.string(),
  kind: ClipTargetKind,
  /** Folder targets: the absolute folder. */
  folder: z.string().nullable(),
  /** S3 targets: the storage location and the key prefix under the location's own prefix. */
  locationId: Id.nullable(),
  prefix: z.string(),
  /** Delivers every clip that finishes from now on by itself. */
  autoDeliver: z.boolean(),
  createdAt: z.number().int(),
});
export type ClipTarget = z.infer<typeof ClipTargetSchema>;

const TargetName = z.string().trim().min(1, 'a target needs a name').max(80);
/** Key prefix: plain path words, no "..", no leading slash. */
const KeyPrefix = z
  .string()
  .trim()
  .max(200)
  .regex(/^([A-Za-z0-9._-]+\/)*$/, 'words of letters, digits, ".", "_" or "-", each ending in "/"')
  .refine((p) => !p.split('/').some((w) => w === '.' || w === '..'), 'no "." or ".." words');

export const ClipTargetAddSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('folder'),
      name: TargetName,
      /** Absolute, inside the station's allowed folders; it must exist. */
      folder: z.string().min(1).max(4096),
      autoDeliver: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      kind: z.literal('s3'),
      name: TargetName,
      locationId: Id,
      prefix: KeyPrefix.default('clips/'),
      autoDeliver: z.boolean().default(false),
    })
    .strict(),
]);
export type ClipTargetAdd = z.infer<typeof ClipTargetAddSchema>;

export const ClipDeliveryState = z.enum(['queued', 'running', 'done', 'failed']);

export const ClipDeliverySchema = z.object({
  id: Id,
  jobId: Id,
  /** The clip's source (for reach). */
  sourceId: Id,
  targetId: Id,
  targetName: z.string(),
  /** Who asked (null: the target's automatic delivery). */
  personId: Id.nullable(),
  state: ClipDeliveryState,
  attempts: z.number().int(),
  /** Where the clip landed: the file path or `s3://bucket/key`. */
  destination: z.string().nullable(),
  bytes: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.number().int(),
  finishedAt: z.number().int().nullable(),
});
export type ClipDelivery = z.infer<typeof ClipDeliverySchema>;

export const ClipEntrySchema = z.object({
  job: ReviewJobSchema,
  sourceName: z.string().nullable(),
  /** Who asked, by name (null: the core itself, or a deleted account). */
  personName: z.string().nullable(),
  /** Notes that carry the clip. */
  noteIds: z.array(Id),
  deliveries: z.array(ClipDeliverySchema),
});
export type ClipEntry = z.infer<typeof ClipEntrySchema>;

export const RecorderSettingsSchema = z.object({
  /** Below this many free bytes on the recordings' disk: alarm, and the oldest unheld media goes. */
  lowDiskFreeBytes: z.number().int().min(0),
});
export type RecorderSettings = z.infer<typeof RecorderSettingsSchema>;

export const RecorderAlarmSchema = z.object({
  kind: z.literal('low_disk'),
  message: z.string(),
  freeBytes: z.number().int().nullable(),
  thresholdBytes: z.number().int(),
  raisedAt: z.number().int(),
  /** True in the event that ends the condition. */
  cleared: z.boolean(),
});
export type RecorderAlarm = z.infer<typeof RecorderAlarmSchema>;

const Targets = z.object({ targets: z.array(ClipTargetSchema) });

export const clipMethods = {
  /** Queues one frame-exact clip per source of the same air range, as one batch. */
  reviewClipBatch: { request: ReviewClipBatchRequestSchema, response: ReviewBatchSchema },
  reviewBatchGet: { request: z.object({ id: Id }).strict(), response: ReviewBatchSchema },
  /** The clip registry, newest first. */
  clipsList: {
    request: z
      .object({ sourceId: Id.optional(), limit: z.number().int().min(1).max(500).default(100) })
      .strict(),
    response: z.object({ clips: z.array(ClipEntrySchema) }),
  },
  clipTargetsList: { request: z.object({}).strict(), response: Targets },
  clipTargetAdd: { request: ClipTargetAddSchema, response: ClipTargetSchema },
  clipTargetUpdate: {
    request: z.object({ id: Id, autoDeliver: z.boolean() }).strict(),
    response: ClipTargetSchema,
  },
  clipTargetRemove: { request: z.object({ id: Id }).strict(), response: z.object({ id: Id }) },
  /** Delivers a finished clip to a target (again, if it was delivered there before). */
  clipDeliver: {
    request: z.object({ jobId: Id, targetId: Id }).strict(),
    response: ClipDeliverySchema,
  },
  clipDeliveryRetry: { request: z.object({ id: Id }).strict(), response: ClipDeliverySchema },
  recorderSettingsGet: { request: z.object({}).strict(), response: RecorderSettingsSchema },
  recorderSettingsSet: {
    request: RecorderSettingsSchema.partial().strict(),
    response: RecorderSettingsSchema,
  },
} as const;

export const clipEvents = {
  /** A delivery was queued, started, landed or failed. */
  clipDeliveryChanged: ClipDeliverySchema,
  clipTargetsChanged: Targets,
  /** The recordings' disk is short of space (or no longer is). */
  recorderAlarm: RecorderAlarmSchema,
} as const;
