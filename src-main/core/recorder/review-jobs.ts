// Screenshots and clips made on the server from a recording, one job at a time (two cores are
// shared with playout and ingest). Each job is a row (who, which source, which air range, the
// file, its state) and writes a hold so retention keeps the range it came from.
import { mkdirSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ReviewBatch, ReviewJob } from '../../../src-shared/contract';
import type { EventBus } from '../events/event-bus';
import {
  buildClipCutArgs,
  buildFrameGrabArgs,
  runFfmpeg,
  seekForFrameOnAir,
  type FfmpegRegistry,
  type ResolvedBinaries,
} from '../ffmpeg';
import { runFfprobe } from '../ingest/run-ffprobe';
import type { Logger } from '../logger';
import type { RecorderStore, StoredSegment } from './recorder-store';

type RawJob = {
  id: number;
  kind: ReviewJob['kind'];
  source_id: number;
  person_id: number | null;
  from_at: number;
  to_at: number;
  format: ReviewJob['format'];
  state: ReviewJob['state'];
  progress: number;
  file: string | null;
  bytes: number | null;
  error: string | null;
  created_at: number;
  finished_at: number | null;
  batch_id: number | null;
};

const toJob = (r: RawJob): ReviewJob => ({
  id: r.id,
  kind: r.kind,
  sourceId: r.source_id,
  personId: r.person_id,
  fromAt: r.from_at,
  toAt: r.to_at,
  format: r.format,
  state: r.state,
  progress: r.progress,
  bytes: r.bytes,
  error: r.error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
  batchId: r.batch_id,
});

export type ReviewJobsOptions = {
  db: Database;
  bus: EventBus;
  store: RecorderStore;
  recordingsDir: string;
  /** `<data>/review`: finished screenshots and clips. */
  outputDir: string;
  binaries: ResolvedBinaries | null;
  registry: FfmpegRegistry;
  logger: Logger;
  now: () => number;
  /** A job finished with its file (clips are then delivered where targets say). */
  onDone?: (job: ReviewJob) => void;
};

export type ReviewJobs = ReturnType<typeof createReviewJobs>;

const FILE_EXT: Record<ReviewJob['format'], string> = { png: 'png', jpeg: 'jpg', mp4: 'mp4' };

