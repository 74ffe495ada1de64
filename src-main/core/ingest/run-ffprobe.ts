// ffprobe children go through the same registry as ffmpeg so shutdown ends them too.
import { spawn } from 'node:child_process';
import type { FfmpegRegistry } from '../ffmpeg';

export type FfprobeOptions = {
  binary: string;
  registry: FfmpegRegistry;
  signal?: AbortSignal;
  /** A damaged file can make ffprobe read for a long time; this bounds it. */
  timeoutMs?: number;
};

export type FfprobeOutput = { code: number | null; stdout: string; stderr: string };

export class FfprobeAbortedError extends Error {
  override readonly name = 'FfprobeAbortedError';
}

export function runFfprobe(
  args: readonly string[],
  options: FfprobeOptions,
): Promise<FfprobeOutput> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new FfprobeAbortedError('ffprobe was cancelled'));
      return;
    }
    const child = spawn(options.binary, ['-hide_banner', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let aborted = false;
    const exited = new Promise<void>((done) => child.once('close', () => done()));
    const kill = () => {
      aborted = true;
      child.kill('SIGKILL');
      return exited;
    };
    const unregister =
      child.pid !== undefined
        ? options.registry.add({ pid: child.pid, args: [...args], cancel: kill }, 'ffprobe')
        : () => undefined;
    const onAbort = () => void kill();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(onAbort, options.timeoutMs ?? 120_000);

    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', (error) => {
      clearTimeout(timer);
      unregister();
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      unregister();
      options.signal?.removeEventListener('abort', onAbort);
      if (aborted) reject(new FfprobeAbortedError('ffprobe was cancelled or timed out'));
      else
        resolve({
          code,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
    });
  });
}
