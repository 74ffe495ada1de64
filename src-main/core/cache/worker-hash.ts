// A streaming hash (MD5 for the ETag check) computed on a worker thread, so the event loop that
// receives and writes a download never stops to hash it. The MD5 costs nearly as much CPU as
// receiving and writing the bytes (0.19 s against 0.21 s per 128 MiB on the 2-core reference
// machine): on the event loop that time is taken from everything else the core serves
// (playlists, the UI's calls), while on another core it overlaps the transfer when one is free.
//
// Bytes are copied into 1 MiB staging buffers that are *transferred* (not copied again) to the
// worker and transferred back for reuse. At most HASH_WINDOW buffers per job are in the
// worker's hands: beyond that `update` returns a promise, which the download awaits, so a
// slow hashing thread slows the download instead of filling memory.
//
// One worker serves every download (MD5 at ~700 MB/s keeps up with several); it starts on the
// first job, does not keep the process alive, and stops after a minute without work. Its code
// is evaluated from the string below rather than loaded from a file, so the bundled builds
// (dist/main/*.cjs, the Electron app, bundled benches and test children) need no extra entry.
import { Worker } from 'node:worker_threads';

const STAGE_BYTES = 1 << 20;
export const HASH_WINDOW = 8;
const IDLE_STOP_MS = 60_000;
const SPARE_BUFFERS = 2 * HASH_WINDOW;

type ToWorker =
  | { op: 'start'; id: number; algorithm: string }
  | { op: 'update'; id: number; buffer: ArrayBuffer; length: number }
  | { op: 'digest'; id: number }
  | { op: 'drop'; id: number };

type FromWorker =
  | { op: 'returned'; id: number; buffer: ArrayBuffer }
  | { op: 'digest'; id: number; hex: string }
  | { op: 'failed'; id: number; message: string };

