// Wall layouts as stored (table wall_layouts, migration 0010).
import type { Database } from 'better-sqlite3';
import { WallCellSchema, type WallLayout, type WallLayoutSave } from '../../../src-shared/contract';
import { z } from 'zod';

type RawRow = {
  id: number;
  name: string;
  cols: number;
  rows: number;
  cells: string;
  created_at: number;
  updated_at: number;
};

const StoredCells = z.array(WallCellSchema);

function toLayout(row: RawRow): WallLayout {
  // A row written by this code always parses; anything else shows as empty cells, never a crash.
  const parsed = StoredCells.safeParse(JSON.parse(row.cells));
  const size = row.cols * row.rows;
  const cells = parsed.success ? parsed.data.slice(0, size) : [];
  while (cells.length < size) cells.push({ kind: 'empty' });
  return {
    id: row.id,
    name: row.name,
    cols: row.cols,
    rows: row.rows,
    cells,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createWallStore(db: Database, now: () => number) {
  const list = db.prepare<[], RawRow>(
    'SELECT * FROM wall_layouts ORDER BY name COLLATE NOCASE, id',
  );
  const get = db.prepare<[number], RawRow>('SELECT * FROM wall_layouts WHERE id = ?');
  const byName = db.prepare<[string], { id: number }>(
    'SELECT id FROM wall_layouts WHERE name = ? COLLATE NOCASE',
  );
  const insert = db.prepare<[string, number, number, string, number, number]>(
    `INSERT INTO wall_layouts (name, cols, rows, cells, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const update = db.prepare<[string, number, number, string, number, number]>(
    'UPDATE wall_layouts SET name = ?, cols = ?, rows = ?, cells = ?, updated_at = ? WHERE id = ?',
  );
  const remove = db.prepare<[number]>('DELETE FROM wall_layouts WHERE id = ?');
  const channel = db.prepare<[number], { id: number }>('SELECT id FROM channels WHERE id = ?');

  return {
    list: (): WallLayout[] => list.all().map(toLayout),
    get: (id: number): WallLayout | undefined => {
      const row = get.get(id);
      return row ? toLayout(row) : undefined;
    },
    /** Id of the layout holding this name (names are unique, case-insensitively). */
    idByName: (name: string): number | undefined => byName.get(name)?.id,
    channelExists: (id: number): boolean => channel.get(id) !== undefined,
    save(input: WallLayoutSave): number {
      const cells = JSON.stringify(input.cells);
      const at = now();
      if (input.id === undefined) {
        return Number(
          insert.run(input.name, input.cols, input.rows, cells, at, at).lastInsertRowid,
        );
      }
      update.run(input.name, input.cols, input.rows, cells, at, input.id);
      return input.id;
    },
    remove: (id: number): boolean => remove.run(id).changes > 0,
  };
}
