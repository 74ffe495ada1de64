// Keeps a long-running ffmpeg (a push output) alive: any exit it did not ask for is
// followed by a restart, delayed more after each quick failure so a broken target does
// not become a fork loop, and forgiven once a run has been stable.
import { FfmpegCancelledError, FfmpegError, runFfmpeg } from './ffmpeg-process';
import type { FfmpegExit, FfmpegProcess } from './ffmpeg-process';
import type { FfmpegRegistry } from './ffmpeg-registry';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000, factor: 2 };
export const DEFAULT_STABLE_AFTER_MS = 30_000;

export type SupervisorState =
  | { status: 'running'; attempt: number; pid: number | undefined }
  | {
      status: 'backoff';
      attempt: number;
      delayMs: number;
      /** Null when the child never started (the args factory threw). */
      exit: FfmpegExit | null;
      reason: string;
    }
  | { status: 'stopped' };

export interface SuperviseFfmpegOptions {
  binary: string;
  registry: FfmpegRegistry;
  label: string;
  backoff?: Partial<BackoffOptions>;
  /** A run at least this long resets the backoff (default 30 s). */
  stableAfterMs?: number;
  onState?: (state: SupervisorState) => void;
  /** Each new child, e.g. to follow its progress. */
  onStart?: (proc: FfmpegProcess) => void;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  killGraceMs?: number;
}

export interface SupervisedFfmpeg {
  readonly state: SupervisorState;
  readonly process: FfmpegProcess | null;
  /** Ends the child and prevents restarts; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Delay before the restart that follows `failures` consecutive quick failures (0-based). */
export function backoffDelay(failures: number, backoff: BackoffOptions): number {
  const delay = backoff.initialMs * Math.pow(backoff.factor, Math.max(0, failures));
  return Math.min(backoff.maxMs, Number.isFinite(delay) ? delay : backoff.maxMs);
}

function describeExit(error: unknown): { exit: FfmpegExit | null; reason: string } {
  if (error === null)
    return { exit: { code: 0, signal: null, cancelled: false }, reason: 'exited' };
  if (error instanceof FfmpegError) {
    return {
      exit: { code: error.exitCode, signal: error.signal, cancelled: false },
      reason: error.message,
    };
  }
  return { exit: null, reason: error instanceof Error ? error.message : String(error) };
}

/**
 * Runs `argsFactory(attempt)` (job arguments, as for runFfmpeg) and restarts it whenever it
 * exits, until stop() or the registry's killAll. Cancelling the child directly also counts
 * as a deliberate stop.
 */
export function superviseFfmpeg(
  argsFactory: (attempt: number) => readonly string[],
  options: SuperviseFfmpegOptions,
): SupervisedFfmpeg {
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const stableAfterMs = options.stableAfterMs ?? DEFAULT_STABLE_AFTER_MS;
  let state: SupervisorState = { status: 'stopped' };
  let current: FfmpegProcess | null = null;
  let attempt = 0;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopping: Promise<void> | null = null;

  const setState = (next: SupervisorState) => {
    state = next;
    try {
      options.onState?.(next);
    } catch {
      // A faulty observer must not end supervision of a live output.
    }
  };

  const scheduleRestart = (error: unknown, ranMs: number) => {
    if (ranMs >= stableAfterMs) failures = 0;
    const delayMs = backoffDelay(failures, backoff);
    failures++;
    setState({ status: 'backoff', attempt, delayMs, ...describeExit(error) });
    timer = setTimeout(start, delayMs);
  };

  const start = () => {
    timer = null;
    if (stopping) return;
    attempt++;
    const startedAt = Date.now();
    let proc: FfmpegProcess;
    try {
      proc = runFfmpeg(argsFactory(attempt), {
        binary: options.binary,
        registry: options.registry,
        label: options.label,
        cwd: options.cwd,
        env: options.env,
        killGraceMs: options.killGraceMs,
      });
    } catch (error) {
      scheduleRestart(error, 0);
      return;
    }
    current = proc;
    setState({ status: 'running', attempt, pid: proc.pid });
    try {
      options.onStart?.(proc);
    } catch {
      // Same as onState: observers cannot break the restart loop.
    }
    const afterExit = (error: unknown) => {
      if (current === proc) current = null;
      if (stopping) return;
      if (error instanceof FfmpegCancelledError) {
        void stop();
        return;
      }
      scheduleRestart(error, Date.now() - startedAt);
    };
    proc.done.then(
      () => afterExit(null),
      (error: unknown) => afterExit(error),
    );
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (timer) clearTimeout(timer);
      timer = null;
      unregister();
      await current?.cancel();
      setState({ status: 'stopped' });
    })();
    return stopping;
  };

  const unregister = options.registry.addStoppable({ stop });
  start();

  return {
    get state() {
      return state;
    },
    get process() {
      return current;
    },
    stop,
  };
}
