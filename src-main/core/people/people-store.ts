import type { Database } from 'better-sqlite3';
import {
  ScopeSchema,
  type AuditEntry,
  type AuditFilter,
  type Person,
  type Role,
  type Scope,
} from '../../../src-shared/contract';

type PersonRow = {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  scope: string;
  disabled: number;
  totp_secret: string | null;
  totp_pending: string | null;
  created_at: number;
  last_sign_in_at: number | null;
};

export type StoredPerson = Person & {
  passwordHash: string;
  totpSecret: string | null;
  totpPending: string | null;
};

export type SessionRow = {
  id: number;
  person_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  address: string;
  user_agent: string;
  transport: 'browser' | 'desktop';
};

type AuditRow = {
  id: number;
  at: number;
  person_id: number | null;
  person_name: string;
  action: string;
  target: string;
  result: AuditEntry['result'];
  detail: string;
  address: string;
};

function parseScope(text: string): Scope {
  try {
    return ScopeSchema.parse(JSON.parse(text));
  } catch {
    // A damaged scope limits to nothing rather than everything.
    return { channels: [], sources: [] };
  }
}

function toPerson(row: PersonRow): StoredPerson {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    scope: parseScope(row.scope),
    disabled: row.disabled === 1,
    totpEnabled: row.totp_secret !== null,
    createdAt: row.created_at,
    lastSignInAt: row.last_sign_in_at,
    passwordHash: row.password_hash,
    totpSecret: row.totp_secret,
    totpPending: row.totp_pending,
  };
}

export function publicPerson(person: StoredPerson): Person {
  const { passwordHash: _h, totpSecret: _s, totpPending: _p, ...rest } = person;
  return rest;
}

function toAudit(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    personId: row.person_id,
    personName: row.person_name,
    action: row.action,
    target: row.target,
    result: row.result,
    detail: row.detail,
    address: row.address,
  };
}

