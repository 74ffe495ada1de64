// Runs the real ffmpeg: progress, cancellation, failures, the registry and supervision, and
// above all that no child or grandchild survives being stopped.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  FfmpegCancelledError,
  FfmpegError,
  buildTestPatternArgs,
  createFfmpegRegistry,
  probeFfmpegVersion,
  resolveFfmpeg,
  runFfmpeg,
  superviseFfmpeg,
} from '../../src-main/core/ffmpeg/index';
import type {
  FfmpegExit,
  FfmpegProcess,
  FfmpegProgress,
  FfmpegRegistry,
  ResolvedBinaries,
  SupervisorState,
} from '../../src-main/core/ffmpeg/index';

const FIXTURE_SECONDS = 4;
/** Realtime-paced and long: it only ends when we end it. */
const LONG_JOB = [
  '-re',
  '-f',
  'lavfi',
  '-i',
  'testsrc2=size=320x240:rate=25:duration=60',
  '-f',
  'null',
  '-',
];

let dir: string;
let binaries: ResolvedBinaries;
let fixture: string;
let registry: FfmpegRegistry;

/**
 * Every live process whose process group is `pgid`, from /proc. Zombies are dead and run
 * nothing; they are skipped because an orphaned one waits for PID 1 to reap it, which some
 * container inits only do every few seconds.
 */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // Fields after the command name, which may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(name));
  }
  return members;
}

function expectGone(pid: number | undefined): void {
  expect(pid).toBeTypeOf('number');
  const p = pid as number;
  expect(() => process.kill(p, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  expect(groupMembers(p)).toEqual([]);
}

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function firstProgress(proc: FfmpegProcess): Promise<FfmpegProgress> {
  return new Promise((resolve) => proc.once('progress', resolve));
}

function probeDurationS(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      binaries.ffprobe.path,
      ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file],
      (error, stdout) => (error ? reject(error) : resolve(Number(stdout.trim()))),
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airdeck-ffmpeg-'));
  binaries = resolveFfmpeg();
  fixture = join(dir, 'fixture.mp4');
  await runFfmpeg(
    buildTestPatternArgs({
      output: fixture,
      durationS: FIXTURE_SECONDS,
      width: 320,
      height: 240,
      fps: 25,
    }),
    { binary: binaries.ffmpeg.path },
  ).done;
});