export function createReviewJobs(options: ReviewJobsOptions) {
  const { db, bus, store, now, logger } = options;
  mkdirSync(options.outputDir, { recursive: true });
  const q = {
    insert: db.prepare<
      [string, number, number | null, number, number, string, number | null, number, number | null]
    >(
      `INSERT INTO review_jobs (kind, source_id, person_id, from_at, to_at, format, state, hold_id, created_at, batch_id)
       VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
    ),
    insertBatch: db.prepare<[number | null, number, number, number]>(
      'INSERT INTO review_batches (person_id, from_at, to_at, created_at) VALUES (?, ?, ?, ?)',
    ),
    getBatch: db.prepare<
      [number],
      { id: number; person_id: number | null; from_at: number; to_at: number; created_at: number }
    >('SELECT * FROM review_batches WHERE id = ?'),
    batchJobs: db.prepare<[number], RawJob>(
      'SELECT * FROM review_jobs WHERE batch_id = ? ORDER BY id',
    ),
    get: db.prepare<[number], RawJob>('SELECT * FROM review_jobs WHERE id = ?'),
    list: db.prepare<[number | null, number | null, number], RawJob>(
      'SELECT * FROM review_jobs WHERE (? IS NULL OR source_id = ?) ORDER BY id DESC LIMIT ?',
    ),
    pending: db.prepare<[], { id: number }>(
      "SELECT id FROM review_jobs WHERE state IN ('queued', 'running') ORDER BY id",
    ),
    running: db.prepare<[number]>(
      "UPDATE review_jobs SET state = 'running', progress = 0 WHERE id = ?",
    ),
    progress: db.prepare<[number, number]>('UPDATE review_jobs SET progress = ? WHERE id = ?'),
    done: db.prepare<[string, number, number, number]>(
      "UPDATE review_jobs SET state = 'done', progress = 1, file = ?, bytes = ?, finished_at = ? WHERE id = ?",
    ),
    failed: db.prepare<[string, number, number]>(
      "UPDATE review_jobs SET state = 'failed', error = ?, finished_at = ? WHERE id = ?",
    ),
  };
  const queue: number[] = [];
  let busy = false;
  let closed = false;
  let current: AbortController | null = null;
  let drained: Promise<void> = Promise.resolve();

  const get = (id: number): ReviewJob | undefined => {
    const row = q.get.get(id);
    return row ? toJob(row) : undefined;
  };
  const announce = (id: number) => {
    const job = get(id);
    if (job) bus.emit('reviewJobChanged', job);
  };

  type JobInput = {
    kind: ReviewJob['kind'];
    sourceId: number;
    personId: number | null;
    fromAt: number;
    toAt: number;
    format: ReviewJob['format'];
    holdFrom: number;
    holdTo: number;
  };

  function enqueue(input: JobInput, batchId: number | null = null): ReviewJob {
    const id = insertJob(input, batchId);
    queue.push(id);
    announce(id);
    pump();
    return get(id)!;
  }

  function insertJob(input: JobInput, batchId: number | null): number {
    return store.transaction(() => {
      const holdId = store.addHold(input.sourceId, input.holdFrom, input.holdTo, `${input.kind}`);
      return Number(
        q.insert.run(
          input.kind,
          input.sourceId,
          input.personId,
          input.fromAt,
          input.toAt,
          input.format,
          holdId,
          now(),
          batchId,
        ).lastInsertRowid,
      );
    });
  }

  function batch(id: number): ReviewBatch | undefined {
    const row = q.getBatch.get(id);
    if (!row) return undefined;
    const jobs = q.batchJobs.all(id).map(toJob);
    const states = new Set(jobs.map((j) => j.state));
    const state: ReviewBatch['state'] = states.has('failed')
      ? 'failed'
      : jobs.every((j) => j.state === 'done')
        ? 'done'
        : states.has('running') || states.has('done')
          ? 'running'
          : 'queued';
    return {
      id: row.id,
      personId: row.person_id,
      fromAt: row.from_at,
      toAt: row.to_at,
      state,
      progress: jobs.length ? jobs.reduce((sum, j) => sum + j.progress, 0) / jobs.length : 0,
      jobs,
      createdAt: row.created_at,
    };
  }

  /** One clip per input, all or none queued, as one batch. */
  function enqueueBatch(
    personId: number | null,
    fromAt: number,
    toAt: number,
    inputs: readonly JobInput[],
  ): ReviewBatch {
    const ids = store.transaction(() => {
      const batchId = Number(q.insertBatch.run(personId, fromAt, toAt, now()).lastInsertRowid);
      return { batchId, jobs: inputs.map((input) => insertJob(input, batchId)) };
    });
    for (const id of ids.jobs) {
      queue.push(id);
      announce(id);
    }
    pump();
    return batch(ids.batchId)!;
  }

  function pump() {
    if (busy || closed) return;
    const id = queue.shift();
    if (id === undefined) return;
    busy = true;
    drained = run(id).finally(() => {
      busy = false;
      pump();
    });
  }

  async function probeFrames(
    file: string,
    signal: AbortSignal,
  ): Promise<{ pts: number[]; start: number }> {
    if (!options.binaries) throw new Error('ffprobe is not available');
    // Packets, not frames: their times without decoding anything.
    const out = await runFfprobe(
      [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'packet=pts_time:format=start_time',
        '-of',
        'json',
        file,
      ],
      {
        binary: options.binaries.ffprobe.path,
        registry: options.registry,
        signal,
        timeoutMs: 30_000,
      },
    );
    if (out.code !== 0) throw new Error(`ffprobe failed: ${out.stderr.trim().slice(-300)}`);
    const parsed = JSON.parse(out.stdout) as {
      packets?: { pts_time?: string }[];
      format?: { start_time?: string };
    };
    const pts = (parsed.packets ?? []).map((p) => Number(p.pts_time)).filter(Number.isFinite);
    const start = Number(parsed.format?.start_time ?? 0);
    return { pts, start: Number.isFinite(start) ? start : 0 };
  }

  function segmentsFor(sourceId: number, fromAt: number, toAt: number): StoredSegment[] {
    const segments = store.window(sourceId, fromAt, Math.max(toAt, fromAt + 1), 5000);
    const first = segments[0];
    if (!first || first.startAt > fromAt) throw new Error('that air time is not in the recording');
    return segments;
  }

  async function run(id: number) {
    const job = get(id);
    if (!job || job.state === 'done' || job.state === 'failed') return;
    const abort = new AbortController();
    current = abort;
    q.running.run(id);
    announce(id);
    const name = `${id}.${FILE_EXT[job.format]}`;
    let done = false;
    const output = join(options.outputDir, name);
    try {
      if (!options.binaries) throw new Error('ffmpeg is not available');
      const binary = options.binaries.ffmpeg.path;
      const segments = segmentsFor(job.sourceId, job.fromAt, job.toAt);
      const first = segments[0]!;
      const firstFile = join(options.recordingsDir, first.file);
      const frames = await probeFrames(firstFile, abort.signal);
      const seekSeconds = seekForFrameOnAir(
        frames.pts,
        frames.start,
        (job.fromAt - first.startAt) / 1000,
      );
      if (job.kind === 'screenshot') {
        const proc = runFfmpeg(
          buildFrameGrabArgs({
            input: firstFile,
            seekSeconds,
            format: job.format === 'jpeg' ? 'jpeg' : 'png',
            output,
          }),
          { binary, registry: options.registry, label: `screenshot ${id}`, signal: abort.signal },
        );
        await proc.done;
      } else {
        const durationMs = job.toAt - job.fromAt;
        const proc = runFfmpeg(
          buildClipCutArgs({
            inputs: segments.map((s) => join(options.recordingsDir, s.file)),
            seekSeconds,
            durationSeconds: durationMs / 1000,
            output,
          }),
          {
            binary,
            registry: options.registry,
            label: `clip ${id}`,
            signal: abort.signal,
            durationMs,
          },
        );
        proc.on('progress', (p) => {
          if (p.percent === undefined) return;
          q.progress.run(Math.min(0.99, p.percent / 100), id);
          announce(id);
        });
        await proc.done;
      }
      const bytes = (await stat(output)).size;
      q.done.run(name, bytes, now(), id);
      done = true;
    } catch (error) {
      await rm(output, { force: true });
      if (closed) return; // left queued/running: picked up again on the next start
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      logger.warn(`review job ${id} failed: ${message}`);
      q.failed.run(message.slice(0, 500), now(), id);
    } finally {
      current = null;
    }
    announce(id);
    const finished = done ? get(id) : undefined;
    if (finished) options.onDone?.(finished);
  }

  return {
    enqueue,
    enqueueBatch,
    batch,
    get,
    list: (sourceId: number | undefined, limit: number): ReviewJob[] =>
      q.list.all(sourceId ?? null, sourceId ?? null, limit).map(toJob),
    /** The finished file of a job, or null. */
    fileOf(id: number): string | null {
      const row = q.get.get(id);
      return row?.state === 'done' && row.file ? join(options.outputDir, row.file) : null;
    },
    /** Jobs a stop interrupted are run again. */
    resume() {
      for (const { id } of q.pending.all()) queue.push(id);
      pump();
    },
    async close() {
      closed = true;
      queue.length = 0;
      current?.abort();
      await drained;
    },
  };
}
