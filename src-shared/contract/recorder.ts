import { z } from 'zod';
import { Id } from './library';

/**
 * The recorder and the review desk's server side: outside broadcasts recorded continuously as
 * the segments their HLS source served (no re-encode), indexed by wall-clock time, with
 * outages as explicit gap rows; screenshots and clips made on the server from a recording.
 *
 * Any time window of a recording is an HTTP playlist computed on request:
 * `/recordings/<sourceId>/vod.m3u8?from=&to=` and `/recordings/<sourceId>/live.m3u8?from=`
 * (instants in UTC ms or ISO 8601), segments at `/recordings/<sourceId>/seg/<id>`, and a
 * finished job's file at `/review/jobs/<id>/file`. Instants are UTC ms throughout.
 */

/**
 * The protocols a source may use. HLS over http(s) is recorded as the source serves it; the
 * others (and an http(s) URL of a plain MPEG-TS stream) are remuxed by ffmpeg with stream copy.
 * Nothing else: a source URL is fetched by the server, so `file:`, `concat:` and the like,
 * which would read the server's own disk, are refused.
 */
export const SOURCE_PROTOCOLS = [
  'http:',
  'https:',
  'rtmp:',
  'rtmps:',
  'srt:',
  'rtsp:',
  'rtsps:',
  'udp:',
];

/** An http(s) URL whose path names an MPEG-TS stream rather than a playlist. */
const TS_PATH = /\.(ts|mpegts|m2ts|mpg)$/i;

/** True when ffmpeg remuxes the source into segments (everything but HLS over http(s)). */
export function isRemuxedSource(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return true;
    return TS_PATH.test(url.pathname);
  } catch {
    return false;
  }
}

const SourceUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return SOURCE_PROTOCOLS.includes(url.protocol) && !url.username && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'an HLS playlist over http(s), or an rtmp(s), srt, rtsp(s), udp or http(s) MPEG-TS stream URL, without credentials');

const Instant = z.number().int().min(0);

export const RecorderState = z.enum([
  /** Disabled: nothing is fetched. */
  'stopped',
  /** Segments arrive. */
  'recording',
  /** The source fails or stalls; the recorder retries with backoff (an open gap is on record). */
  'retrying',
]);
export type RecorderState = z.infer<typeof RecorderState>;

export const RecordedSourceSchema = z.object({
  id: Id,
  name: z.string(),
  url: z.string(),
  enabled: z.boolean(),
  retentionDays: z.number().int(),
  /** Bytes this source's recording may take; null: only retention days and free space bound it. */
  diskCapBytes: z.number().int().nullable(),
  state: RecorderState,
  /** Why the last attempt failed (while retrying), else null. */
  lastError: z.string().nullable(),
  /** Air time covered: start of the oldest kept segment, end of the newest; null when empty. */
  firstAt: z.number().int().nullable(),
  lastAt: z.number().int().nullable(),
  segments: z.number().int(),
  bytes: z.number().int(),
  createdAt: z.number().int(),
});
export type RecordedSource = z.infer<typeof RecordedSourceSchema>;

const SourceFields = z
  .object({
    name: z.string().trim().min(1, 'a source needs a name').max(80),
    url: SourceUrl,
    enabled: z.boolean().default(true),
    retentionDays: z.number().int().min(1).max(3650).default(7),
    diskCapBytes: z.number().int().min(1).nullable().default(null),
  })
  .strict();

export const RecordedSourceAddSchema = SourceFields;
export const RecordedSourceUpdateSchema = z
  .object({
    id: Id,
    name: z.string().trim().min(1).max(80).optional(),
    url: SourceUrl.optional(),
    enabled: z.boolean().optional(),
    retentionDays: z.number().int().min(1).max(3650).optional(),
    diskCapBytes: z.number().int().min(1).nullable().optional(),
  })
  .strict();
export type RecordedSourceUpdate = z.infer<typeof RecordedSourceUpdateSchema>;

export const GapReason = z.enum([
  /** Playlist or segment fetches failed. */
  'fetch_error',
  /** The playlist stopped growing for longer than three target durations. */
  'stalled',
  /** The media sequence jumped while recording: segments left the playlist before we got them. */
  'sequence_jump',
  /** The source's media sequence started again (an encoder restart). */
  'source_reset',
  /** Airdeck itself was not running (a restart, a crash) or the source was disabled. */
  'restart',
]);
export type GapReason = z.infer<typeof GapReason>;

