// Copies the write-ahead log back into the database file on a worker thread. SQLite does that
// by itself inside whichever commit pushes the log past 1,000 pages, and a checkpoint ends
// with an fsync of the database file: on the 500-channel station (a 140 MB database, a dozen
// as-run commits a second) that commit held the event loop 70–360 ms every half minute,
// longer than anything else the playout does. Here the core's own connection never
// checkpoints; a second connection on a worker thread runs a PASSIVE checkpoint (it waits for
// no reader or writer) every few seconds. Should the worker fail to start or die, the core's
// connection checkpoints by itself again, as before.
//
// The worker's code is evaluated from the string below, so the bundled builds need no extra
// entry (as for the download hash); it loads the same better-sqlite3 build as the core (the
// desktop app passes the Electron one).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import type { Logger } from '../logger';

const DEFAULT_INTERVAL_MS = 5_000;
/** SQLite's own default, restored when the worker cannot do the job. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

// Plain CommonJS, run with `eval: true`. Keep it tiny: it is not type-checked.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
db.pragma('busy_timeout = 1000');
parentPort.on('message', (m) => {
  if (m === 'close') { db.close(); parentPort.close(); return; }
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ op: 'done', log: r.log, checkpointed: r.checkpointed });
  } catch (error) {
    parentPort.postMessage({ op: 'failed', message: String((error && error.message) || error) });
  }
});
parentPort.postMessage({ op: 'ready' });
`;

type FromWorker =
  | { op: 'ready' }
  | { op: 'done'; log: number; checkpointed: number }
  | { op: 'failed'; message: string };

export type WalCheckpointer = {
  /** Resolves with the pages copied once the next checkpoint has run (tests). */
  checkpointNow(): Promise<{ log: number; checkpointed: number }>;
  /** Stops the worker; the core's connection is left checkpointing by itself. */
  stop(): Promise<void>;
};

function betterSqlitePath(): string {
  // As for ffmpeg-static: works from vitest and from the esbuild CJS bundle.
  const base = typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js');
  return createRequire(base).resolve('better-sqlite3');
}

export function startWalCheckpointer(options: {
  db: Database;
  file: string;
  nativeBinding?: string;
  logger: Logger;
  intervalMs?: number;
}): WalCheckpointer {
  const { db, logger } = options;
  type Result = { log: number; checkpointed: number };
  const waiting: { resolve(r: Result): void; reject(e: Error): void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let lastFailure = '';
  let exited = false;

  const selfCheckpointing = () => {
    if (!db.open) return;
    db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
  };

  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      module: betterSqlitePath(),
      file: options.file,
      nativeBinding: options.nativeBinding ?? null,
    },
  });
  worker.unref();
  worker.on('message', (message: FromWorker) => {
    if (message.op === 'ready') {
      if (stopped || !db.open) return;
      db.pragma('wal_autocheckpoint = 0');
      timer = setInterval(
        () => worker.postMessage('checkpoint'),
        options.intervalMs ?? DEFAULT_INTERVAL_MS,
      );
      timer.unref();
      return;
    }
    if (message.op === 'failed') {
      // A busy database is retried at the next interval; say so once, not every time.
      if (message.message !== lastFailure) logger.warn(`database checkpoint: ${message.message}`);
      lastFailure = message.message;
      for (const w of waiting.splice(0)) w.reject(new Error(message.message));
      return;
    }
    lastFailure = '';
    for (const w of waiting.splice(0)) w.resolve(message);
  });
  worker.on('error', (error) => {
    logger.warn(`database checkpoint thread failed (${error.message}); checkpointing inline`);
    selfCheckpointing();
  });
  worker.on('exit', () => {
    exited = true;
    if (timer) clearInterval(timer);
    for (const w of waiting.splice(0)) w.reject(new Error('the checkpoint thread has stopped'));
    if (!stopped) selfCheckpointing();
  });

  return {
    checkpointNow() {
      if (exited) return Promise.reject(new Error('the checkpoint thread has stopped'));
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.postMessage('checkpoint');
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      if (!exited) {
        const gone = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        // Unreferenced so it never keeps a process alive, but a close must see it go.
        worker.ref();
        worker.postMessage('close');
        await gone;
      }
      selfCheckpointing();
    },
  };
}
