// Push outputs: a channel's live TS sent on to a UDP, SRT or RTMP target by an ffmpeg child
// that only copies (the stream is already paced and continuous, so no -re and no encode).
// Each child is supervised: any exit it did not ask for restarts it with backoff, so a target
// that goes away is retried without becoming a fork loop, and stop leaves no ffmpeg behind.
import { checkPushUrl, type PushFormat, type PushState } from '../../../src-shared/contract';
import { superviseFfmpeg, type BackoffOptions, type FfmpegRegistry } from '../ffmpeg';
import type { FfmpegProcess, SupervisedFfmpeg, SupervisorState } from '../ffmpeg';

export type { PushFormat } from '../../../src-shared/contract';

/** The muxer a target needs, or an explanation of why the URL is refused. */
export function pushFormat(url: string): { format: PushFormat } | { error: string } {
  return checkPushUrl(url);
}

/** MPEG-TS over UDP: 7 TS packets a datagram, which every receiver and switch expects. */
const UDP_PKT_SIZE = '1316';
/** A live.ts read that stalls this long (µs) ends the child, and the supervisor restarts it. */
const INPUT_TIMEOUT_US = '15000000';

function withUdpPacketSize(target: string): string {
  if (/[?&]pkt_size=/.test(target)) return target;
  return `${target}${target.includes('?') ? '&' : '?'}pkt_size=${UDP_PKT_SIZE}`;
}

/** ffmpeg job arguments: read our own live.ts, copy both streams into the target's format. */
export function buildPushArgs(input: string, target: string): string[] {
  const checked = pushFormat(target);
  if ('error' in checked) throw new RangeError(`push target ${target}: ${checked.error}`);
  const args = [
    '-loglevel',
    'warning',
    '-rw_timeout',
    INPUT_TIMEOUT_US,
    '-i',
    input,
    '-map',
    '0:v:0',
    // Optional, so a channel that airs without sound still pushes its picture.
    '-map',
    '0:a:0?',
    '-c',
    'copy',
  ];
  if (checked.format === 'flv') {
    // FLV carries AAC without ADTS headers.
    args.push('-bsf:a', 'aac_adtstoasc', '-f', 'flv', target);
  } else {
    const out = target.startsWith('udp:') ? withUdpPacketSize(target) : target;
    // Tables again every so often, so a receiver tuning in late finds the programme.
    args.push('-mpegts_flags', '+resend_headers', '-f', 'mpegts', out);
  }
  return args;
}

/** One push that should run now: `input` is the channel's live.ts on our own HTTP server. */
export type PushConfig = { channelId: number; slug: string; url: string; input: string };

export type PushStatus = {
  channelId: number;
  state: PushState;
  /** Restarts since the push last started. */
  restarts: number;
  /** The last stderr line, or why ffmpeg exited. */
  lastError: string | null;
  /** When `state` was entered (epoch ms). */
  since: number;
};

export type PushOutputsOptions = {
  /** Null when the station has no ffmpeg: every wanted push is `failed`. */
  binary: string | null;
  registry: FfmpegRegistry;
  now?(): number;
  /** Any status changed (callers throttle what they forward). */
  onStatus?(status: PushStatus): void;
  backoff?: Partial<BackoffOptions>;
  stableAfterMs?: number;
};

type Running = {
  config: PushConfig;
  supervisor: SupervisedFfmpeg | null;
  /** The child started last; progress from an older one must not mark the push running. */
  current: FfmpegProcess | null;
  lastStderr: string | null;
};

const sameConfig = (a: PushConfig, b: PushConfig) =>
  a.url === b.url && a.slug === b.slug && a.input === b.input;

function exitReason(state: Extract<SupervisorState, { status: 'backoff' }>): string {
  const { exit } = state;
  if (!exit) return state.reason.split('\n')[0] ?? state.reason;
  if (exit.signal) return `ffmpeg was killed by ${exit.signal}`;
  // Code 0 means the input ended: the channel went off air or live.ts dropped us.
  if (exit.code === 0) return 'ffmpeg ended (its input ended)';
  return `ffmpeg exited with code ${exit.code}`;
}

