import type { Database } from 'better-sqlite3';
import type { Folder } from '../../../src-shared/contract';
import { AppError } from '../errors';
import { cleanName, isStorableName } from './names';

export const ROOT_FOLDER_ID = 1;

type FolderRow = { id: number; parent_id: number | null; name: string; asset_count: number };

const toFolder = (row: FolderRow): Folder => ({
  id: row.id,
  parentId: row.parent_id,
  name: row.name,
  assetCount: row.asset_count,
});

/** Case-insensitive for every script, not only ASCII as SQLite's NOCASE is. */
const sameName = (a: string, b: string) => a.toLocaleLowerCase() === b.toLocaleLowerCase();

/** The folder tree: names unique per parent, the root fixed, no cycles. */
export function createFolderTree(db: Database, now: () => number) {
  const listAll = db.prepare<[], FolderRow>(`
    SELECT f.id, f.parent_id, f.name, coalesce(c.n, 0) AS asset_count
    FROM folders f LEFT JOIN (SELECT folder_id, count(*) AS n FROM assets GROUP BY folder_id) c
      ON c.folder_id = f.id
    ORDER BY f.parent_id IS NOT NULL, f.name COLLATE NOCASE, f.id`);
  const byId = db.prepare<[number], FolderRow>(`
    SELECT f.id, f.parent_id, f.name, (SELECT count(*) FROM assets a WHERE a.folder_id = f.id) AS asset_count
    FROM folders f WHERE f.id = ?`);
  const children = db.prepare<[number], { id: number; name: string }>(
    'SELECT id, name FROM folders WHERE parent_id = ?',
  );
  const insert = db.prepare<[number, string, number]>(
    'INSERT INTO folders (parent_id, name, created_at) VALUES (?, ?, ?)',
  );
  const setName = db.prepare<[string, number]>('UPDATE folders SET name = ? WHERE id = ?');
  const setParent = db.prepare<[number, number]>('UPDATE folders SET parent_id = ? WHERE id = ?');
  const subtree = db.prepare<[number], { id: number; depth: number }>(`
    WITH RECURSIVE sub(id, depth) AS (
      SELECT ?, 0 UNION ALL SELECT f.id, sub.depth + 1 FROM folders f JOIN sub ON f.parent_id = sub.id
    ) SELECT id, depth FROM sub`);

  function get(id: number): Folder {
    const row = byId.get(id);
    if (!row) throw new AppError('not_found', `Folder ${id} does not exist.`);
    return toFolder(row);
  }

  function validName(raw: string): string {
    const name = cleanName(raw);
    if (!isStorableName(name)) {
      throw new AppError(
        'invalid_request',
        'A folder name cannot be empty, contain / or \\, or be . or ..',
      );
    }
    return name;
  }

  function assertFreeName(parentId: number, name: string, exceptId?: number): void {
    const clash = children.all(parentId).find((c) => c.id !== exceptId && sameName(c.name, name));
    if (clash) {
      const parent = get(parentId);
      throw new AppError(
        'conflict',
        `A folder named “${clash.name}” already exists in “${parent.name}”.`,
      );
    }
  }

  function assertNotRoot(id: number, action: string): void {
    if (id === ROOT_FOLDER_ID)
      throw new AppError('forbidden', `The library root cannot be ${action}.`);
  }

  return {
    list: (): Folder[] => listAll.all().map(toFolder),
    get,

    create(parentId: number, rawName: string): Folder {
      const name = validName(rawName);
      return db.transaction(() => {
        get(parentId);
        assertFreeName(parentId, name);
        const id = Number(insert.run(parentId, name, now()).lastInsertRowid);
        return get(id);
      })();
    },

    rename(id: number, rawName: string): Folder {
      assertNotRoot(id, 'renamed');
      const name = validName(rawName);
      return db.transaction(() => {
        const folder = get(id);
        assertFreeName(folder.parentId ?? ROOT_FOLDER_ID, name, id);
        setName.run(name, id);
        return get(id);
      })();
    },

    move(id: number, parentId: number): Folder {
      assertNotRoot(id, 'moved');
      return db.transaction(() => {
        const folder = get(id);
        get(parentId);
        if (subtree.all(id).some((f) => f.id === parentId)) {
          throw new AppError(
            'conflict',
            `“${folder.name}” cannot be moved into itself or one of its sub-folders.`,
          );
        }
        if (folder.parentId === parentId) return folder;
        assertFreeName(parentId, folder.name, id);
        setParent.run(parentId, id);
        return get(id);
      })();
    },

    /** The folder and all folders below it, deepest last. */
    subtree: (id: number) => subtree.all(id),

    /** Finds or makes each segment below `parentId`; returns the last folder's id. */
    ensurePath(parentId: number, segments: readonly string[]): number {
      return db.transaction(() => {
        let current = parentId;
        for (const raw of segments) {
          const name = validName(raw);
          const existing = children.all(current).find((c) => sameName(c.name, name));
          current = existing
            ? existing.id
            : Number(insert.run(current, name, now()).lastInsertRowid);
        }
        return current;
      })();
    },

    /** Resolves without creating; null when a segment is missing. */
    findPath(parentId: number, segments: readonly string[]): number | null {
      let current = parentId;
      for (const name of segments) {
        const existing = children.all(current).find((c) => sameName(c.name, name));
        if (!existing) return null;
        current = existing.id;
      }
      return current;
    },
  };
}

export type FolderTree = ReturnType<typeof createFolderTree>;
