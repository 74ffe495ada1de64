import type { Database } from 'better-sqlite3';
import type { AsRunRow } from '../../../src-shared/contract';
import type { Checkpoint } from '../../../src-shared/playout';

export type ChannelPlayoutRow = {
  channel_id: number;
  on_air: number;
  epoch_at: number | null;
  held_since: number | null;
  updated_at: number;
};

type AsRunDbRow = {
  id: number;
  channel_id: number;
  kind: AsRunRow['kind'];
  item_id: number | null;
  asset_id: number | null;
  title: string;
  scheduled_at: number | null;
  entry_at: number | null;
  aired_at: number;
  duration_ms: number;
  msn: number | null;
  disc_seq: number | null;
  note: string | null;
  created_at: number;
};

export type AsRunInsert = Omit<AsRunDbRow, 'id' | 'created_at'>;

const toRow = (r: AsRunDbRow): AsRunRow => ({
  id: r.id,
  channelId: r.channel_id,
  kind: r.kind,
  itemId: r.item_id,
  assetId: r.asset_id,
  title: r.title,
  scheduledAt: r.scheduled_at,
  airedAt: r.aired_at,
  durationMs: r.duration_ms,
  msn: r.msn,
  discSeq: r.disc_seq,
  note: r.note,
  createdAt: r.created_at,
});

/** Every SQL statement of playout, prepared once. */
export function createPlayoutStore(db: Database, now: () => number) {
  const state = db.prepare<[number], ChannelPlayoutRow>(
    'SELECT * FROM channel_playout WHERE channel_id = ?',
  );
  const allStates = db.prepare<[], ChannelPlayoutRow>('SELECT * FROM channel_playout');
  const upsert = db.prepare(
    `INSERT INTO channel_playout (channel_id, on_air, epoch_at, held_since, updated_at)
     VALUES (@channel_id, @on_air, @epoch_at, @held_since, @updated_at)
     ON CONFLICT(channel_id) DO UPDATE SET on_air = excluded.on_air, epoch_at = excluded.epoch_at,
       held_since = excluded.held_since, updated_at = excluded.updated_at`,
  );
  const insertRun = db.prepare(
    `INSERT OR IGNORE INTO as_run (channel_id, kind, item_id, asset_id, title, scheduled_at, entry_at, aired_at, duration_ms, msn, disc_seq, note, created_at)
     VALUES (@channel_id, @kind, @item_id, @asset_id, @title, @scheduled_at, @entry_at, @aired_at, @duration_ms, @msn, @disc_seq, @note, @created_at)`,
  );
  const byId = db.prepare<[number], AsRunDbRow>('SELECT * FROM as_run WHERE id = ?');
  const checkpointAt = db.prepare<
    [number, number],
    { entry_at: number; msn: number; disc_seq: number }
  >(
    `SELECT entry_at, msn, disc_seq FROM as_run
     WHERE channel_id = ? AND entry_at IS NOT NULL AND entry_at <= ? AND msn IS NOT NULL AND disc_seq IS NOT NULL
     ORDER BY entry_at DESC LIMIT 1`,
  );
  const checkpointMsn = db.prepare<
    [number, number],
    { entry_at: number; msn: number; disc_seq: number }
  >(
    `SELECT entry_at, msn, disc_seq FROM as_run
     WHERE channel_id = ? AND entry_at IS NOT NULL AND msn IS NOT NULL AND msn <= ? AND disc_seq IS NOT NULL
     ORDER BY msn DESC, entry_at DESC LIMIT 1`,
  );
  const lastEntry = db.prepare<[number], AsRunDbRow>(
    `SELECT * FROM as_run WHERE channel_id = ? AND entry_at IS NOT NULL ORDER BY entry_at DESC LIMIT 1`,
  );
  const setNote = db.prepare<[string, number]>('UPDATE as_run SET note = ? WHERE id = ?');
  const setDuration = db.prepare<[number, number]>(
    'UPDATE as_run SET duration_ms = ? WHERE id = ?',
  );
  const range = db.prepare<[number, number, number], AsRunDbRow>(
    'SELECT * FROM as_run WHERE channel_id = ? AND aired_at >= ? AND aired_at < ? ORDER BY aired_at, id',
  );
  const settingGet = db.prepare<[string], { value: string }>(
    'SELECT value FROM playout_settings WHERE key = ?',
  );
  const settingSet = db.prepare<[string, string, number]>(
    'INSERT INTO playout_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );

  // Bumped on every state write, so a reader may keep what it derived from the states until then.
  let stateVersion = 0;

  return {
    state: (channelId: number) => state.get(channelId),
    stateVersion: () => stateVersion,
    states: () => allStates.all(),
    saveState(row: Omit<ChannelPlayoutRow, 'updated_at'>): void {
      upsert.run({ ...row, updated_at: now() });
      stateVersion += 1;
    },
    /** Appends a row; null when an entry row for that instant exists already. */
    append(row: AsRunInsert): AsRunRow | null {
      const result = insertRun.run({ ...row, created_at: now() });
      if (result.changes === 0) return null;
      const stored = byId.get(Number(result.lastInsertRowid));
      return stored ? toRow(stored) : null;
    },
    /** The latest checkpoint at or before `at`. */
    checkpoint(channelId: number, at: number): Checkpoint | undefined {
      const row = checkpointAt.get(channelId, at);
      return row ? { at: row.entry_at, msn: row.msn, disc: row.disc_seq } : undefined;
    },
    /** The latest checkpoint whose first segment is at or before media sequence `msn`. */
    checkpointByMsn(channelId: number, msn: number): Checkpoint | undefined {
      const row = checkpointMsn.get(channelId, msn);
      return row ? { at: row.entry_at, msn: row.msn, disc: row.disc_seq } : undefined;
    },
    lastEntry(channelId: number) {
      const row = lastEntry.get(channelId);
      return row ? { ...toRow(row), entryAt: row.entry_at as number } : undefined;
    },
    get(id: number): AsRunRow | undefined {
      const row = byId.get(id);
      return row ? toRow(row) : undefined;
    },
    setNote: (id: number, note: string) => setNote.run(note, id),
    setDuration: (id: number, durationMs: number) => setDuration.run(durationMs, id),
    list: (channelId: number, from: number, to: number) =>
      range.all(channelId, from, to).map(toRow),
    setting: (key: string) => settingGet.get(key)?.value,
    saveSetting: (key: string, value: string) => settingSet.run(key, value, now()),
  };
}
export type PlayoutStore = ReturnType<typeof createPlayoutStore>;
