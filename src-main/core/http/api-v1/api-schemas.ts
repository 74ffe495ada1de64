// The shapes /api/v1 answers, built from the contract's zod schemas (never restated), with
// ids so the OpenAPI document names them as components.
import { z } from 'zod';
import {
  AsRunRowSchema,
  AudienceSeriesSchema,
  BatchOpSchema,
  PlayoutNowSchema,
  PlayoutProgrammeSchema,
  ProgrammeAudienceSchema,
  RecordedSourceSchema,
  ScheduleChangeSchema,
  ScheduleItemSchema,
} from '../../../../src-shared/contract';
import { pageOf } from './pagination';

export const API_VERSION = '1.2.0';

const Instant = z.coerce
  .number()
  .int()
  .min(0)
  .max(8_640_000_000_000)
  .describe('An instant in UTC milliseconds since 1970.');

export const ChannelParams = z.object({
  channelId: z.coerce.number().int().positive().describe('The channel id.'),
});

export const WindowQuery = z.object({
  from: Instant.optional().describe('Window start, UTC ms (default: now, or a day ago for logs).'),
  to: Instant.optional().describe('Window end, UTC ms (default: a day after `from`).'),
});

export const ApiChannelSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    number: z.number().int(),
    slug: z.string(),
    group: z.string().nullable(),
    enabled: z.boolean(),
    scheduleVersion: z.number().int(),
  })
  .meta({ id: 'Channel' });

export const ApiScheduleItemSchema = ScheduleItemSchema.meta({ id: 'ScheduleItem' });
export const ApiProgrammeSchema = PlayoutProgrammeSchema.meta({ id: 'Programme' });
export const ApiAsRunRowSchema = AsRunRowSchema.meta({ id: 'AsRunRow' });

export const ApiProgrammeAudienceSchema = ProgrammeAudienceSchema.meta({
  id: 'ProgrammeAudience',
  description:
    'A programme of the as-run log with its audience. A viewer is one player on the channel ' +
    '(its session, else its address and client); watch time is the media time of the segments ' +
    'it fetched; it leaves 30 s after its last request.',
});
export const ProgrammeAudiencePage = pageOf(ApiProgrammeAudienceSchema, 'ProgrammeAudiencePage');
export const ApiAudienceSeriesSchema = AudienceSeriesSchema.extend({
  stepMinutes: z.number().int(),
}).meta({
  id: 'AudienceSeries',
  description:
    "A channel's viewers in steps from the window's start: per step the most distinct viewers " +
    'in one of its minutes, the average audience (watch time over the step) and the watch time.',
});
export const AudienceQuery = z.object({
  from: Instant.optional().describe('Window start, UTC ms (default: a day ago).'),
  to: Instant.optional().describe('Window end, UTC ms (default: a day after `from`).'),
  stepMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(1440)
    .default(60)
    .describe('Step length in minutes (at most 10,080 steps in the window).'),
});

export const ChannelPage = pageOf(ApiChannelSchema, 'ChannelPage');
export const SchedulePage = pageOf(ApiScheduleItemSchema, 'SchedulePage');
export const ProgrammePage = pageOf(ApiProgrammeSchema, 'ProgrammePage');
export const AsRunPage = pageOf(ApiAsRunRowSchema, 'AsRunPage');

export const BatchRequestSchema = z
  .object({
    ops: z
      .array(BatchOpSchema)
      .min(1)
      .max(5000)
      .describe('Applied together in one transaction: all of them, or none when one fails.'),
  })
  .strict()
  .meta({ id: 'ScheduleBatch' });
export const ScheduleChangeResponse = ScheduleChangeSchema.meta({ id: 'ScheduleChange' });

export const NowNextSchema = z
  .object({
    channelId: z.number().int(),
    onAir: z.boolean(),
    held: z.boolean(),
    now: PlayoutNowSchema.nullable(),
    next: PlayoutProgrammeSchema.nullable(),
    at: z.number().int().describe('When this was computed, UTC ms.'),
  })
  .meta({ id: 'NowNext' });

export const AdBreakSchema = z
  .object({
    spliceEventId: z
      .number()
      .int()
      .describe('The splice_event_id of the break: the schedule item id, stable for its life.'),
    channelId: z.number().int(),
    startsAt: z.number().int(),
    durationMs: z.number().int(),
    withinItemId: z
      .number()
      .int()
      .nullable()
      .describe('The programme the break interrupts, or null for a break between programmes.'),
    title: z.string().nullable(),
    version: z.number().int().describe('Give it back to change or remove the break.'),
  })
  .meta({ id: 'AdBreak' });
export const AdBreakPage = pageOf(AdBreakSchema, 'AdBreakPage');

export const AdBreakCreateSchema = z
  .object({
    startsAt: z.number().int().min(0).describe('When the break starts, UTC ms.'),
    durationMs: z.number().int().min(1000).max(3_600_000),
    title: z.string().trim().max(200).nullable().default(null),
    ripple: z
      .boolean()
      .default(false)
      .describe('Push the back-to-back run after it later instead of refusing an overlap.'),
  })
  .strict()
  .meta({ id: 'AdBreakCreate' });

export const AdBreakNowSchema = z
  .object({
    durationMs: z.number().int().min(1000).max(3_600_000),
    title: z.string().trim().max(200).nullable().default(null),
  })
  .strict()
  .meta({ id: 'AdBreakNow' });

export const RecordingSchema = RecordedSourceSchema.pick({
  id: true,
  name: true,
  enabled: true,
  state: true,
  retentionDays: true,
  firstAt: true,
  lastAt: true,
  segments: true,
  bytes: true,
}).meta({ id: 'Recording' });
export const RecordingPage = pageOf(RecordingSchema, 'RecordingPage');

export const ApiHealthSchema = z
  .object({
    ok: z.boolean(),
    version: z.string(),
    apiVersion: z.string(),
    station: z.enum(['live', 'sandbox']).describe('`sandbox` for test keys.'),
    uptimeMs: z.number().int(),
    now: z.number().int(),
  })
  .meta({ id: 'Health' });

export const EventsQuery = z.object({
  lastEventId: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Resume after this event id (the Last-Event-ID header wins when both are sent).'),
});
