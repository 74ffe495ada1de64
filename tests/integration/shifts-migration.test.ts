// The shifts migration widens people.role's CHECK in place: a database from before it keeps its
// people and sessions (a table rebuild would have cascaded them away) and accepts managers.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src-main/core/db/migration';
import { migrations } from '../../src-main/core/db/migrations';
import { makeTempDir } from '../helpers/temp-dir';

describe('migration shifts-stats on an existing station', () => {
  const dir = makeTempDir();
  afterEach(() => dir.remove());

  it('keeps people and sessions, admits the manager role and nothing else', () => {
    const file = join(dir.path, 'old.db');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    const shifts = migrations.find((m) => m.name === 'shifts-stats')!;
    migrate(
      db,
      migrations.filter((m) => m.version < shifts.version),
      file,
    );
    db.prepare(
      `INSERT INTO people (id, username, display_name, password_hash, role, created_at, updated_at)
       VALUES (1, 'ed', 'Ed', 'x', 'editor', 0, 0)`,
    ).run();
    db.prepare(
      `INSERT INTO sessions (secret_hash, person_id, created_at, last_seen_at, expires_at, address, user_agent, transport)
       VALUES ('h', 1, 0, 0, 1, '::1', 'ua', 'browser')`,
    ).run();
    expect(() => db.prepare("UPDATE people SET role = 'manager' WHERE id = 1").run()).toThrow(
      /CHECK/,
    );

    migrate(db, migrations, file);
    db.close();
    const again = new Database(file);
    again.pragma('foreign_keys = ON');
    again.prepare("UPDATE people SET role = 'manager' WHERE id = 1").run();
    expect(again.prepare('SELECT role FROM people').all()).toEqual([{ role: 'manager' }]);
    expect(again.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 1 });
    expect(() => again.prepare("UPDATE people SET role = 'boss' WHERE id = 1").run()).toThrow(
      /CHECK/,
    );
    expect(again.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    again.close();
  });
});
