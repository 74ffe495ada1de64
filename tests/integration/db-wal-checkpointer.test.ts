import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/core/db/open-database';
import { startWalCheckpointer } from '../../src-main/core/db/wal-checkpointer';
import type { Logger } from '../../src-main/core/logger';
import { makeTempDir } from '../helpers/temp-dir';

const recordingLogger = () => {
  const warnings: string[] = [];
  const logger: Logger = { info: () => {}, warn: (m) => void warnings.push(m), error: () => {} };
  return { logger, warnings };
};

const waitFor = async (what: string, check: () => boolean) => {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('database: the write-ahead log is checkpointed off the event loop', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  function database() {
    const dir = makeTempDir('airdeck-wal-');
    dirs.push(dir);
    const file = join(dir.path, 'airdeck.db');
    const { db } = openDatabase(file);
    db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO blobs (body) VALUES (?)');
    // One commit per row, as the as-run ticker does: 2,000 commits of a page and more each.
    const write = (rows: number) => {
      for (let i = 0; i < rows; i += 1) insert.run(Buffer.alloc(5000, i % 251));
    };
    return { db, file, write };
  }

  it('leaves the core connection to commit only, and copies the log back on the worker', async () => {
    const { db, file, write } = database();
    const { logger, warnings } = recordingLogger();
    const checkpointer = startWalCheckpointer({ db, file, logger, intervalMs: 60_000 });
    try {
      await waitFor(
        'the worker to take over',
        () => db.pragma('wal_autocheckpoint', { simple: true }) === 0,
      );
      write(2000);
      // Past SQLite's own 1,000-page trigger, and nothing on this connection copied it back.
      const walPages = statSync(`${file}-wal`).size / 4096;
      expect(walPages).toBeGreaterThan(2000);
      const result = await checkpointer.checkpointNow();
      expect(result.log).toBeGreaterThan(2000);
      expect(result.checkpointed).toBe(result.log);
      // Copied: the database file now holds the rows (a reader without the log would see them).
      expect(statSync(file).size).toBeGreaterThan(2000 * 5000);
      expect(db.prepare('SELECT count(*) AS n FROM blobs').get()).toEqual({ n: 2000 });
      expect(warnings).toEqual([]);
    } finally {
      await checkpointer.stop();
    }
    // Stopped: the connection checkpoints by itself again.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });

  it('keeps SQLite checkpointing inline when the worker cannot open the database', async () => {
    const { db, file, write } = database();
    const { logger, warnings } = recordingLogger();
    const checkpointer = startWalCheckpointer({
      db,
      file,
      logger,
      nativeBinding: join(file, 'no-such-addon.node'),
    });
    await waitFor('the failure to be reported', () => warnings.length > 0);
    expect(warnings[0]).toMatch(/checkpoint thread failed [\s\S]*checkpointing inline/);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    write(1500);
    // SQLite's own checkpoint ran in a commit: the log was reset and reused, not grown.
    expect(statSync(`${file}-wal`).size / 4096).toBeLessThan(1500);
    await checkpointer.stop();
    db.close();
  });
});
