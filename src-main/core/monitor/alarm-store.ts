// The alarm log in SQLite: one row per alarm, written when raised, updated when it clears or
// is acknowledged.
import type { Database, Statement } from 'better-sqlite3';
import type {
  Alarm,
  AlarmKind,
  AlarmSeverity,
  AlarmSourceKind,
} from '../../../src-shared/contract';

type AlarmRow = {
  id: number;
  source_kind: AlarmSourceKind;
  source_id: number;
  source_name: string;
  kind: AlarmKind;
  severity: AlarmSeverity;
  item_id: number | null;
  raised_at: number;
  cleared_at: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  message: string;
};

const toAlarm = (row: AlarmRow): Alarm => ({
  id: row.id,
  sourceKind: row.source_kind,
  sourceId: row.source_id,
  sourceName: row.source_name,
  kind: row.kind,
  severity: row.severity,
  itemId: row.item_id,
  raisedAt: row.raised_at,
  clearedAt: row.cleared_at,
  acknowledgedAt: row.acknowledged_at,
  acknowledgedBy: row.acknowledged_by,
  message: row.message,
});

export type NewAlarm = Omit<Alarm, 'id' | 'clearedAt' | 'acknowledgedAt' | 'acknowledgedBy'>;

export type AlarmLogFilter = {
  beforeId?: number;
  limit: number;
  kind?: AlarmKind;
  sourceKind?: AlarmSourceKind;
  sourceId?: number;
  since?: number;
};

export type AlarmStore = {
  insert(alarm: NewAlarm): Alarm;
  clear(id: number, at: number): Alarm | undefined;
  acknowledge(id: number, at: number, by: string): Alarm | undefined;
  get(id: number): Alarm | undefined;
  active(): Alarm[];
  log(filter: AlarmLogFilter): Alarm[];
  /** Closes alarms left active by a previous run (their detectors judge again). */
  closeStale(at: number): number;
};

export function createAlarmStore(db: Database): AlarmStore {
  const insert = db.prepare<
    [string, number, string, string, string, number | null, number, string],
    { id: number }
  >(
    `INSERT INTO alarms (source_kind, source_id, source_name, kind, severity, item_id, raised_at, message)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  );
  const byId = db.prepare<[number], AlarmRow>('SELECT * FROM alarms WHERE id = ?');
  const clear = db.prepare<[number, number]>(
    'UPDATE alarms SET cleared_at = ? WHERE id = ? AND cleared_at IS NULL',
  );
  const acknowledge = db.prepare<[number, string, number]>(
    `UPDATE alarms SET acknowledged_at = ?, acknowledged_by = ?
     WHERE id = ? AND acknowledged_at IS NULL`,
  );
  const active = db.prepare<[], AlarmRow>(
    'SELECT * FROM alarms WHERE cleared_at IS NULL ORDER BY id DESC',
  );
  const closeStale = db.prepare<[number]>(
    'UPDATE alarms SET cleared_at = ? WHERE cleared_at IS NULL',
  );

  const logStatements = new Map<string, Statement<(string | number)[], AlarmRow>>();

  return {
    insert(alarm) {
      const { id } = insert.get(
        alarm.sourceKind,
        alarm.sourceId,
        alarm.sourceName,
        alarm.kind,
        alarm.severity,
        alarm.itemId,
        alarm.raisedAt,
        alarm.message,
      )!;
      return { ...alarm, id, clearedAt: null, acknowledgedAt: null, acknowledgedBy: null };
    },
    clear(id, at) {
      clear.run(at, id);
      const row = byId.get(id);
      return row ? toAlarm(row) : undefined;
    },
    acknowledge(id, at, by) {
      acknowledge.run(at, by, id);
      const row = byId.get(id);
      return row ? toAlarm(row) : undefined;
    },
    get(id) {
      const row = byId.get(id);
      return row ? toAlarm(row) : undefined;
    },
    active: () => active.all().map(toAlarm),
    log(filter) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (filter.beforeId !== undefined) {
        where.push('id < ?');
        params.push(filter.beforeId);
      }
      if (filter.kind !== undefined) {
        where.push('kind = ?');
        params.push(filter.kind);
      }
      if (filter.sourceKind !== undefined) {
        where.push('source_kind = ?');
        params.push(filter.sourceKind);
      }
      if (filter.sourceId !== undefined) {
        where.push('source_id = ?');
        params.push(filter.sourceId);
      }
      if (filter.since !== undefined) {
        where.push('raised_at >= ?');
        params.push(filter.since);
      }
      const sql = `SELECT * FROM alarms ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT ?`;
      // At most 32 filter shapes, each prepared once.
      let statement = logStatements.get(sql);
      if (!statement) {
        statement = db.prepare<(string | number)[], AlarmRow>(sql);
        logStatements.set(sql, statement);
      }
      return statement.all(...params, filter.limit).map(toAlarm);
    },
    closeStale: (at) => closeStale.run(at).changes,
  };
}
