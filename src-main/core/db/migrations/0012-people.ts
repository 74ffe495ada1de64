import type { Migration } from '../migration';

/**
 * People, their sessions and the audit log. A session row keeps only the SHA-256 of its secret,
 * so a copy of the database cannot be replayed as a cookie. The audit log is append-only and
 * keeps the person's name as it was, so deleting an account does not blank its history.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'people',
  up: (db) => {
    db.exec(`
      CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin','operator','scheduler','librarian','editor','viewer')),
        scope TEXT NOT NULL DEFAULT '{"channels":null,"sources":null}' CHECK (json_valid(scope)),
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        totp_secret TEXT,
        totp_pending TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        last_sign_in_at INTEGER
      ) STRICT;

      CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        secret_hash TEXT NOT NULL UNIQUE,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        address TEXT NOT NULL,
        user_agent TEXT NOT NULL,
        transport TEXT NOT NULL CHECK (transport IN ('browser','desktop'))
      ) STRICT;
      CREATE INDEX sessions_person ON sessions(person_id);

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        person_id INTEGER,
        person_name TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        result TEXT NOT NULL CHECK (result IN ('ok','denied','failed')),
        detail TEXT NOT NULL,
        address TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_at ON audit_log(at);
      CREATE INDEX audit_log_person ON audit_log(person_id, id);
    `);
  },
};