export const RecordingGapSchema = z.object({
  id: Id,
  sourceId: Id,
  fromAt: z.number().int(),
  /** Null while the outage lasts. */
  toAt: z.number().int().nullable(),
  reason: GapReason,
  detail: z.string(),
});
export type RecordingGap = z.infer<typeof RecordingGapSchema>;

export const RecordingSpanSchema = z.object({
  fromAt: z.number().int(),
  toAt: z.number().int(),
  segments: z.number().int(),
  bytes: z.number().int(),
});

export const ReviewJobKind = z.enum(['screenshot', 'clip']);
export const ReviewJobState = z.enum(['queued', 'running', 'done', 'failed']);

export const ReviewJobSchema = z.object({
  id: Id,
  kind: ReviewJobKind,
  sourceId: Id,
  /** Who asked (null when the core itself did). */
  personId: Id.nullable(),
  /** Screenshot: fromAt = toAt = the air time of the frame. Clip: in and out points. */
  fromAt: z.number().int(),
  toAt: z.number().int(),
  format: z.enum(['png', 'jpeg', 'mp4']),
  state: ReviewJobState,
  /** 0–1 while running. */
  progress: z.number(),
  bytes: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.number().int(),
  finishedAt: z.number().int().nullable(),
  /** Clips of several sources asked for at once share a batch (reviewBatchGet). */
  batchId: Id.nullable(),
});
export type ReviewJob = z.infer<typeof ReviewJobSchema>;

/** The longest clip the server cuts in one job (an hour of re-encoding is a job for ingest). */
export const MAX_CLIP_MS = 30 * 60_000;

const SourceList = z.object({ sources: z.array(RecordedSourceSchema) });

export const recorderMethods = {
  /** Every recorded source with its state and what is on disk. */
  recorderSourcesList: { request: z.object({}).strict(), response: SourceList },
  recorderSourceAdd: { request: RecordedSourceAddSchema, response: RecordedSourceSchema },
  recorderSourceUpdate: { request: RecordedSourceUpdateSchema, response: RecordedSourceSchema },
  /** Removes the source and its whole recording (segments, gaps, holds, jobs' files stay). */
  recorderSourceRemove: {
    request: z.object({ id: Id }).strict(),
    response: z.object({ id: Id }),
  },
  /** What is recorded in a window: contiguous spans and the gaps between them. */
  recordingCoverage: {
    request: z
      .object({ sourceId: Id, fromAt: Instant, toAt: Instant })
      .strict()
      .refine((r) => r.toAt > r.fromAt, { message: 'toAt must follow fromAt', path: ['toAt'] }),
    response: z.object({
      spans: z.array(RecordingSpanSchema),
      gaps: z.array(RecordingGapSchema),
    }),
  },
  /** Queues the frame on air at `at`, full resolution, from the recording. */
  reviewScreenshot: {
    request: z
      .object({ sourceId: Id, at: Instant, format: z.enum(['png', 'jpeg']).default('png') })
      .strict(),
    response: ReviewJobSchema,
  },
  /** Queues a frame-exact clip of [inAt, outAt) re-encoded to MP4 (H.264 + AAC). */
  reviewClip: {
    request: z
      .object({ sourceId: Id, inAt: Instant, outAt: Instant })
      .strict()
      .refine((r) => r.outAt > r.inAt && r.outAt - r.inAt <= MAX_CLIP_MS, {
        message: `outAt must follow inAt, at most ${MAX_CLIP_MS / 60_000} minutes later`,
        path: ['outAt'],
      }),
    response: ReviewJobSchema,
  },
  reviewJobsList: {
    request: z
      .object({ sourceId: Id.optional(), limit: z.number().int().min(1).max(500).default(100) })
      .strict(),
    response: z.object({ jobs: z.array(ReviewJobSchema) }),
  },
} as const;

export const recorderEvents = {
  /** A source was added, changed, removed, or its state changed (not on every segment). */
  recorderSourcesChanged: SourceList,
  /** A screenshot or clip job was queued, progressed, finished or failed. */
  reviewJobChanged: ReviewJobSchema,
} as const;
