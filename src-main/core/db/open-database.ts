import { chmodSync, closeSync, openSync } from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate } from './migration';
import { migrations } from './migrations';

export type OpenDatabaseOptions = {
  /**
   * Path to a better-sqlite3 addon built for another ABI. The desktop app passes the one built
   * for Electron so the Node build in node_modules keeps working for `serve` and tests.
   */
  nativeBinding?: string;
  readonly?: boolean;
};

export type OpenedDatabase = { db: Database; schemaVersion: number; file: string };

/** The station's schedule, people and settings: readable by the owner of the data folder only. */
const DB_FILE_MODE = 0o600;

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

/** Creates the file 0600 before SQLite does (it would use 0644 less the umask). */
function createPrivately(file: string): void {
  try {
    closeSync(openSync(file, 'wx', DB_FILE_MODE));
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
  }
}

/**
 * A database made by an older build is 0644: tighten it, and its WAL and shared-memory files
 * (SQLite gives those the main file's mode when it creates them, but they may predate this).
 */
function restrictModes(file: string): void {
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(path, DB_FILE_MODE);
    } catch (error) {
      // Missing: not created yet. Not ours (EPERM): its owner decides; refusing to start helps no one.
      if (!isErrno(error, 'ENOENT') && !isErrno(error, 'EPERM')) throw error;
    }
  }
}

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): OpenedDatabase {
  const writable = !(options.readonly ?? false);
  const onDisk = writable && file !== ':memory:' && file !== '';
  if (onDisk) createPrivately(file);
  const db = new BetterSqlite3(file, {
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    readonly: options.readonly ?? false,
  });
  try {
    db.pragma('journal_mode = WAL');
    if (onDisk) restrictModes(file);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    const schemaVersion = migrate(db, migrations, file);
    return { db, schemaVersion, file };
  } catch (error) {
    db.close();
    throw error;
  }
}
