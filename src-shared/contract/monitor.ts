import { z } from 'zod';
import { Id } from './library';
import type { PlayoutStatus } from './playout';

/**
 * Monitoring: alarms raised by the core on every channel's proxy and on outside live streams
 * (black, freeze, silence, stalled, offline), media not ready before air, playout's own
 * alarms folded in; the outside streams themselves; and the station dashboard.
 *
 * Every change reaches every window as an event (`alarmChanged`, `alarmsSettingsChanged`,
 * `monitorSourcesChanged`, `dashboardTick`); windows never poll. Instants are UTC ms.
 */

/**
 * What an alarm is about: a channel, an outside stream, an asset (its S3 object could not be
 * fetched before air) or the station itself (low disk; `sourceId` 1 is the data folder's disk as
 * the media cache sees it, 2 the recordings' disk as the recorder sees it).
 */
export const AlarmSourceKind = z.enum(['channel', 'outside', 'asset', 'station']);
export type AlarmSourceKind = z.infer<typeof AlarmSourceKind>;

export const AlarmKind = z.enum([
  'black',
  'freeze',
  'silence',
  /** The source opened but no media has arrived for `stalledAfterMs`. */
  'stalled',
  /** The source cannot be opened (or keeps failing); raised on the first failed open by default. */
  'offline',
  /** A scheduled item starting within the horizon whose asset is not ready for air. */
  'media-not-ready',
  /** Playout's own alarms (missing/corrupt segment, cut unavailable…), one per channel. */
  'playout',
  /** The disk holding the data folder is nearly full: the media cache pauses prefetch. */
  'low-disk',
]);
export type AlarmKind = z.infer<typeof AlarmKind>;
export const ALARM_KINDS = AlarmKind.options;

export const AlarmSeverity = z.enum(['info', 'warning', 'critical']);
export type AlarmSeverity = z.infer<typeof AlarmSeverity>;

export const AlarmSchema = z.object({
  id: Id,
  sourceKind: AlarmSourceKind,
  /** A channel id or an outside source id (see sourceKind). */
  sourceId: Id,
  /** Channel or source name when the alarm was raised (the log outlives a removed source). */
  sourceName: z.string(),
  kind: AlarmKind,
  severity: AlarmSeverity,
  /** media-not-ready: the schedule item concerned; null for the other kinds. */
  itemId: Id.nullable(),
  raisedAt: z.number().int(),
  /** Null while active. */
  clearedAt: z.number().int().nullable(),
  acknowledgedAt: z.number().int().nullable(),
  acknowledgedBy: z.string().nullable(),
  message: z.string(),
});
export type Alarm = z.infer<typeof AlarmSchema>;

/** An alarm is "flashing" (and sounds when sound is on) while active and not acknowledged. */
export function alarmNeedsAttention(alarm: Alarm): boolean {
  return alarm.clearedAt === null && alarm.acknowledgedAt === null;
}

const DelayMs = z.number().int().min(0).max(3_600_000);

export const AlarmKindSettingsSchema = z
  .object({
    enabled: z.boolean(),
    severity: AlarmSeverity,
    /** The condition must hold this long (after ffmpeg reports it) before the alarm is raised. */
    setDelayMs: DelayMs,
    /** The condition must be gone this long before the alarm is cleared. */
    clearDelayMs: DelayMs,
  })
  .strict();
export type AlarmKindSettings = z.infer<typeof AlarmKindSettingsSchema>;

export const AlarmThresholdsSchema = z
  .object({
    /** blackdetect `pic_th`: share of black pixels for a black picture (0..1). */
    blackPictureRatio: z.number().min(0.5).max(1),
    /** blackdetect `pix_th`: luma level below which a pixel is black (0..1). */
    blackPixelLevel: z.number().min(0).max(0.5),
    /** freezedetect `n`: noise tolerance in dB (e.g. -60). */
    freezeNoiseDb: z.number().min(-100).max(0),
    /** silencedetect `n`: level below which audio is silent, dB (e.g. -60). */
    silenceNoiseDb: z.number().min(-120).max(0),
    /**
     * Shortest black/freeze/silence ffmpeg reports (its own `d`), ms. The set delay comes on
     * top of this: the alarm is raised `detectMinMs + setDelayMs` after the condition began.
     */
    detectMinMs: z.number().int().min(100).max(60_000),
    /** No new media from a source for this long → stalled. */
    stalledAfterMs: z.number().int().min(1000).max(600_000),
    /** How far ahead of air the schedule is checked for media that is not ready. */
    mediaNotReadyHorizonMs: z
      .number()
      .int()
      .min(60_000)
      .max(7 * 86_400_000),
  })
  .strict();
export type AlarmThresholds = z.infer<typeof AlarmThresholdsSchema>;

