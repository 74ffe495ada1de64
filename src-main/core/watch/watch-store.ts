import type { Database } from 'better-sqlite3';

export type WatchFolderRow = {
  id: number;
  disk_path: string;
  folder_id: number;
  enabled: number;
  created_at: number;
};
export type WatchFileRow = {
  rel_path: string;
  size: number;
  mtime_ms: number;
  asset_id: number | null;
};

/** The SQL of watch folders and of the files they have already imported. */
export function createWatchStore(db: Database) {
  const all = db.prepare<[], WatchFolderRow>('SELECT * FROM watch_folders ORDER BY id');
  const byId = db.prepare<[number], WatchFolderRow>('SELECT * FROM watch_folders WHERE id = ?');
  const insertFolder = db.prepare<[string, number, number]>(
    'INSERT INTO watch_folders (disk_path, folder_id, enabled, created_at) VALUES (?, ?, 1, ?)',
  );
  const deleteFolder = db.prepare<[number]>('DELETE FROM watch_folders WHERE id = ?');
  const file = db.prepare<[number, string], WatchFileRow>(
    'SELECT rel_path, size, mtime_ms, asset_id FROM watch_files WHERE watch_id = ? AND rel_path = ?',
  );
  const files = db.prepare<[number], WatchFileRow>(
    'SELECT rel_path, size, mtime_ms, asset_id FROM watch_files WHERE watch_id = ?',
  );
  // DO NOTHING + `changes` is a claim: a second process watching the same folder loses the race
  // instead of importing the file again.
  const claimFile = db.prepare<[number, string, number, number]>(`
    INSERT INTO watch_files (watch_id, rel_path, size, mtime_ms) VALUES (?, ?, ?, ?)
    ON CONFLICT DO NOTHING`);
  const replaceFile = db.prepare<[number, string, number, number, number | null]>(`
    INSERT INTO watch_files (watch_id, rel_path, size, mtime_ms, asset_id) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (watch_id, rel_path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
      asset_id = excluded.asset_id`);
  const setAsset = db.prepare<[number, number, string]>(
    'UPDATE watch_files SET asset_id = ? WHERE watch_id = ? AND rel_path = ?',
  );
  const deleteFile = db.prepare<[number, string]>(
    'DELETE FROM watch_files WHERE watch_id = ? AND rel_path = ?',
  );

  return {
    folders: () => all.all(),
    folder: (id: number) => byId.get(id) ?? null,
    addFolder: (diskPath: string, folderId: number, at: number) =>
      Number(insertFolder.run(diskPath, folderId, at).lastInsertRowid),
    removeFolder: (id: number) => deleteFolder.run(id).changes > 0,
    file: (watchId: number, relPath: string) => file.get(watchId, relPath) ?? null,
    files: (watchId: number) => files.all(watchId),
    claimFile: (watchId: number, relPath: string, size: number, mtimeMs: number) =>
      claimFile.run(watchId, relPath, size, mtimeMs).changes > 0,
    replaceFile: (
      watchId: number,
      relPath: string,
      size: number,
      mtimeMs: number,
      assetId: number | null,
    ) => replaceFile.run(watchId, relPath, size, mtimeMs, assetId),
    setAsset: (watchId: number, relPath: string, assetId: number) =>
      setAsset.run(assetId, watchId, relPath),
    deleteFile: (watchId: number, relPath: string) => deleteFile.run(watchId, relPath),
  };
}

export type WatchStore = ReturnType<typeof createWatchStore>;
