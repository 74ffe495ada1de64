// The one way the core runs ffmpeg: argument arrays (never a shell), progress on a pipe,
// a bounded stderr tail for error reports, and cancellation that ends the whole process
// group so nothing ffmpeg started outlives it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { FfmpegRegistry, RegistryProcess } from './ffmpeg-registry';
import { createProgressParser } from './progress-parser';
import type { FfmpegProgress } from './progress-parser';
import { StderrRing } from './stderr-ring';
import { TypedEvents } from './typed-events';

/** Prepended to every job: machine-readable progress on stdout, no prompts, no noise. */
export const FFMPEG_BASE_ARGS: readonly string[] = [
  '-hide_banner',
  '-nostdin',
  '-progress',
  'pipe:1',
  '-nostats',
];

export const DEFAULT_KILL_GRACE_MS = 3000;

/** Lines of stderr quoted in an FfmpegError message (the full tail is on the error). */
const MESSAGE_TAIL_LINES = 20;

export interface RunFfmpegOptions {
  binary: string;
  /** Expected output duration, enables `percent` in progress events. */
  durationMs?: number;
  signal?: AbortSignal;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Tracks the child for shutdown and the dashboard; the core always passes one. */
  registry?: FfmpegRegistry;
  label?: string;
  /** Time between SIGTERM and SIGKILL when cancelling (default 3 s). */
  killGraceMs?: number;
}

export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  cancelled: boolean;
}

export interface FfmpegResult {
  elapsedMs: number;
  lastProgress: FfmpegProgress | null;
  stderrTail: string[];
}

export interface FfmpegProcessEvents {
  progress: FfmpegProgress;
  stderr: string;
  exit: FfmpegExit;
}

export class FfmpegError extends Error {
  override readonly name = 'FfmpegError';
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderrTail: string[],
    readonly args: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class FfmpegCancelledError extends Error {
  override readonly name = 'FfmpegCancelledError';
  constructor(
    readonly exitCode: number | null = null,
    readonly signal: NodeJS.Signals | null = null,
  ) {
    super('ffmpeg was cancelled');
  }
}

const usesProcessGroups = process.platform !== 'win32';

function failureMessage(
  exit: { code: number | null; signal: NodeJS.Signals | null },
  tail: string[],
): string {
  const how =
    exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const quoted = tail.slice(-MESSAGE_TAIL_LINES).join('\n');
  return quoted === '' ? `ffmpeg ${how}` : `ffmpeg ${how}:\n${quoted}`;
}

export class FfmpegProcess implements RegistryProcess {
  /** Full argument list after the binary, base arguments included. */
  readonly args: readonly string[];
  readonly binary: string;
  readonly label: string;
  readonly pid: number | undefined;
  readonly startedAt = Date.now();
  /** Resolves on exit code 0; rejects with FfmpegError or FfmpegCancelledError. */
  readonly done: Promise<FfmpegResult>;

  private readonly events = new TypedEvents<FfmpegProcessEvents>();
  private readonly stderr = new StderrRing();
  private readonly killGraceMs: number;
  private readonly child: ChildProcess | null = null;
  private readonly exited: Promise<void>;
  private resolveExited!: () => void;
  private resolveDone!: (result: FfmpegResult) => void;
  private rejectDone!: (error: Error) => void;
  private lastProgress: FfmpegProgress | null = null;
  private cancelled = false;
  private hasExited = false;
  private finished = false;
  private killTimer: NodeJS.Timeout | null = null;
  private cleanups: (() => void)[] = [];