export const AlarmsSettingsSchema = z
  .object({
    kinds: z
      .object({
        black: AlarmKindSettingsSchema,
        freeze: AlarmKindSettingsSchema,
        silence: AlarmKindSettingsSchema,
        stalled: AlarmKindSettingsSchema,
        offline: AlarmKindSettingsSchema,
        'media-not-ready': AlarmKindSettingsSchema,
        playout: AlarmKindSettingsSchema,
        'low-disk': AlarmKindSettingsSchema,
      })
      .strict(),
    thresholds: AlarmThresholdsSchema,
    /**
     * At most this many on-air channels get a detector (an ffmpeg each), lowest channel id
     * first; 0 monitors no channel. Outside streams are always monitored.
     */
    monitoredChannelsCap: z.number().int().min(0).max(256),
    /** Windows play a sound while an alarm needs attention. */
    sound: z.boolean(),
  })
  .strict();
export type AlarmsSettings = z.infer<typeof AlarmsSettingsSchema>;

const SourceName = z.string().trim().min(1).max(120);

/** Outside streams are HLS over http(s). Shared so the UI refuses with the core's words. */
export function checkOutsideUrl(url: string): { ok: true } | { error: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: 'not a URL (expected http(s)://host/…/playlist.m3u8)' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { error: 'only http:// and https:// HLS streams can be monitored' };
  if (!parsed.hostname) return { error: 'the URL needs a host' };
  return { ok: true };
}

export const OutsideUrl = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .superRefine((url, ctx) => {
    const checked = checkOutsideUrl(url);
    if ('error' in checked) ctx.addIssue({ code: 'custom', message: checked.error });
  });

/** What ffprobe found in a stream. */
export const StreamProbeSchema = z.object({
  format: z.string(),
  video: z
    .object({
      codec: z.string(),
      width: z.number().int(),
      height: z.number().int(),
      fps: z.number().nullable(),
    })
    .nullable(),
  audio: z
    .object({ codec: z.string(), channels: z.number().int(), sampleRate: z.number().int() })
    .nullable(),
});
export type StreamProbe = z.infer<typeof StreamProbeSchema>;

export const ProbeOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), probe: StreamProbeSchema }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type ProbeOutcome = z.infer<typeof ProbeOutcomeSchema>;

/**
 * A detector's state. starting: ffmpeg launched, no media yet; running: media flows;
 * stalled: opened but no media for stalledAfterMs; offline: cannot open, restarting with
 * backoff; stopped: not monitored (disabled, off air, over the cap, no ffmpeg, no HTTP server).
 */
export const DetectorState = z.enum(['starting', 'running', 'stalled', 'offline', 'stopped']);
export type DetectorState = z.infer<typeof DetectorState>;

export const MonitorSourceSchema = z.object({
  id: Id,
  name: z.string(),
  url: z.string(),
  enabled: z.boolean(),
  /** Result of the last probe (on add, on URL change, on monitorSourceProbe with id). */
  probe: StreamProbeSchema.nullable(),
  probeError: z.string().nullable(),
  probedAt: z.number().int().nullable(),
  state: DetectorState,
  /** When `state` was entered. */
  since: z.number().int(),
  createdAt: z.number().int(),
});
export type MonitorSource = z.infer<typeof MonitorSourceSchema>;

const SourceList = z.object({ sources: z.array(MonitorSourceSchema) });

/** One detector (channel proxy or outside stream) as the dashboard shows it. */
export const DetectorStatusSchema = z.object({
  sourceKind: AlarmSourceKind,
  sourceId: Id,
  name: z.string(),
  state: DetectorState,
  since: z.number().int(),
  restarts: z.number().int().min(0),
  lastError: z.string().nullable(),
});
export type DetectorStatus = z.infer<typeof DetectorStatusSchema>;

/** A channel row of the dashboard; patched from `playoutChanged` with dashboardChannelRow(). */
export const DashboardChannelSchema = z.object({
  channelId: Id,
  slug: z.string(),
  name: z.string(),
  onAir: z.boolean(),
  held: z.boolean(),
  now: z
    .object({ title: z.string(), startsAt: z.number().int(), endsAt: z.number().int() })
    .nullable(),
  next: z.object({ title: z.string(), startsAt: z.number().int() }).nullable(),
});
export type DashboardChannel = z.infer<typeof DashboardChannelSchema>;

export function dashboardChannelRow(status: PlayoutStatus): DashboardChannel {
  return {
    channelId: status.channelId,
    slug: status.slug,
    name: status.name,
    onAir: status.onAir,
    held: status.held,
    now: status.now
      ? { title: status.now.title, startsAt: status.now.startsAt, endsAt: status.now.endsAt }
      : null,
    next: status.next ? { title: status.next.title, startsAt: status.next.startsAt } : null,
  };
}

