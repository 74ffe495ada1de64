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

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): OpenedDatabase {
  const db = new BetterSqlite3(file, {
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    readonly: options.readonly ?? false,
  });
  try {
    db.pragma('journal_mode = WAL');
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