// Plain CommonJS, run with `eval: true`. Keep it tiny: it is not type-checked.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const jobs = new Map();
parentPort.on('message', (m) => {
  try {
    if (m.op === 'start') jobs.set(m.id, createHash(m.algorithm));
    else if (m.op === 'update') {
      const hash = jobs.get(m.id);
      if (hash) hash.update(new Uint8Array(m.buffer, 0, m.length));
      parentPort.postMessage({ op: 'returned', id: m.id, buffer: m.buffer }, [m.buffer]);
    } else if (m.op === 'digest') {
      const hash = jobs.get(m.id);
      jobs.delete(m.id);
      if (hash) parentPort.postMessage({ op: 'digest', id: m.id, hex: hash.digest('hex') });
      else parentPort.postMessage({ op: 'failed', id: m.id, message: 'unknown hash job' });
    } else if (m.op === 'drop') jobs.delete(m.id);
  } catch (error) {
    jobs.delete(m.id);
    parentPort.postMessage({ op: 'failed', id: m.id, message: String((error && error.message) || error) });
  }
});
`;

type Deferred<T> = { resolve(value: T): void; reject(error: Error): void };

type Job = {
  inFlight: number;
  /** Callers waiting for the worker to catch up. */
  waiters: Deferred<void>[];
  result: Deferred<string> | null;
  failure: Error | null;
};

let worker: Worker | null = null;
let idleTimer: NodeJS.Timeout | undefined;
let nextJobId = 1;
const jobs = new Map<number, Job>();
const spare: ArrayBuffer[] = [];

function failJob(job: Job, error: Error): void {
  job.failure ??= error;
  for (const waiter of job.waiters.splice(0)) waiter.reject(job.failure);
  job.result?.reject(job.failure);
  job.result = null;
}

function onMessage(message: FromWorker): void {
  const job = jobs.get(message.id);
  if (message.op === 'returned') {
    if (spare.length < SPARE_BUFFERS) spare.push(message.buffer);
    if (!job) return;
    job.inFlight -= 1;
    if (job.inFlight < HASH_WINDOW) for (const waiter of job.waiters.splice(0)) waiter.resolve();
    return;
  }
  if (!job) return;
  forget(message.id);
  if (message.op === 'digest') job.result?.resolve(message.hex);
  else failJob(job, new Error(`hashing failed: ${message.message}`));
}

function ensureWorker(): Worker {
  if (idleTimer) {
    clearTimeout(idleTimer);
    idleTimer = undefined;
  }
  if (worker) return worker;
  const started = new Worker(WORKER_SOURCE, { eval: true });
  const lost = (reason: string) => {
    if (worker !== started) return; // stopped on purpose, or already replaced
    worker = null;
    const error = new Error(`the hashing thread stopped (${reason})`);
    for (const [id, job] of jobs) {
      jobs.delete(id);
      failJob(job, error);
    }
  };
  started.on('message', onMessage);
  started.on('error', (error) => lost(error.message));
  started.on('exit', (code) => lost(`exit code ${code}`));
  worker = started;
  return started;
}

function forget(id: number): void {
  jobs.delete(id);
  if (jobs.size > 0 || !worker) return;
  // Idle: let the process exit without it, and free its memory a while later.
  worker.unref();
  idleTimer = setTimeout(() => {
    idleTimer = undefined;
    void stopHashWorker();
  }, IDLE_STOP_MS);
  idleTimer.unref();
}

/** Stops the hashing thread now; jobs still running fail. The next job starts a new one. */
export async function stopHashWorker(): Promise<void> {
  const running = worker;
  worker = null;
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = undefined;
  const error = new Error('the hashing thread was stopped');
  for (const [id, job] of jobs) {
    jobs.delete(id);
    failJob(job, error);
  }
  spare.length = 0;
  if (running) await running.terminate();
}

/** The hashing thread's id while it runs (diagnostics, tests). */
export function hashWorkerThreadId(): number | null {
  return worker?.threadId ?? null;
}

export type WorkerHash = {
  /**
   * Adds bytes (copied at once: the caller may reuse `chunk`). Returns a promise when the worker
   * is behind; wait for it before the next update. Rejects once the hashing thread failed.
   */
  update(chunk: Uint8Array): Promise<void> | null;
  /** The hex digest of everything added. Call once. */
  digest(): Promise<string>;
  /** Abandons the job (a failed download); safe after digest and safe to repeat. */
  dispose(): void;
};

export function createWorkerHash(algorithm = 'md5'): WorkerHash {
  const thread = ensureWorker();
  thread.ref(); // the digest must arrive even when nothing else keeps the process alive
  const id = nextJobId++;
  const job: Job = { inFlight: 0, waiters: [], result: null, failure: null };
  jobs.set(id, job);
  const post = (message: ToWorker, transfer?: ArrayBuffer[]) => {
    if (job.failure || worker !== thread) throw job.failure ?? new Error('hashing thread lost');
    thread.postMessage(message, transfer);
  };
  post({ op: 'start', id, algorithm });

  let stage: Uint8Array | null = null;
  let filled = 0;
  let finished = false;
  const send = () => {
    const buffer = stage!.buffer as ArrayBuffer;
    stage = null;
    job.inFlight += 1;
    post({ op: 'update', id, buffer, length: filled }, [buffer]);
    filled = 0;
  };

  return {
    update(chunk) {
      if (finished) return Promise.reject(new Error('hash already finished'));
      if (job.failure) return Promise.reject(job.failure);
      try {
        for (let offset = 0; offset < chunk.length;) {
          stage ??= new Uint8Array(spare.pop() ?? new ArrayBuffer(STAGE_BYTES));
          const n = Math.min(STAGE_BYTES - filled, chunk.length - offset);
          stage.set(chunk.subarray(offset, offset + n), filled);
          filled += n;
          offset += n;
          if (filled === STAGE_BYTES) send();
        }
      } catch (error) {
        return Promise.reject(error as Error);
      }
      if (job.inFlight < HASH_WINDOW) return null;
      return new Promise<void>((resolve, reject) => {
        job.waiters.push({ resolve, reject });
      });
    },
    digest() {
      if (finished) return Promise.reject(new Error('hash already finished'));
      finished = true;
      if (job.failure) return Promise.reject(job.failure);
      return new Promise<string>((resolve, reject) => {
        job.result = { resolve, reject };
        if (filled > 0) send();
        post({ op: 'digest', id });
      });
    },
    dispose() {
      if (!jobs.has(id)) return;
      finished = true;
      if (worker === thread) thread.postMessage({ op: 'drop', id } satisfies ToWorker);
      forget(id);
    },
  };
}