/** The live figures, sent every ~2 s as `dashboardTick` (small even with 500 channels). */
export const DashboardFiguresSchema = z.object({
  at: z.number().int(),
  /** Distinct HLS clients (address + user agent) per channel in the last 30 s; zeros left out. */
  viewers: z.array(z.object({ channelId: Id, viewers: z.number().int().min(0) })),
  viewersTotal: z.number().int().min(0),
  ingest: z.object({
    queued: z.number().int().min(0),
    running: z.number().int().min(0),
    failed: z.number().int().min(0),
  }),
  /** The data folder's file system. */
  disk: z.object({
    path: z.string(),
    freeBytes: z.number().min(0),
    totalBytes: z.number().min(0),
  }),
  /** The S3 media cache when the station has one; null otherwise. */
  cache: z.object({ usedBytes: z.number().min(0), limitBytes: z.number().nullable() }).nullable(),
  ffmpeg: z.object({
    children: z.number().int().min(0),
    /** Children by what started them (ingest, push, monitor, cut…). */
    byLabel: z.array(z.object({ label: z.string(), count: z.number().int().min(1) })),
  }),
  process: z.object({
    /** The core's CPU use since the previous tick, % of one core. */
    cpuPercent: z.number().min(0),
    rssBytes: z.number().min(0),
    heapUsedBytes: z.number().min(0),
    load: z.array(z.number()),
    cores: z.number().int().min(1),
  }),
  alarms: z.object({
    active: z.number().int().min(0),
    unacknowledged: z.number().int().min(0),
  }),
  detectors: z.array(DetectorStatusSchema),
});
export type DashboardFigures = z.infer<typeof DashboardFiguresSchema>;

export const DashboardSchema = z.object({
  figures: DashboardFiguresSchema,
  channels: z.array(DashboardChannelSchema),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

export const AlarmsPageSchema = z.object({
  /** Every active alarm (not paged), newest first. */
  active: z.array(AlarmSchema),
  /** The log (active and cleared) matching the filter, newest first. */
  log: z.array(AlarmSchema),
  /** Pass as `beforeId` for the next page; null at the end. */
  nextBeforeId: Id.nullable(),
});
export type AlarmsPage = z.infer<typeof AlarmsPageSchema>;

export const monitorMethods = {
  monitorSourcesList: { request: z.object({}).strict(), response: SourceList },
  /**
   * Adds an outside HLS stream and probes it with ffprobe. The source is kept even when the
   * probe fails (an unreachable stream is then reported `offline` by its detector); the
   * outcome says what was found or why not.
   */
  monitorSourceAdd: {
    request: z.object({ name: SourceName, url: OutsideUrl }).strict(),
    response: z.object({ source: MonitorSourceSchema, probe: ProbeOutcomeSchema }),
  },
  /** Renames, changes the URL (probed again, detector restarted) or pauses a source. */
  monitorSourceUpdate: {
    request: z
      .object({
        id: Id,
        name: SourceName.optional(),
        url: OutsideUrl.optional(),
        enabled: z.boolean().optional(),
      })
      .strict(),
    response: z.object({ source: MonitorSourceSchema, probe: ProbeOutcomeSchema.nullable() }),
  },
  /** Stops its detector and clears its active alarms (the log keeps them). */
  monitorSourceRemove: { request: z.object({ id: Id }).strict(), response: SourceList },
  /** Probes a URL without adding it (the "test" button), or a source again by id. */
  monitorSourceProbe: {
    request: z.union([z.object({ url: OutsideUrl }).strict(), z.object({ id: Id }).strict()]),
    response: ProbeOutcomeSchema,
  },
  alarmsList: {
    request: z
      .object({
        beforeId: Id.optional(),
        limit: z.number().int().min(1).max(500).default(100),
        kind: AlarmKind.optional(),
        sourceKind: AlarmSourceKind.optional(),
        sourceId: Id.optional(),
        /** Only alarms raised at or after this instant. */
        since: z.number().int().min(0).optional(),
      })
      .strict(),
    response: AlarmsPageSchema,
  },
  /** Stops the flashing and the sound in every window; the alarm stays until it clears. */
  alarmAcknowledge: {
    request: z.object({ id: Id, by: z.string().trim().min(1).max(100).optional() }).strict(),
    response: AlarmSchema,
  },
  /** Acknowledges every alarm that needs attention; returns how many. */
  alarmsAcknowledgeAll: {
    request: z.object({ by: z.string().trim().min(1).max(100).optional() }).strict(),
    response: z.object({ count: z.number().int().min(0) }),
  },
  alarmsSettingsGet: { request: z.object({}).strict(), response: AlarmsSettingsSchema },
  /** The whole settings object (get, change, set). Detectors restart with the new filters. */
  alarmsSettingsSet: { request: AlarmsSettingsSchema, response: AlarmsSettingsSchema },
  dashboardGet: { request: z.object({}).strict(), response: DashboardSchema },
} as const;

export const AlarmChangeSchema = z.enum(['raised', 'cleared', 'acknowledged']);
export type AlarmChange = z.infer<typeof AlarmChangeSchema>;

export const monitorEvents = {
  /** An alarm was raised, cleared or acknowledged; carries the whole alarm. */
  alarmChanged: z.object({ change: AlarmChangeSchema, alarm: AlarmSchema }),
  alarmsSettingsChanged: AlarmsSettingsSchema,
  /** Any outside source added, changed, removed, probed, or its detector changed state. */
  monitorSourcesChanged: SourceList,
  /** Every ~2 s. Channel rows change through `playoutChanged` (see dashboardChannelRow). */
  dashboardTick: DashboardFiguresSchema,
} as const;
