// The review desk's fast-review rendition (keyframes held at a low rate, scaled down; see
// buildFastRenditionArgs), made on demand for what is being reviewed and kept beside the
// recording until retention removes the segment it came from. Made on demand rather than at
// record time because a station records far more than it reviews fast: a hundred sources
// transcoded as they arrive would cost cores all day for segments nobody skims.
//
// A request makes its segment first (a player is waiting on it); each request also queues the
// next few segments, so a tile playing at 8× or 16× finds them ready. Work is bounded: at most
// `concurrency` ffmpeg processes, and read-ahead beyond a small queue is dropped, not piled up.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors';
import { buildFastRenditionArgs, runFfmpeg, type FfmpegRegistry } from '../ffmpeg';
import type { Logger } from '../logger';
import type { RecorderStore, StoredSegment } from './recorder-store';

export type FastRenditionOptions = {
  store: RecorderStore;
  recordingsDir: string;
  /** `<data>/recordings-fast`: `<sourceId>/<segmentId>.ts`. */
  dir: string;
  /** Null when ffmpeg is missing: every request then says so. */
  ffmpeg: string | null;
  registry?: FfmpegRegistry;
  logger: Logger;
  /** ffmpeg processes at once (default 2: the rendition decodes keyframes only, so it is cheap). */
  concurrency?: number;
  /** Segments queued ahead of each request (default 6). */
  readAhead?: number;
};

export type FastRenditions = {
  /** The rendition of a recorded segment, made first if needed; null when no such segment. */
  file(sourceId: number, segmentId: number): Promise<string | null>;
  sourceDir(sourceId: number): string;
  /** Drops a segment's rendition (retention removed the segment). */
  removeSegment(sourceId: number, segmentId: number): Promise<void>;
  removeSource(sourceId: number): Promise<void>;
  /** Removes half-written files and renditions of segments no longer indexed (after a crash). */
  sweep(sourceId: number): Promise<void>;
  /** Renditions made since start, and the ffmpeg time they took (for the dashboard and benches). */
  stats(): { made: number; failed: number; busyMs: number };
  close(): Promise<void>;
};

type Task = { key: string; segment: StoredSegment; urgent: boolean };

/** Read-ahead waiting beyond this is dropped (the oldest first): a reviewer moved on. */
const MAX_QUEUED_AHEAD = 24;