/** Every statement of people, sessions and audit, prepared once. */
export function createPeopleStore(db: Database) {
  const q = {
    count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM people'),
    all: db.prepare<[], PersonRow>('SELECT * FROM people ORDER BY display_name COLLATE NOCASE'),
    byId: db.prepare<[number], PersonRow>('SELECT * FROM people WHERE id = ?'),
    byUsername: db.prepare<[string], PersonRow>('SELECT * FROM people WHERE username = ?'),
    activeAdmins: db.prepare<[], { id: number }>(
      "SELECT id FROM people WHERE role = 'admin' AND disabled = 0",
    ),
    insert: db.prepare<[string, string, string, Role, string, number, number]>(
      `INSERT INTO people (username, display_name, password_hash, role, scope, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    update: db.prepare<[string, Role, string, number, number, number]>(
      `UPDATE people SET display_name = ?, role = ?, scope = ?, disabled = ?, updated_at = ?
       WHERE id = ?`,
    ),
    setPassword: db.prepare<[string, number, number]>(
      'UPDATE people SET password_hash = ?, updated_at = ? WHERE id = ?',
    ),
    setTotp: db.prepare<[string | null, string | null, number, number]>(
      'UPDATE people SET totp_secret = ?, totp_pending = ?, updated_at = ? WHERE id = ?',
    ),
    signedIn: db.prepare<[number, number]>('UPDATE people SET last_sign_in_at = ? WHERE id = ?'),
    remove: db.prepare<[number]>('DELETE FROM people WHERE id = ?'),

    sessionInsert: db.prepare<[string, number, number, number, number, string, string, string]>(
      `INSERT INTO sessions (secret_hash, person_id, created_at, last_seen_at, expires_at, address,
         user_agent, transport) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    sessionByHash: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE secret_hash = ?'),
    sessionById: db.prepare<[number], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    sessionsOf: db.prepare<[number], SessionRow>(
      'SELECT * FROM sessions WHERE person_id = ? ORDER BY last_seen_at DESC',
    ),
    sessionTouch: db.prepare<[number, number]>('UPDATE sessions SET last_seen_at = ? WHERE id = ?'),
    sessionDelete: db.prepare<[number]>('DELETE FROM sessions WHERE id = ?'),
    sessionIdsOf: db.prepare<[number], { id: number }>(
      'SELECT id FROM sessions WHERE person_id = ?',
    ),
    sessionsExpired: db.prepare<[number, number], { id: number }>(
      'SELECT id FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?',
    ),

    auditInsert: db.prepare<
      [number, number | null, string, string, string, string, string, string]
    >(
      `INSERT INTO audit_log (at, person_id, person_name, action, target, result, detail, address)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    ),
  };

  return {
    count: () => q.count.get()!.n,
    list: () => q.all.all().map(toPerson),
    get: (id: number) => {
      const row = q.byId.get(id);
      return row ? toPerson(row) : undefined;
    },
    byUsername: (username: string) => {
      const row = q.byUsername.get(username);
      return row ? toPerson(row) : undefined;
    },
    activeAdminIds: () => q.activeAdmins.all().map((r) => r.id),
    insert(
      p: { username: string; displayName: string; hash: string; role: Role; scope: Scope },
      at: number,
    ) {
      return Number(
        q.insert.run(p.username, p.displayName, p.hash, p.role, JSON.stringify(p.scope), at, at)
          .lastInsertRowid,
      );
    },
    update(p: StoredPerson, at: number) {
      q.update.run(p.displayName, p.role, JSON.stringify(p.scope), p.disabled ? 1 : 0, at, p.id);
    },
    setPassword: (id: number, hash: string, at: number) => q.setPassword.run(hash, at, id),
    setTotp: (id: number, secret: string | null, pending: string | null, at: number) =>
      q.setTotp.run(secret, pending, at, id),
    markSignedIn: (id: number, at: number) => q.signedIn.run(at, id),
    remove: (id: number) => q.remove.run(id).changes > 0,

    sessionInsert(s: {
      secretHash: string;
      personId: number;
      at: number;
      expiresAt: number;
      address: string;
      userAgent: string;
      transport: 'browser' | 'desktop';
    }) {
      return Number(
        q.sessionInsert.run(
          s.secretHash,
          s.personId,
          s.at,
          s.at,
          s.expiresAt,
          s.address,
          s.userAgent,
          s.transport,
        ).lastInsertRowid,
      );
    },
    sessionByHash: (hash: string) => q.sessionByHash.get(hash),
    sessionById: (id: number) => q.sessionById.get(id),
    sessionsOf: (personId: number) => q.sessionsOf.all(personId),
    sessionIdsOf: (personId: number) => q.sessionIdsOf.all(personId).map((r) => r.id),
    sessionTouch: (id: number, at: number) => q.sessionTouch.run(at, id),
    sessionDelete: (id: number) => q.sessionDelete.run(id).changes > 0,
    sessionsExpired: (now: number, idleBefore: number) =>
      q.sessionsExpired.all(now, idleBefore).map((r) => r.id),

    auditAppend(e: Omit<AuditEntry, 'id'>): AuditEntry {
      const row = q.auditInsert.get(
        e.at,
        e.personId,
        e.personName,
        e.action,
        e.target,
        e.result,
        e.detail,
        e.address,
      ) as AuditRow;
      return toAudit(row);
    },
    auditList(filter: AuditFilter, before: number | undefined, limit: number): AuditEntry[] {
      // Filters are optional, so the statement is composed; every value is still a parameter.
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (before !== undefined) {
        where.push('id < ?');
        args.push(before);
      }
      if (filter.personId !== undefined) {
        where.push('person_id = ?');
        args.push(filter.personId);
      }
      if (filter.action) {
        where.push('action = ?');
        args.push(filter.action);
      }
      if (filter.result) {
        where.push('result = ?');
        args.push(filter.result);
      }
      if (filter.from !== undefined) {
        where.push('at >= ?');
        args.push(filter.from);
      }
      if (filter.to !== undefined) {
        where.push('at < ?');
        args.push(filter.to);
      }
      if (filter.text) {
        where.push(
          "(target LIKE ? ESCAPE '\\' OR detail LIKE ? ESCAPE '\\' OR person_name LIKE ? ESCAPE '\\')",
        );
        const like = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        args.push(like, like, like);
      }
      const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT ?`;
      return (db.prepare(sql).all(...args, limit) as AuditRow[]).map(toAudit);
    },
  };
}
export type PeopleStore = ReturnType<typeof createPeopleStore>;
