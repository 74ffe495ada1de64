import { describe, expect, it } from 'vitest';
import { createJobQueue } from '../../src-main/core/ingest/job-queue';
import { playlistSegments } from '../../src-main/core/ingest/segment-verifier';
import { describeIngestError, IngestFailure } from '../../src-main/core/ingest/ingest-failure';
import { FfmpegError } from '../../src-main/core/ffmpeg/index';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('job queue', () => {
  it('runs FIFO within the concurrency and survives a failing job', async () => {
    const jobs = new Map<number, ReturnType<typeof deferred>>();
    const started: number[] = [];
    let limit = 1;
    const queue = createJobQueue<number>({
      concurrency: () => limit,
      run: (key) => {
        started.push(key);
        const d = deferred();
        jobs.set(key, d);
        return d.promise;
      },
    });
    expect(queue.add(1)).toBe(true);
    expect(queue.add(1)).toBe(false);
    queue.add(2);
    queue.add(3);
    queue.add(4);
    expect(started).toEqual([1]);
    expect(queue.remove(3)).toBe(true);
    jobs.get(1)?.reject(new Error('boom'));
    await tick();
    expect(started).toEqual([1, 2]);
    limit = 2;
    queue.add(5);
    expect(started).toEqual([1, 2, 4]);
    jobs.get(2)?.resolve();
    await tick();
    expect(started).toEqual([1, 2, 4, 5]);
    queue.pause();
    queue.add(6);
    jobs.get(4)?.resolve();
    await tick();
    expect(started).not.toContain(6);
  });
});

describe('job queue priorities', () => {
  it('starts every waiting job of a higher priority first, FIFO within one', async () => {
    const jobs = new Map<string, ReturnType<typeof deferred>>();
    const started: string[] = [];
    const queue = createJobQueue<string>({
      concurrency: () => 1,
      run: (key) => {
        started.push(key);
        const d = deferred();
        jobs.set(key, d);
        return d.promise;
      },
    });
    queue.add('air:1', 1);
    queue.add('preview:1', 0);
    queue.add('air:2', 1);
    queue.add('preview:2');
    queue.add('air:3', 1);
    expect(queue.waiting()).toEqual(['air:2', 'air:3', 'preview:1', 'preview:2']);
    for (const key of ['air:1', 'air:2', 'air:3', 'preview:1']) {
      jobs.get(key)?.resolve();
      await tick();
    }
    expect(started).toEqual(['air:1', 'air:2', 'air:3', 'preview:1', 'preview:2']);
    expect(queue.has('preview:2')).toBe(true);
    expect(queue.remove('preview:2')).toBe(false); // running, not waiting
  });
});

describe('playlistSegments', () => {
  it('lists segment files in order', () => {
    const text =
      '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.000000,\nseg_00000.ts\n#EXTINF:1.2,\nseg_00001.ts\n#EXT-X-ENDLIST\n';
    expect(playlistSegments(text)).toEqual(['seg_00000.ts', 'seg_00001.ts']);
  });
});

describe('describeIngestError', () => {
  it('keeps our own reasons, explains disk full and killed encoders', () => {
    expect(describeIngestError(new IngestFailure('The file is empty (0 bytes).'))).toBe(
      'The file is empty (0 bytes).',
    );
    const full = Object.assign(new Error('write failed'), { code: 'ENOSPC' });
    expect(describeIngestError(full)).toMatch(/^Not enough disk space/);
    const ffFull = new FfmpegError('x', 1, null, ['seg_00001.ts: No space left on device'], []);
    expect(describeIngestError(ffFull)).toMatch(/^Not enough disk space/);
    const killed = new FfmpegError('x', null, 'SIGKILL', [], []);
    expect(describeIngestError(killed)).toMatch(/killed by SIGKILL/);
    const failed = new FfmpegError('x', 1, null, ['Invalid data found', 'Conversion failed!'], []);
    expect(describeIngestError(failed)).toBe('The encoder failed: Invalid data found');
  });
});
