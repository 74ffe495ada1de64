import { z } from 'zod';
import { Id } from './library';

/**
 * Viewer subscriptions (IPTV practice). A plan is a channel package, a cap on streams at once
 * and an optional end date; a subscriber holds a plan and a personal key (`sub_…`, shown once,
 * kept as a SHA-256) that their playlist, guide and stream URLs carry.
 */
export const SubscriberPlanSchema = z.object({
  id: Id,
  name: z.string(),
  /** The package: only these channels play with a key on this plan. */
  channels: z.array(Id),
  /** Streams at once (see the README for how an HLS stream is counted). */
  maxStreams: z.number().int(),
  /** After this instant every subscriber on the plan is refused; null: no end. */
  expiresAt: z.number().int().nullable(),
  /** Subscribers on the plan (revoked ones included). */
  subscribers: z.number().int(),
});
export type SubscriberPlan = z.infer<typeof SubscriberPlanSchema>;

export const SubscriberPlanSaveSchema = z
  .object({
    /** Absent: a new plan. */
    id: Id.optional(),
    name: z.string().trim().min(1).max(80),
    channels: z.array(Id).min(1).max(10_000),
    maxStreams: z.number().int().min(1).max(100),
    expiresAt: z.number().int().positive().nullable().default(null),
  })
  .strict();
export type SubscriberPlanSave = z.input<typeof SubscriberPlanSaveSchema>;

export const SubscriberSchema = z.object({
  id: Id,
  name: z.string(),
  planId: Id,
  planName: z.string(),
  /** The first characters of the key, enough to recognise it in a list or a log. */
  prefix: z.string(),
  enabled: z.boolean(),
  /** The subscription's own end; the plan's end applies too. Null: none. */
  expiresAt: z.number().int().nullable(),
  createdAt: z.number().int(),
  createdBy: z.string(),
  /** Last request with the key (written every few seconds, so it may lag a little). */
  lastSeenAt: z.number().int().nullable(),
  revokedAt: z.number().int().nullable(),
  /** Streams playing when the list was made. */
  streamsNow: z.number().int(),
});
export type Subscriber = z.infer<typeof SubscriberSchema>;

export const SubscriberUsageDaySchema = z.object({
  /** UTC day, YYYY-MM-DD. */
  day: z.string(),
  /** HLS segments served with the key. */
  segments: z.number().int(),
  /** Minutes of programme served (HLS segment durations plus live.ts time), rounded down. */
  minutes: z.number().int(),
  /** Requests refused (outside the package, over the cap, expired, disabled). */
  refused: z.number().int(),
});
export type SubscriberUsageDay = z.infer<typeof SubscriberUsageDaySchema>;

export const SubscriberCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    planId: Id,
    expiresAt: z.number().int().positive().nullable().default(null),
  })
  .strict();
export type SubscriberCreate = z.input<typeof SubscriberCreateSchema>;

export const subscriberMethods = {
  subscriberPlansList: {
    request: z.object({}).strict(),
    response: z.object({ plans: z.array(SubscriberPlanSchema) }),
  },
  /** Creates a plan (no id) or replaces one; playing subscribers are held to it at once. */
  subscriberPlanSave: { request: SubscriberPlanSaveSchema, response: SubscriberPlanSchema },
  /** Refused while a subscriber is on the plan. */
  subscriberPlanDelete: {
    request: z.object({ id: Id }).strict(),
    response: z.object({ id: Id }),
  },
  subscribersList: {
    request: z.object({}).strict(),
    response: z.object({ subscribers: z.array(SubscriberSchema) }),
  },
  /**
   * The answer is the only time the key is seen (the core keeps its hash), with the personal
   * playlist and guide paths that carry it.
   */
  subscriberCreate: {
    request: SubscriberCreateSchema,
    response: z.object({
      subscriber: SubscriberSchema,
      secret: z.string(),
      playlistPath: z.string(),
      xmltvPath: z.string(),
    }),
  },
  /** Change the name, the plan, the end date, or pause (enabled: false) without revoking. */
  subscriberUpdate: {
    request: z
      .object({
        id: Id,
        name: z.string().trim().min(1).max(80).optional(),
        planId: Id.optional(),
        enabled: z.boolean().optional(),
        expiresAt: z.number().int().positive().nullable().optional(),
      })
      .strict(),
    response: SubscriberSchema,
  },
  /** For good: the key is refused from now on and its live.ts streams end. */
  subscriberRevoke: {
    request: z.object({ id: Id }).strict(),
    response: SubscriberSchema,
  },
  /** Streams now and usage per UTC day, newest first. */
  subscriberUsage: {
    request: z.object({ id: Id, days: z.number().int().min(1).max(366).default(30) }).strict(),
    response: z.object({ streamsNow: z.number().int(), days: z.array(SubscriberUsageDaySchema) }),
  },
} as const;

export const subscriberEvents = {
  subscribersChanged: z.object({
    subscribers: z.array(SubscriberSchema),
    plans: z.array(SubscriberPlanSchema),
  }),
} as const;