afterEach(async () => {
  // A failed assertion must not leave children running into the next test.
  await registry?.killAll();
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('binaries', () => {
  it('resolves the system ffmpeg and reads its version', async () => {
    expect(existsSync(binaries.ffmpeg.path)).toBe(true);
    expect(existsSync(binaries.ffprobe.path)).toBe(true);
    expect(await probeFfmpegVersion(binaries.ffmpeg.path)).toMatch(/^\d+\.\d+/);
  });

  it('made a fixture of the requested length', async () => {
    expect(await probeDurationS(fixture)).toBeCloseTo(FIXTURE_SECONDS, 0);
  });
});

describe('runFfmpeg', () => {
  it('reports increasing progress and ends at 100 percent', async () => {
    registry = createFfmpegRegistry();
    const output = join(dir, 'transcoded.mp4');
    const proc = runFfmpeg(
      [
        '-stats_period',
        '0.25',
        '-re',
        '-i',
        fixture,
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-c:a',
        'aac',
        '-y',
        output,
      ],
      { binary: binaries.ffmpeg.path, durationMs: FIXTURE_SECONDS * 1000, registry },
    );
    expect(proc.args.slice(0, 5)).toEqual([
      '-hide_banner',
      '-nostdin',
      '-progress',
      'pipe:1',
      '-nostats',
    ]);
    const events: FfmpegProgress[] = [];
    const exits: FfmpegExit[] = [];
    proc.on('progress', (p) => events.push(p));
    proc.on('exit', (e) => exits.push(e));

    const result = await proc.done;

    expect(events.length).toBeGreaterThanOrEqual(3);
    const times = events.map((e) => e.outTimeMs).filter((t): t is number => t !== null);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(times.at(-1)!).toBeGreaterThan(times[0]!);
    for (const e of events) expect(e.percent ?? 0).toBeLessThanOrEqual(100);
    expect(events.filter((e) => e.done)).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ done: true, percent: 100 });
    expect(result.lastProgress).toEqual(events.at(-1));
    expect(exits).toEqual([{ code: 0, signal: null, cancelled: false }]);
    expect(await probeDurationS(output)).toBeCloseTo(FIXTURE_SECONDS, 0);
    expect(registry.list()).toEqual([]);
  });

  it('cancels through an AbortSignal and leaves no process behind', async () => {
    registry = createFfmpegRegistry();
    const controller = new AbortController();
    const proc = runFfmpeg(LONG_JOB, {
      binary: binaries.ffmpeg.path,
      signal: controller.signal,
      registry,
    });
    const exits: FfmpegExit[] = [];
    proc.on('exit', (e) => exits.push(e));
    await firstProgress(proc);
    expect(groupMembers(proc.pid!)).toEqual([proc.pid]);

    const started = Date.now();
    controller.abort();
    await expect(proc.done).rejects.toBeInstanceOf(FfmpegCancelledError);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(exits).toEqual([expect.objectContaining({ cancelled: true })]);
    expectGone(proc.pid);
    expect(registry.list()).toEqual([]);
  });

  it('cancels through cancel(), which resolves once the process has exited', async () => {
    const proc = runFfmpeg(LONG_JOB, { binary: binaries.ffmpeg.path });
    await firstProgress(proc);
    await proc.cancel();
    expect(proc.running).toBe(false);
    expectGone(proc.pid);
    await expect(proc.done).rejects.toBeInstanceOf(FfmpegCancelledError);
    // Cancelling again is harmless.
    await proc.cancel();
  });

  it('never starts when the signal is already aborted', async () => {
    const proc = runFfmpeg(LONG_JOB, {
      binary: binaries.ffmpeg.path,
      signal: AbortSignal.abort(),
    });
    expect(proc.pid).toBeUndefined();
    await expect(proc.done).rejects.toBeInstanceOf(FfmpegCancelledError);
  });

  it('escalates to SIGKILL for the whole group when SIGTERM is ignored', async () => {
    // Stands in for a wedged ffmpeg that also started a child of its own.
    const stubborn = join(dir, 'stubborn-ffmpeg');
    writeFileSync(stubborn, "#!/bin/sh\ntrap '' TERM\nsleep 60 &\necho started >&2\nwait\n");
    chmodSync(stubborn, 0o755);
    const proc = runFfmpeg([], { binary: stubborn, killGraceMs: 300 });
    await new Promise<void>((resolve) => proc.once('stderr', () => resolve()));
    await eventually(() => groupMembers(proc.pid!).length === 2);

    await proc.cancel();
    await expect(proc.done).rejects.toMatchObject({
      name: 'FfmpegCancelledError',
      signal: 'SIGKILL',
    });
    expectGone(proc.pid);
  });

  it('rejects with the stderr tail when the input does not exist', async () => {
    const proc = runFfmpeg(['-i', join(dir, 'missing.mp4'), '-f', 'null', '-'], {
      binary: binaries.ffmpeg.path,
    });
    const error = await proc.done.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FfmpegError);
    const failure = error as FfmpegError;
    expect(failure.exitCode).not.toBe(0);
    expect(failure.exitCode).not.toBeNull();
    expect(failure.stderrTail.join('\n')).toMatch(/No such file or directory/);
    expect(failure.message).toMatch(/No such file or directory/);
    expect(failure.message).toContain(failure.stderrTail.at(-1));
  });

  it('rejects with the stderr tail for a file that is not media', async () => {
    const fake = join(dir, 'not-video.mp4');
    writeFileSync(fake, 'this is plain text, not an mp4\n'.repeat(20));
    const error = await runFfmpeg(['-i', fake, '-f', 'null', '-'], {
      binary: binaries.ffmpeg.path,
    }).done.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FfmpegError);
    expect((error as FfmpegError).message).toMatch(/Invalid data found|moov atom not found/);
    expect((error as FfmpegError).message).toContain((error as FfmpegError).stderrTail.at(-1));
  });

  it('rejects when the binary cannot be started', async () => {
    const proc = runFfmpeg(['-version'], { binary: join(dir, 'no-such-ffmpeg') });
    await expect(proc.done).rejects.toThrow(/could not be started/);
    await expect(proc.done).rejects.toBeInstanceOf(FfmpegError);
  });
});

