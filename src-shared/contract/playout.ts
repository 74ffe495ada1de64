import { z } from 'zod';
import { Id } from './library';

/**
 * Playout: channels on air, operator control, the as-run log and the public outputs' settings.
 * Instants are UTC ms. Every operator action is written to the as-run log before it changes
 * anything, and takes effect at the next segment boundary (`effectiveAt`).
 */
const Instant = z.number().int().min(0).max(8_640_000_000_000);
const MAX_AS_RUN_RANGE_MS = 62 * 86_400_000;

export const PlayoutAlarmKind = z.enum([
  'missing_segment',
  'corrupt_segment',
  'cut_unavailable',
  'media_not_ready',
]);

export const PlayoutAlarmSchema = z.object({
  channelId: Id,
  kind: PlayoutAlarmKind,
  message: z.string(),
  at: z.number().int(),
  itemId: Id.nullable(),
});
export type PlayoutAlarm = z.infer<typeof PlayoutAlarmSchema>;

/** One programme of the channel's air as viewers see it (EPG granularity: breaks fold in). */
export const PlayoutProgrammeSchema = z.object({
  itemId: Id.nullable(),
  assetId: Id.nullable(),
  title: z.string(),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  kind: z.enum(['programme', 'slate']),
  category: z.string().nullable(),
});
export type PlayoutProgramme = z.infer<typeof PlayoutProgrammeSchema>;

export const PlayoutNowSchema = PlayoutProgrammeSchema.extend({
  /** How far into the programme the air is (ms since startsAt). */
  offsetMs: z.number().int(),
});

export const PlayoutStatusSchema = z.object({
  channelId: Id,
  slug: z.string(),
  name: z.string(),
  onAir: z.boolean(),
  held: z.boolean(),
  heldSince: z.number().int().nullable(),
  /** First start ever: media sequence 0. Null until the channel was started once. */
  epochAt: z.number().int().nullable(),
  now: PlayoutNowSchema.nullable(),
  next: PlayoutProgrammeSchema.nullable(),
  /** The next 6 hours. */
  upcoming: z.array(PlayoutProgrammeSchema),
  /** Media sequence number of the segment on air (null when never started). */
  msn: z.number().int().nullable(),
  lastAlarm: PlayoutAlarmSchema.nullable(),
});
export type PlayoutStatus = z.infer<typeof PlayoutStatusSchema>;

export const AsRunKind = z.enum(['programme', 'break', 'slate', 'action']);
export const AsRunRowSchema = z.object({
  id: Id,
  channelId: Id,
  kind: AsRunKind,
  itemId: z.number().int().nullable(),
  assetId: z.number().int().nullable(),
  title: z.string(),
  /** The schedule's start for the item (null for gaps and actions). */
  scheduledAt: z.number().int().nullable(),
  /** When it went on air (for an action: when it was asked for). */
  airedAt: z.number().int(),
  /** Programme/slate rows: planned length, corrected to the actual once the next one starts. */
  durationMs: z.number().int(),
  /** Media sequence number at the entry's first segment (action rows: at its boundary). */
  msn: z.number().int().nullable(),
  /** EXT-X-DISCONTINUITY-SEQUENCE of a playlist starting at that segment. */
  discSeq: z.number().int().nullable(),
  note: z.string().nullable(),
  createdAt: z.number().int(),
});
export type AsRunRow = z.infer<typeof AsRunRowSchema>;

export const OutputsSettingsSchema = z
  .object({
    /** Public outputs (HLS, live TS, M3U, XMLTV) ask for `?key=` when set. */
    requireKey: z.boolean(),
    key: z.string().max(200),
  })
  .strict()
  .refine((s) => !s.requireKey || /^[A-Za-z0-9_-]{8,200}$/.test(s.key), {
    message: 'a required key is 8+ characters of letters, digits, - or _',
  });
export type OutputsSettings = z.infer<typeof OutputsSettingsSchema>;

const ChannelRef = z.object({ channelId: Id }).strict();
const ActionResult = z.object({
  status: PlayoutStatusSchema,
  /** The segment boundary at which the action took effect. */
  effectiveAt: z.number().int(),
});
const AsRunRange = z
  .object({ channelId: Id, from: Instant, to: Instant })
  .strict()
  .refine((r) => r.to > r.from && r.to - r.from <= MAX_AS_RUN_RANGE_MS, {
    message: 'to must be after from, at most 62 days later',
  });

export const playoutMethods = {
  /** Put a channel on air (its first start fixes media sequence 0). */
  playoutStart: { request: ChannelRef, response: ActionResult },
  /** Off air: outputs answer 503 until started again. */
  playoutStop: { request: ChannelRef, response: ActionResult },
  /**
   * End the current programme at the next segment boundary and start the next one there;
   * the back-to-back run after it moves earlier with it (the first gap absorbs the change).
   */
  playoutTakeNext: { request: ChannelRef, response: ActionResult },
  /**
   * End the current programme at the next segment boundary; everything later keeps its
   * scheduled time (slate fills until the next programme).
   */
  playoutSkip: { request: ChannelRef, response: ActionResult },
  /**
   * Play an asset from the next segment boundary; the interrupted programme resumes after it
   * where it left off and later items are pushed (a gap absorbs the push).
   */
  playoutInsertNow: {
    request: z.object({ channelId: Id, assetId: Id }).strict(),
    response: ActionResult,
  },
  /**
   * An ad break from the next segment boundary, announced on the outputs with SCTE-35 markers
   * like a scheduled one; the interrupted programme resumes after it and later items are pushed.
   */
  playoutBreakNow: {
    request: z
      .object({
        channelId: Id,
        durationMs: z.number().int().min(1000).max(3_600_000),
        title: z.string().trim().max(200).nullable().default(null),
      })
      .strict(),
    response: ActionResult,
  },
  /** Slate from the next segment boundary until release. */
  playoutHold: { request: ChannelRef, response: ActionResult },
  /**
   * End the hold at the next segment boundary: the interrupted programme resumes where it
   * left off and later items are pushed by the held time.
   */
  playoutRelease: { request: ChannelRef, response: ActionResult },
  playoutStatus: {
    request: z.object({ channelId: Id.optional() }).strict(),
    response: z.object({ channels: z.array(PlayoutStatusSchema), now: z.number().int() }),
  },
  /** Rows aired (or actions asked) in [from, to), oldest first. */
  asRunList: { request: AsRunRange, response: z.object({ rows: z.array(AsRunRowSchema) }) },
  /** The same rows as CSV (RFC 4180), times in ISO 8601 UTC. */
  asRunExport: {
    request: AsRunRange,
    response: z.object({ text: z.string(), count: z.number().int() }),
  },
  outputsSettingsGet: { request: z.object({}).strict(), response: OutputsSettingsSchema },
  outputsSettingsSet: { request: OutputsSettingsSchema, response: OutputsSettingsSchema },
} as const;

export const playoutEvents = {
  /** Start/stop/take/hold/release and every programme change (sent by the as-run ticker). */
  playoutChanged: z.object({ channelId: Id, status: PlayoutStatusSchema }),
  asRunAppended: z.object({ rows: z.array(AsRunRowSchema) }),
  playoutAlarm: PlayoutAlarmSchema,
  outputsSettingsChanged: OutputsSettingsSchema,
} as const;