  constructor(jobArgs: readonly string[], options: RunFfmpegOptions) {
    this.binary = options.binary;
    this.args = [...FFMPEG_BASE_ARGS, ...jobArgs];
    this.label = options.label ?? 'ffmpeg';
    this.killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
    this.done = new Promise<FfmpegResult>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // Fire-and-forget jobs must not crash the core with an unhandled rejection; the
    // failure still reaches anyone awaiting `done` and every 'exit' listener.
    this.done.catch(() => undefined);

    if (options.signal?.aborted) {
      this.pid = undefined;
      this.cancelled = true;
      queueMicrotask(() => this.finish({ code: null, signal: null }, null));
      return;
    }

    let child: ChildProcess;
    try {
      child = spawn(this.binary, this.args, {
        cwd: options.cwd,
        env: options.env,
        // Own process group on POSIX: one signal reaches ffmpeg and anything it started,
        // and a Ctrl+C aimed at the core does not hit ffmpeg before the core can stop it.
        detached: usesProcessGroups,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (error) {
      this.pid = undefined;
      queueMicrotask(() => this.finish({ code: null, signal: null }, error));
      return;
    }
    this.child = child;
    this.pid = child.pid;

    if (options.registry && child.pid !== undefined) {
      this.cleanups.push(options.registry.add(this, this.label));
    }
    if (options.signal) {
      const signal = options.signal;
      const onAbort = () => void this.cancel();
      signal.addEventListener('abort', onAbort, { once: true });
      this.cleanups.push(() => signal.removeEventListener('abort', onAbort));
    }

    const parser = createProgressParser({ durationMs: options.durationMs });
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      for (const progress of parser.push(chunk)) {
        this.lastProgress = progress;
        this.events.emit('progress', progress);
      }
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      for (const line of this.stderr.push(chunk)) this.events.emit('stderr', line);
    });

    child.once('exit', () => {
      this.hasExited = true;
      if (this.killTimer) clearTimeout(this.killTimer);
      // ffmpeg is gone but anything it started may still hold the pipes open, delaying
      // 'close'. A group id stays reserved while a member lives, so this cannot reach an
      // unrelated process.
      if (this.cancelled && usesProcessGroups && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // ESRCH: the group is already empty.
        }
      }
    });
    // 'close' comes after stdout and stderr are drained, so the final progress block is in.
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      this.finish({ code, signal }, null);
    });
    child.once('error', (error) => {
      // Without a pid the spawn itself failed and no 'close' may follow.
      if (child.pid === undefined) this.finish({ code: null, signal: null }, error);
    });
  }

  on<K extends keyof FfmpegProcessEvents>(
    event: K,
    listener: (payload: FfmpegProcessEvents[K]) => void,
  ): () => void {
    return this.events.on(event, listener);
  }

  once<K extends keyof FfmpegProcessEvents>(
    event: K,
    listener: (payload: FfmpegProcessEvents[K]) => void,
  ): () => void {
    return this.events.once(event, listener);
  }

  off<K extends keyof FfmpegProcessEvents>(
    event: K,
    listener: (payload: FfmpegProcessEvents[K]) => void,
  ): void {
    this.events.off(event, listener);
  }

  get running(): boolean {
    return !this.finished;
  }

  get progress(): FfmpegProgress | null {
    return this.lastProgress;
  }

  stderrTail(lines?: number): string[] {
    return lines === undefined ? this.stderr.lines() : this.stderr.tail(lines);
  }

  /**
   * Asks ffmpeg to stop (SIGTERM lets it finalise the output), escalating to SIGKILL after
   * the grace period. Resolves once the process has exited; `done` rejects with
   * FfmpegCancelledError.
   */
  cancel(): Promise<void> {
    // Once ffmpeg has exited its outcome stands; only the pipes are still draining.
    if (!this.finished && !this.cancelled && !this.hasExited) {
      this.cancelled = true;
      this.signalGroup('SIGTERM');
      this.killTimer = setTimeout(() => this.signalGroup('SIGKILL'), this.killGraceMs);
    }
    return this.exited;
  }

  /** Signals ffmpeg's whole process group (POSIX) or ffmpeg alone (Windows). */
  private signalGroup(signal: NodeJS.Signals): void {
    const child = this.child;
    const pid = child?.pid;
    if (!child || pid === undefined || this.hasExited) return;
    if (usesProcessGroups) {
      try {
        process.kill(-pid, signal);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ESRCH') return;
        // Anything else (EPERM after a setsid?): at least reach ffmpeg itself.
      }
    }
    child.kill(signal);
  }

  private finish(exit: { code: number | null; signal: NodeJS.Signals | null }, error: unknown) {
    if (this.finished) return;
    this.finished = true;
    this.hasExited = true;
    if (this.killTimer) clearTimeout(this.killTimer);

    const tail = this.stderr.lines();
    let outcome: { ok: true; result: FfmpegResult } | { ok: false; error: Error };
    if (this.cancelled) {
      outcome = { ok: false, error: new FfmpegCancelledError(exit.code, exit.signal) };
    } else if (error !== null) {
      const reason = error instanceof Error ? error.message : String(error);
      outcome = {
        ok: false,
        error: new FfmpegError(
          `ffmpeg could not be started (${this.binary}): ${reason}`,
          null,
          null,
          tail,
          this.args,
          { cause: error },
        ),
      };
    } else if (exit.code === 0) {
      const result = {
        elapsedMs: Date.now() - this.startedAt,
        lastProgress: this.lastProgress,
        stderrTail: tail,
      };
      outcome = { ok: true, result };
    } else {
      outcome = {
        ok: false,
        error: new FfmpegError(failureMessage(exit, tail), exit.code, exit.signal, tail, this.args),
      };
    }

    const settle = () => {
      for (const cleanup of this.cleanups) cleanup();
      this.cleanups = [];
      try {
        this.events.emit('exit', { ...exit, cancelled: this.cancelled });
      } finally {
        if (outcome.ok) this.resolveDone(outcome.result);
        else this.rejectDone(outcome.error);
        this.resolveExited();
      }
    };
    // After a cancel, "exited" must mean the whole group: killed members take a moment to
    // die and be reaped, and shutdown must not report done while one is still there.
    const pid = this.child?.pid;
    if (this.cancelled && usesProcessGroups && pid !== undefined) {
      void this.waitForEmptyGroup(pid).then(settle);
    } else {
      settle();
    }
  }

  private async waitForEmptyGroup(pgid: number): Promise<void> {
    const deadline = Date.now() + Math.max(this.killGraceMs, 1000);
    for (;;) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        return; // ESRCH: nobody left in the group
      }
      // Bounded: a zombie nobody reaps would otherwise hold shutdown forever.
      if (Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Starts ffmpeg with `args` (the job only: base arguments are added here). */
export function runFfmpeg(args: readonly string[], options: RunFfmpegOptions): FfmpegProcess {
  return new FfmpegProcess(args, options);
}