describe('FfmpegRegistry with real children', () => {
  it('killAll ends every running child and none survive', async () => {
    registry = createFfmpegRegistry();
    const procs = ['a', 'b', 'c'].map((label) =>
      runFfmpeg(LONG_JOB, { binary: binaries.ffmpeg.path, registry, label }),
    );
    await Promise.all(procs.map(firstProgress));
    const listed = registry.list();
    expect(listed.map((p) => p.label).sort()).toEqual(['a', 'b', 'c']);
    expect(listed.map((p) => p.pid).sort()).toEqual(procs.map((p) => p.pid).sort());
    expect(listed[0]?.args).toContain('testsrc2=size=320x240:rate=25:duration=60');

    const started = Date.now();
    await registry.killAll();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(registry.list()).toEqual([]);
    for (const proc of procs) {
      await expect(proc.done).rejects.toBeInstanceOf(FfmpegCancelledError);
      expectGone(proc.pid);
    }
  });
});

describe('superviseFfmpeg', () => {
  it('restarts a killed child with growing backoff and stop() leaves nothing', async () => {
    registry = createFfmpegRegistry();
    const states: SupervisorState[] = [];
    const attempts: number[] = [];
    const supervised = superviseFfmpeg(
      (attempt) => {
        attempts.push(attempt);
        return LONG_JOB;
      },
      {
        binary: binaries.ffmpeg.path,
        registry,
        label: 'push',
        backoff: { initialMs: 200, maxMs: 5000, factor: 2 },
        onState: (s) => states.push(s),
      },
    );
    const pids: number[] = [];
    for (let round = 0; round < 2; round++) {
      const proc = supervised.process!;
      await firstProgress(proc);
      pids.push(proc.pid!);
      expect(registry.list()).toEqual([expect.objectContaining({ pid: proc.pid, label: 'push' })]);
      process.kill(proc.pid!, 'SIGKILL'); // from outside, as a crash or the OOM killer would
      await eventually(() => supervised.process !== null && supervised.process !== proc);
    }
    const last = supervised.process!;
    await firstProgress(last);
    pids.push(last.pid!);

    expect(new Set(pids).size).toBe(3);
    expect(attempts).toEqual([1, 2, 3]);
    const backoffs = states.filter((s) => s.status === 'backoff');
    expect(backoffs.map((s) => s.delayMs)).toEqual([200, 400]);
    expect(backoffs[0]?.exit).toMatchObject({ signal: 'SIGKILL', cancelled: false });
    expect(states.map((s) => s.status)).toEqual([
      'running',
      'backoff',
      'running',
      'backoff',
      'running',
    ]);

    await supervised.stop();
    expect(supervised.state).toEqual({ status: 'stopped' });
    for (const pid of pids) expectGone(pid);
    // Longer than any backoff: nothing may come back.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(registry.list()).toEqual([]);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('backs off after clean exits too, and a stable run resets the delay', async () => {
    registry = createFfmpegRegistry();
    const shortJob = ['-f', 'lavfi', '-i', 'testsrc2=size=160x120:duration=0.2', '-f', 'null', '-'];
    const run = async (stableAfterMs: number | undefined) => {
      const delays: number[] = [];
      const supervised = superviseFfmpeg(() => shortJob, {
        binary: binaries.ffmpeg.path,
        registry,
        label: 'short',
        backoff: { initialMs: 50, maxMs: 1000, factor: 2 },
        stableAfterMs,
        onState: (s) => {
          if (s.status === 'backoff') delays.push(s.delayMs);
        },
      });
      await eventually(() => delays.length >= 3, 20_000);
      await supervised.stop();
      return delays.slice(0, 3);
    };
    expect(await run(undefined)).toEqual([50, 100, 200]);
    expect(await run(0)).toEqual([50, 50, 50]);
  });

  it('registry.killAll stops the supervisor so nothing restarts', async () => {
    registry = createFfmpegRegistry();
    const states: SupervisorState[] = [];
    const supervised = superviseFfmpeg(() => LONG_JOB, {
      binary: binaries.ffmpeg.path,
      registry,
      label: 'push',
      backoff: { initialMs: 100, maxMs: 100, factor: 1 },
      onState: (s) => states.push(s),
    });
    const proc = supervised.process!;
    await firstProgress(proc);
    await registry.killAll();
    expectGone(proc.pid);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(supervised.state).toEqual({ status: 'stopped' });
    expect(states.map((s) => s.status)).toEqual(['running', 'stopped']);
    expect(registry.list()).toEqual([]);
  });
});