export function createFastRenditions(options: FastRenditionOptions): FastRenditions {
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const readAhead = Math.max(0, options.readAhead ?? 6);
  const inFlight = new Map<string, Promise<string>>();
  const waiting: Task[] = [];
  const settle = new Map<string, { resolve(path: string): void; reject(error: unknown): void }>();
  const aborts = new Set<AbortController>();
  const totals = { made: 0, failed: 0, busyMs: 0 };
  let running = 0;
  let closed = false;

  const sourceDir = (sourceId: number) => join(options.dir, String(sourceId));
  const pathOf = (segment: StoredSegment) => join(sourceDir(segment.sourceId), `${segment.id}.ts`);
  const keyOf = (segment: StoredSegment) => `${segment.sourceId}/${segment.id}`;

  async function exists(path: string): Promise<boolean> {
    try {
      return (await stat(path)).size > 0;
    } catch {
      return false;
    }
  }

  async function make(segment: StoredSegment): Promise<string> {
    const target = pathOf(segment);
    if (await exists(target)) return target;
    if (!options.ffmpeg) throw new AppError('unavailable', 'ffmpeg is not available.');
    const ffmpeg = options.ffmpeg;
    mkdirSync(sourceDir(segment.sourceId), { recursive: true });
    const temp = join(sourceDir(segment.sourceId), `.part-${randomBytes(6).toString('hex')}.ts`);
    const abort = new AbortController();
    aborts.add(abort);
    const started = performance.now();
    try {
      const proc = runFfmpeg(
        buildFastRenditionArgs({
          input: join(options.recordingsDir, segment.file),
          output: temp,
          durationSeconds: segment.durationMs / 1000,
        }),
        {
          binary: ffmpeg,
          ...(options.registry ? { registry: options.registry } : {}),
          label: `fast rendition ${segment.sourceId}/${segment.id}`,
          signal: abort.signal,
        },
      );
      await proc.done;
      // Retention may have removed the segment meanwhile: then the rendition goes too.
      if (!options.store.segment(segment.sourceId, segment.id)) {
        await rm(temp, { force: true });
        throw new AppError('not_found', 'The segment was removed by retention.');
      }
      await rename(temp, target);
      totals.made += 1;
      return target;
    } catch (error) {
      await rm(temp, { force: true });
      totals.failed += 1;
      throw error;
    } finally {
      totals.busyMs += performance.now() - started;
      aborts.delete(abort);
    }
  }

  function pump() {
    while (!closed && running < concurrency && waiting.length > 0) {
      const urgentAt = waiting.findIndex((t) => t.urgent);
      const [task] = waiting.splice(urgentAt >= 0 ? urgentAt : 0, 1);
      if (!task) break;
      running += 1;
      const done = settle.get(task.key);
      make(task.segment)
        .then(
          (path) => done?.resolve(path),
          (error: unknown) => done?.reject(error),
        )
        .finally(() => {
          running -= 1;
          settle.delete(task.key);
          inFlight.delete(task.key);
          pump();
        });
    }
  }

  function enqueue(segment: StoredSegment, urgent: boolean): Promise<string> {
    const key = keyOf(segment);
    const known = inFlight.get(key);
    if (known) {
      // Asked for now: a queued read-ahead moves to the front.
      const queued = waiting.find((t) => t.key === key);
      if (urgent && queued) queued.urgent = true;
      return known;
    }
    const promise = new Promise<string>((resolve, reject) => settle.set(key, { resolve, reject }));
    inFlight.set(key, promise);
    waiting.push({ key, segment, urgent });
    if (!urgent) {
      const ahead = waiting.filter((t) => !t.urgent);
      for (const dropped of ahead.slice(0, Math.max(0, ahead.length - MAX_QUEUED_AHEAD))) {
        waiting.splice(waiting.indexOf(dropped), 1);
        inFlight.delete(dropped.key);
        settle.get(dropped.key)?.reject(new AppError('unavailable', 'Read-ahead dropped.'));
        settle.delete(dropped.key);
      }
    }
    pump();
    return promise;
  }

  function queueAhead(segment: StoredSegment) {
    if (readAhead === 0) return;
    const next = options.store
      .window(
        segment.sourceId,
        segment.startAt + segment.durationMs,
        Number.MAX_SAFE_INTEGER,
        readAhead + 1,
      )
      .filter((s) => s.id !== segment.id)
      .slice(0, readAhead);
    for (const s of next)
      void exists(pathOf(s)).then((ready) => {
        if (!ready && !closed) enqueue(s, false).catch(() => undefined);
      });
  }

  return {
    async file(sourceId, segmentId) {
      if (closed) throw new AppError('unavailable', 'The recorder is shutting down.');
      const segment = options.store.segment(sourceId, segmentId);
      if (!segment) return null;
      queueAhead(segment);
      const ready = pathOf(segment);
      if (await exists(ready)) return ready;
      try {
        return await enqueue(segment, true);
      } catch (error) {
        if (error instanceof AppError) throw error;
        options.logger.error(`fast rendition of segment ${sourceId}/${segmentId} failed`, error);
        throw new AppError(
          'unavailable',
          `The recorded segment ${segmentId} could not be decoded for fast review.`,
        );
      }
    },
    sourceDir,
    async removeSegment(sourceId, segmentId) {
      await rm(join(sourceDir(sourceId), `${segmentId}.ts`), { force: true });
    },
    async removeSource(sourceId) {
      await rm(sourceDir(sourceId), { recursive: true, force: true });
    },
    async sweep(sourceId) {
      let names: string[];
      try {
        names = await readdir(sourceDir(sourceId));
      } catch {
        return;
      }
      for (const name of names) {
        const id = /^(\d+)\.ts$/.exec(name)?.[1];
        if (id === undefined || !options.store.segment(sourceId, Number(id)))
          await rm(join(sourceDir(sourceId), name), { force: true, recursive: true });
      }
    },
    stats: () => ({ ...totals }),
    async close() {
      closed = true;
      for (const task of waiting.splice(0))
        settle.get(task.key)?.reject(new AppError('unavailable', 'The recorder is shutting down.'));
      for (const abort of aborts) abort.abort();
      await Promise.all([...inFlight.values()].map((p) => p.catch(() => undefined)));
    },
  };
}
