import type { Database } from 'better-sqlite3';

export type Migration = {
  version: number;
  name: string;
  up: (db: Database) => void;
};

export class DatabaseTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `The database ${file} was written by a newer Airdeck (schema ${found}; this build knows up to ${known}). ` +
        'Install the newer Airdeck, or start this one with another data folder (--data DIR).',
    );
    this.name = 'DatabaseTooNewError';
  }
}

/**
 * Brings the schema up to date in one transaction, tracked by `PRAGMA user_version`: a crash
 * half-way leaves the previous version intact.
 */
export function migrate(db: Database, migrations: readonly Migration[], file: string): number {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) throw new DatabaseTooNewError(file, current, latest);
  const pending = [...migrations]
    .filter((m) => m.version > current)
    .sort((a, b) => a.version - b.version);
  if (pending.length === 0) return current;
  pending.forEach((m, i) => {
    const expected = current + i + 1;
    if (m.version !== expected)
      throw new Error(
        `Migration ${m.version}-${m.name} is out of sequence (expected ${expected}).`,
      );
  });
  db.transaction(() => {
    for (const m of pending) m.up(db);
    db.pragma(`user_version = ${latest}`);
  })();
  return latest;
}
