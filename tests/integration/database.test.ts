import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DatabaseTooNewError, migrate, type Migration } from '../../src-main/core/db/migration';
import { migrations } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { makeTempDir } from '../helpers/temp-dir';

describe('database', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  it('creates a WAL database with foreign keys and every migration applied', () => {
    const { db, schemaVersion } = openDatabase(join(dir.path, 'a.db'));
    expect(schemaVersion).toBe(migrations.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const strict = db
      .prepare("SELECT strict FROM pragma_table_list WHERE name = 'settings'")
      .get() as { strict: number };
    expect(strict.strict).toBe(1);
    db.close();
  });

  it('opens an up-to-date database again without re-running migrations', () => {
    const file = join(dir.path, 'a.db');
    openDatabase(file).db.close();
    const again = openDatabase(file);
    expect(again.schemaVersion).toBe(migrations.length);
    again.db.close();
  });

  it('refuses a database written by a newer version, with a message a person can act on', () => {
    const file = join(dir.path, 'future.db');
    const raw = new BetterSqlite3(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(file)).toThrow(/newer Airdeck.*schema 999.*--data/s);
    // Refusing must not touch the file.
    const check = new BetterSqlite3(file);
    expect(check.pragma('user_version', { simple: true })).toBe(999);
    check.close();
  });

  it('applies pending migrations in one transaction: a failure leaves the old schema intact', () => {
    const db = new BetterSqlite3(join(dir.path, 'tx.db'));
    const good: Migration = {
      version: 1,
      name: 'one',
      up: (d) => d.exec('CREATE TABLE one (id INTEGER) STRICT'),
    };
    const bad: Migration = {
      version: 2,
      name: 'two',
      up: (d) => {
        d.exec('CREATE TABLE two (id INTEGER) STRICT');
        throw new Error('disk full');
      },
    };
    expect(() => migrate(db, [good, bad], 'tx.db')).toThrow('disk full');
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(
      db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('one','two')").get(),
    ).toEqual({ n: 0 });
    expect(migrate(db, [good], 'tx.db')).toBe(1);
    db.close();
  });

  it('refuses migrations that skip a number', () => {
    const db = new BetterSqlite3(':memory:');
    const m = (version: number): Migration => ({ version, name: `m${version}`, up: () => {} });
    expect(() => migrate(db, [m(1), m(3)], 'mem')).toThrow(/out of sequence/);
    db.close();
  });
});
