import { describe, expect, it } from 'vitest';
import { createFfmpegRegistry } from '../../src-main/core/ffmpeg/ffmpeg-registry';
import type { RegistryProcess } from '../../src-main/core/ffmpeg/ffmpeg-registry';
import { backoffDelay, DEFAULT_BACKOFF } from '../../src-main/core/ffmpeg/ffmpeg-supervisor';
import { TypedEvents } from '../../src-main/core/ffmpeg/typed-events';

// Stand-ins for real children (those are covered by the integration tests): each records
// cancellation and unregisters itself the way FfmpegProcess does on exit.
function fakeProcess(pid: number | undefined, log: string[]) {
  let unregister = () => {};
  const proc: RegistryProcess = {
    pid,
    args: ['-i', `in${pid}`],
    cancel: async () => {
      log.push(`cancel ${pid}`);
      await Promise.resolve();
      unregister();
    },
  };
  return {
    proc,
    attach: (fn: () => void) => {
      unregister = fn;
    },
  };
}

describe('FfmpegRegistry', () => {
  it('lists registered processes with label, args and start time', () => {
    const registry = createFfmpegRegistry();
    const log: string[] = [];
    const a = fakeProcess(101, log);
    const before = Date.now();
    const remove = registry.add(a.proc, 'transcode');
    registry.add(fakeProcess(undefined, log).proc, 'not started');
    const [info] = registry.list();
    expect(registry.list()).toHaveLength(1);
    expect(info).toMatchObject({ pid: 101, args: ['-i', 'in101'], label: 'transcode' });
    expect(info?.startedAt).toBeGreaterThanOrEqual(before);
    remove();
    expect(registry.list()).toEqual([]);
  });

  it('keeps registries independent', () => {
    const one = createFfmpegRegistry();
    const two = createFfmpegRegistry();
    one.add(fakeProcess(1, []).proc, 'x');
    expect(one.size).toBe(1);
    expect(two.size).toBe(0);
  });

  it('killAll stops supervisors before cancelling processes and waits for both', async () => {
    const registry = createFfmpegRegistry();
    const log: string[] = [];
    for (const pid of [1, 2]) {
      const p = fakeProcess(pid, log);
      p.attach(registry.add(p.proc, `job ${pid}`));
    }
    registry.addStoppable({
      stop: async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        log.push('supervisor stopped');
      },
    });
    await registry.killAll();
    expect(log).toEqual(['supervisor stopped', 'cancel 1', 'cancel 2']);
    expect(registry.size).toBe(0);
  });

  it('killAll on an empty registry resolves at once', async () => {
    await expect(createFfmpegRegistry().killAll()).resolves.toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('grows by the factor and caps at the maximum', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, DEFAULT_BACKOFF));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('never overflows to Infinity', () => {
    expect(backoffDelay(10_000, { initialMs: 10, maxMs: 500, factor: 3 })).toBe(500);
  });
});

describe('TypedEvents', () => {
  interface Events {
    tick: number;
    name: string;
  }

  it('delivers payloads to listeners of that event only', () => {
    const events = new TypedEvents<Events>();
    const got: (number | string)[] = [];
    events.on('tick', (n) => got.push(n));
    events.on('name', (s) => got.push(s));
    events.emit('tick', 1);
    events.emit('name', 'a');
    expect(got).toEqual([1, 'a']);
  });

  it('unsubscribes via the returned function, off, and once', () => {
    const events = new TypedEvents<Events>();
    const got: number[] = [];
    const off = events.on('tick', (n) => got.push(n));
    const listener = (n: number) => got.push(n * 10);
    events.on('tick', listener);
    events.once('tick', (n) => got.push(n * 100));
    events.emit('tick', 1);
    off();
    events.off('tick', listener);
    events.emit('tick', 2);
    expect(got).toEqual([1, 10, 100]);
  });
});
