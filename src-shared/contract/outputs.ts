import { z } from 'zod';
import { Id } from './library';

/**
 * Push outputs: a channel's live TS sent on to one UDP, SRT or RTMP target by a supervised
 * ffmpeg child. A push runs only while its channel is on air, it is enabled and the station's
 * HTTP server is up (ffmpeg reads the channel's own live.ts).
 */

export type PushFormat = 'mpegts' | 'flv';

/**
 * The muxer a push target needs, or why the URL is refused. Shared so the contract refuses a
 * bad target with the same words the core uses.
 */
export function checkPushUrl(url: string): { format: PushFormat } | { error: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: 'not a URL (expected udp://host:port, srt://host:port or rtmp(s)://host/…)' };
  }
  switch (parsed.protocol) {
    case 'udp:':
    case 'srt:': {
      const scheme = parsed.protocol.slice(0, -1);
      if (!parsed.hostname) return { error: `${scheme}:// needs a host (${scheme}://host:port)` };
      if (!parsed.port || parsed.port === '0')
        return { error: `${scheme}:// needs a port (${scheme}://host:port)` };
      return { format: 'mpegts' };
    }
    case 'rtmp:':
    case 'rtmps:':
      if (!parsed.hostname) return { error: 'rtmp:// needs a host (rtmp://host/app/key)' };
      return { format: 'flv' };
    default:
      return {
        error: 'only udp://host:port, srt://host:port and rtmp(s)://… targets are supported',
      };
  }
}

export const PushTargetUrl = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .superRefine((url, ctx) => {
    const checked = checkPushUrl(url);
    if ('error' in checked) ctx.addIssue({ code: 'custom', message: checked.error });
  });

export const PushStateSchema = z.enum(['stopped', 'starting', 'running', 'restarting', 'failed']);
export type PushState = z.infer<typeof PushStateSchema>;

export const PushOutputSchema = z.object({
  channelId: Id,
  url: z.string(),
  enabled: z.boolean(),
  /**
   * stopped: not wanted now (disabled, off air, no HTTP server); starting: ffmpeg started, no
   * packet sent yet; running: packets flow; restarting: waiting (backoff) after an exit;
   * failed: cannot run at all (no ffmpeg).
   */
  state: PushStateSchema,
  /** Restarts since the push last started. */
  restarts: z.number().int().min(0),
  /** The last line ffmpeg wrote on stderr, or why it exited; null when nothing went wrong. */
  lastError: z.string().nullable(),
  /** When `state` was entered (UTC ms). */
  since: z.number().int(),
});
export type PushOutput = z.infer<typeof PushOutputSchema>;

const PushOutputList = z.object({ outputs: z.array(PushOutputSchema) });

export const pushOutputMethods = {
  /** Every configured push target with its live state, in channel order. */
  pushOutputsList: { request: z.object({}).strict(), response: PushOutputList },
  /**
   * Sets (or with `url: null` removes) the channel's push target. A change of URL restarts a
   * running push; `enabled: false` stops it and keeps the URL.
   */
  pushOutputSet: {
    request: z
      .object({ channelId: Id, url: PushTargetUrl.nullable(), enabled: z.boolean() })
      .strict(),
    response: PushOutputList,
  },
} as const;

export const pushOutputEvents = {
  /** Any push's state or configuration changed (at most a few per second). */
  pushOutputsChanged: PushOutputList,
} as const;
