import { z } from 'zod';
import { Id } from './library';

/**
 * Audience history: viewers per channel-minute and per programme of the as-run log. How a
 * viewer and its watch time are counted is written once, in src-main/core/audience/
 * audience-counter.ts (and the README's "Audience").
 */
const Instant = z.number().int().min(0).max(8_640_000_000_000);
export const MAX_AUDIENCE_RANGE_MS = 62 * 86_400_000;

const Window = z
  .object({ from: Instant, to: Instant, channelId: Id.optional() })
  .strict()
  .refine((r) => r.to > r.from && r.to - r.from <= MAX_AUDIENCE_RANGE_MS, {
    message: 'to must be after from, at most 62 days later',
  });

export const ProgrammeAudienceSchema = z.object({
  channelId: Id,
  /** The schedule item that aired (null for slate and filler without one). */
  itemId: Id.nullable(),
  title: z.string(),
  /** First air instant and the end of its last part (a programme split by breaks is one). */
  airedAt: z.number().int(),
  endsAt: z.number().int(),
  /** Time on air, breaks excluded. */
  durationMs: z.number().int().nonnegative(),
  /** Distinct viewers with at least one request while it was on air. */
  uniqueViewers: z.number().int().nonnegative(),
  /** Most distinct viewers in any minute it was on air. */
  peakViewers: z.number().int().nonnegative(),
  /** Watch time over time on air: the average audience at any instant. */
  averageViewers: z.number().nonnegative(),
  /** Media time fetched by its viewers while it was on air. */
  watchMs: z.number().int().nonnegative(),
  /** Its watch time over the watch time of every channel during it (0–1; 0 when none). */
  share: z.number().min(0).max(1),
});
export type ProgrammeAudience = z.infer<typeof ProgrammeAudienceSchema>;

/** One channel's series: parallel arrays, one value per step from `from`. */
export const AudienceSeriesSchema = z.object({
  channelId: Id,
  at: z.array(z.number().int()),
  /** Most distinct viewers in a minute of the step. */
  peak: z.array(z.number().int().nonnegative()),
  /** Watch time over the step's length. */
  average: z.array(z.number().nonnegative()),
  watchMs: z.array(z.number().int().nonnegative()),
});
export type AudienceSeries = z.infer<typeof AudienceSeriesSchema>;

export const AudienceMinuteSchema = z.object({
  channelId: Id,
  /** The minute's start (UTC ms). */
  at: z.number().int(),
  viewers: z.number().int().nonnegative(),
  watchMs: z.number().int().nonnegative(),
});
export type AudienceMinute = z.infer<typeof AudienceMinuteSchema>;

export const audienceMethods = {
  /** Programmes of the as-run log that overlap [from, to), with their audience. */
  audienceByProgramme: {
    request: Window,
    response: z.object({ programmes: z.array(ProgrammeAudienceSchema) }),
  },
  /**
   * Viewers per channel over [from, to) in steps of `stepMinutes` (the window is cut into at
   * most 10,080 steps: a week of minutes).
   */
  audienceSeries: {
    request: z
      .object({
        from: Instant,
        to: Instant,
        channelId: Id.optional(),
        stepMinutes: z.number().int().min(1).max(1440),
      })
      .strict()
      .refine((r) => r.to > r.from && r.to - r.from <= MAX_AUDIENCE_RANGE_MS, {
        message: 'to must be after from, at most 62 days later',
      })
      .refine((r) => (r.to - r.from) / (r.stepMinutes * 60_000) <= 10_080, {
        message: 'at most 10,080 steps: take a longer step',
      }),
    response: z.object({
      from: z.number().int(),
      stepMinutes: z.number().int(),
      channels: z.array(AudienceSeriesSchema),
    }),
  },
} as const;

export const audienceEvents = {
  /** Minutes just rolled up (every channel with viewers in them). */
  audienceMinutes: z.object({ minutes: z.array(AudienceMinuteSchema) }),
} as const;
