// The download's MD5 computed on a worker thread: same digest as node:crypto whatever the chunking,
// bounded memory (the caller is told to wait when the thread is behind), clear failures.
import { createHash, randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import {
  HASH_WINDOW,
  createWorkerHash,
  hashWorkerThreadId,
  stopHashWorker,
} from '../../src-main/core/cache/worker-hash';

const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');
const MiB = 1024 * 1024;

async function feed(hash: ReturnType<typeof createWorkerHash>, data: Buffer, step: number) {
  for (let at = 0; at < data.length; at += step) await hash.update(data.subarray(at, at + step));
}

afterAll(() => stopHashWorker());

describe('worker hash', () => {
  it('matches node:crypto for any chunking, computed off the calling thread', async () => {
    const data = randomBytes(3 * MiB + 12_345);
    for (const step of [1, 1000, 64 * 1024, MiB - 1, MiB + 7, data.length]) {
      const hash = createWorkerHash('md5');
      // One-byte steps over 3 MiB would take long: only the first 5,000 bytes then the rest.
      if (step === 1) {
        await feed(hash, data.subarray(0, 5000), 1);
        await hash.update(data.subarray(5000));
      } else await feed(hash, data, step);
      expect(await hash.digest()).toBe(md5(data));
      hash.dispose();
    }
    const hashThread = hashWorkerThreadId();
    expect(hashThread).not.toBeNull();
    expect(hashThread).not.toBe(threadId);
  });

  it('hashes nothing as the empty MD5, and other algorithms by name', async () => {
    expect(await createWorkerHash('md5').digest()).toBe(md5(new Uint8Array(0)));
    const sha = createWorkerHash('sha256');
    await sha.update(Buffer.from('airdeck'));
    expect(await sha.digest()).toBe(createHash('sha256').update('airdeck').digest('hex'));
  });

  it('keeps concurrent jobs apart, and the caller may reuse its buffer at once', async () => {
    const a = randomBytes(2 * MiB + 1);
    const b = randomBytes(MiB + 3);
    const ha = createWorkerHash('md5');
    const hb = createWorkerHash('md5');
    const scratch = Buffer.alloc(64 * 1024);
    for (let at = 0; at < Math.max(a.length, b.length); at += scratch.length) {
      for (const [data, hash] of [
        [a, ha],
        [b, hb],
      ] as const) {
        if (at >= data.length) continue;
        const n = data.copy(scratch, 0, at, at + scratch.length);
        await hash.update(scratch.subarray(0, n));
        scratch.fill(0xee); // overwritten before the worker hashed it: must not matter
      }
    }
    const [da, db] = await Promise.all([ha.digest(), hb.digest()]);
    expect(da).toBe(md5(a));
    expect(db).toBe(md5(b));
  });

  it('asks the caller to wait once the window of buffers is in the worker', async () => {
    const data = randomBytes((HASH_WINDOW + 1) * MiB);
    const hash = createWorkerHash('md5');
    // Synchronous updates: the worker cannot hand buffers back until this thread yields.
    const waits = [];
    for (let at = 0; at < data.length; at += MiB)
      waits.push(hash.update(data.subarray(at, at + MiB)));
    expect(waits.slice(0, HASH_WINDOW - 1).every((w) => w === null)).toBe(true);
    expect(waits[HASH_WINDOW - 1]).toBeInstanceOf(Promise);
    await waits.at(-1);
    expect(await hash.digest()).toBe(md5(data));
  });

  it('fails the running job clearly when the thread stops, and starts afresh for the next', async () => {
    const hash = createWorkerHash('md5');
    await hash.update(randomBytes(2 * MiB));
    const digest = hash.digest().catch((error: Error) => error);
    await stopHashWorker();
    expect(await digest).toBeInstanceOf(Error);
    expect(String(await digest)).toMatch(/hashing thread/);
    await expect(hash.update(Buffer.from('more'))).rejects.toThrow(/finished|hashing thread/);
    hash.dispose();

    const next = createWorkerHash('md5');
    await next.update(Buffer.from('after a restart'));
    expect(await next.digest()).toBe(md5(Buffer.from('after a restart')));
  });

  it('refuses an unknown algorithm with an error, not a crash', async () => {
    const hash = createWorkerHash('no-such-hash');
    await expect(hash.digest()).rejects.toThrow(/hashing failed/);
    // The thread survives for everyone else.
    const ok = createWorkerHash('md5');
    await ok.update(Buffer.from('x'));
    expect(await ok.digest()).toBe(md5(Buffer.from('x')));
  });
});