/** Keeps one supervised ffmpeg per wanted push; `apply` reconciles with what is wanted. */
export function createPushOutputs(options: PushOutputsOptions) {
  const now = options.now ?? Date.now;
  const running = new Map<number, Running>();
  const statuses = new Map<number, PushStatus>();

  const update = (channelId: number, patch: Partial<Omit<PushStatus, 'channelId'>>) => {
    const previous = statuses.get(channelId);
    const state = patch.state ?? previous?.state ?? 'stopped';
    const next: PushStatus = {
      channelId,
      state,
      restarts: patch.restarts ?? previous?.restarts ?? 0,
      lastError: patch.lastError !== undefined ? patch.lastError : (previous?.lastError ?? null),
      since: previous && previous.state === state ? previous.since : now(),
    };
    statuses.set(channelId, next);
    try {
      options.onStatus?.(next);
    } catch {
      // A faulty observer must not stop a push from being supervised.
    }
  };

  const onState = (entry: Running, state: SupervisorState) => {
    const { channelId } = entry.config;
    // A push we stop ourselves reports `stopped` in stopOne, once its child is gone.
    if (running.get(channelId) !== entry) return;
    if (state.status === 'running') {
      update(channelId, { state: 'starting', restarts: state.attempt - 1 });
    } else if (state.status === 'backoff') {
      const reason = exitReason(state);
      update(channelId, {
        state: 'restarting',
        restarts: state.attempt,
        lastError: entry.lastStderr ? `${reason}: ${entry.lastStderr}` : reason,
      });
      entry.lastStderr = null;
    } else {
      // Stopped from outside (the registry at shutdown): forget it, the next apply decides.
      running.delete(channelId);
      update(channelId, { state: 'stopped' });
    }
  };

  const start = (config: PushConfig) => {
    const entry: Running = { config, supervisor: null, current: null, lastStderr: null };
    running.set(config.channelId, entry);
    if (!options.binary) {
      update(config.channelId, {
        state: 'failed',
        restarts: 0,
        lastError: 'ffmpeg is not available on this station',
      });
      return;
    }
    update(config.channelId, { state: 'starting', restarts: 0, lastError: null });
    entry.supervisor = superviseFfmpeg(() => buildPushArgs(config.input, config.url), {
      binary: options.binary,
      registry: options.registry,
      label: `push ${config.slug}`,
      backoff: options.backoff,
      stableAfterMs: options.stableAfterMs,
      onStart: (proc) => {
        entry.current = proc;
        proc.on('stderr', (line) => {
          const text = line.trim();
          if (!text || running.get(config.channelId) !== entry) return;
          entry.lastStderr = text;
          update(config.channelId, { lastError: text });
        });
        // ffmpeg reports progress once input and target are open and packets are copied.
        proc.once('progress', () => {
          if (entry.current === proc && running.get(config.channelId) === entry)
            update(config.channelId, { state: 'running' });
        });
      },
      onState: (state) => onState(entry, state),
    });
  };

  const stopOne = async (channelId: number) => {
    const entry = running.get(channelId);
    if (!entry) return;
    running.delete(channelId);
    await entry.supervisor?.stop();
    update(channelId, { state: 'stopped' });
  };

  return {
    /** Starts, restarts (changed URL, key or slug) or stops children so they match `wanted`. */
    async apply(wanted: readonly PushConfig[]): Promise<void> {
      const byChannel = new Map(wanted.map((c) => [c.channelId, c]));
      const stale = [...running].filter(([channelId, entry]) => {
        const next = byChannel.get(channelId);
        return !next || !sameConfig(entry.config, next);
      });
      await Promise.all(stale.map(([channelId]) => stopOne(channelId)));
      for (const [channelId, config] of byChannel) if (!running.has(channelId)) start(config);
    },
    status(channelId: number): PushStatus | null {
      return statuses.get(channelId) ?? null;
    },
    statuses: () => [...statuses.values()],
    /** Drops what is remembered about a push that no longer exists. */
    forget(channelId: number): void {
      if (!running.has(channelId)) statuses.delete(channelId);
    },
    /** The child's pid, for tests and diagnostics. */
    pid: (channelId: number) => running.get(channelId)?.supervisor?.process?.pid,
    async close(): Promise<void> {
      await Promise.all([...running.keys()].map(stopOne));
    },
  };
}
export type PushOutputs = ReturnType<typeof createPushOutputs>;
