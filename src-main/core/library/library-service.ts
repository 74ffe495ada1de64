import type { Database } from 'better-sqlite3';
import type { AssetDetail, AssetQuery, AssetSummary, Folder } from '../../../src-shared/contract';
import type { CoreContext } from '../core-context';
import { AppError } from '../errors';
import type { IngestService } from '../ingest/types';
import { createAssetUsageFinder } from '../schedule/asset-usage';
import { createAssetCommands } from './asset-commands';
import { createAssetDetailReader } from './asset-detail';
import { createAssetIntake, type NewAsset } from './asset-intake';
import { createAssetQuery } from './asset-query';
import { createFolderTree, ROOT_FOLDER_ID } from './folder-tree';
import { createPathImporter, type ImportResult, type ImportScope } from './import-paths';
import { splitLibraryPath } from './names';

type AssetRef = {
  id: number;
  name: string;
  state: string;
  source_kind: string;
  source_location: string;
};

function assetsInFolders(db: Database) {
  const stmt = db.prepare<[number], AssetRef>(`
    WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT f.id FROM folders f JOIN sub ON f.parent_id = sub.id)
    SELECT a.id, a.name, a.state, a.source_kind, a.source_location FROM assets a WHERE a.folder_id IN (SELECT id FROM sub)`);
  return (folderId: number) => stmt.all(folderId);
}

/**
 * The library: folder tree, asset listing and search, edits, deletes and imports. Every change
 * is announced (`assetChanged`, `assetsRemoved`, `foldersChanged`) so no window polls.
 */
export function createLibraryService(context: CoreContext, ingest: IngestService) {
  const { db, bus } = context;
  const folders = createFolderTree(db, () => context.clock.now());
  const query = createAssetQuery(db);
  const detail = createAssetDetailReader(db, context.mediaDir, createAssetUsageFinder(db));
  const commands = createAssetCommands(context, ingest);
  const intake = createAssetIntake(context, ingest);
  const importPaths = createPathImporter(folders, intake);
  const folderAssets = assetsInFolders(db);
  const deleteFolderRow = db.prepare<[number]>('DELETE FROM folders WHERE id = ?');
  const folderDeletedListeners = new Set<() => void>();

  const announceFolders = () => bus.emit('foldersChanged', { folders: folders.list() });
  /** Asset counts live in the folder list, so asset moves and imports refresh it too. */
  const withFolders = <T>(result: T): T => {
    announceFolders();
    return result;
  };

  return {
    folders: () => folders.list(),
    folder: (id: number) => folders.get(id),
    createFolder: (parentId: number, name: string): Folder =>
      withFolders(folders.create(parentId, name)),
    renameFolder: (id: number, name: string): Folder => withFolders(folders.rename(id, name)),
    moveFolder: (id: number, parentId: number): Folder => withFolders(folders.move(id, parentId)),

    /** Deletes the folder and everything inside; refused while any asset inside is scheduled. */
    async deleteFolder(id: number): Promise<{ deletedAssets: number }> {
      if (id === ROOT_FOLDER_ID)
        throw new AppError('forbidden', 'The library root cannot be deleted.');
      folders.get(id);
      // The folder rows go in the same transaction as the assets, deepest first (parents RESTRICT).
      const deletedAssets = await commands.deleteRows(folderAssets(id), () => {
        const tree = folders.subtree(id).sort((a, b) => b.depth - a.depth);
        for (const folder of tree) deleteFolderRow.run(folder.id);
      });
      for (const listener of folderDeletedListeners) listener();
      announceFolders();
      return { deletedAssets };
    },

    /** "A/B/C" below the root; created on the way with `create`. */
    folderByPath(path: string, create: boolean): Folder {
      const segments = splitLibraryPath(path);
      if (create) return withFolders(folders.get(folders.ensurePath(ROOT_FOLDER_ID, segments)));
      const id = folders.findPath(ROOT_FOLDER_ID, segments);
      if (id === null)
        throw new AppError('not_found', `No library folder “${segments.join('/')}”.`);
      return folders.get(id);
    },
    ensureFolderPath: (parentId: number, segments: readonly string[]) =>
      folders.ensurePath(parentId, segments),

    query: (q: AssetQuery) => query(q),
    asset: (id: number): AssetDetail => detail(id),
    renameAsset: (id: number, name: string) => commands.rename(id, name),
    setTags: (id: number, tags: readonly string[]) => commands.setTags(id, tags),
    moveAssets: (ids: readonly number[], folderId: number) =>
      withFolders(commands.move(ids, folderId)),
    async deleteAssets(ids: readonly number[], force: boolean) {
      return withFolders(await commands.delete(ids, force));
    },

    /** Imports disk paths; `scope` says which paths may be read (see ImportScope). */
    async importPaths(
      paths: readonly string[],
      folderId: number,
      scope: ImportScope,
    ): Promise<ImportResult[]> {
      return withFolders(await importPaths(paths, folderId, scope));
    },
    /** One file already on disk (uploads, watch folders). */
    addAsset: (asset: NewAsset): AssetSummary => withFolders(intake.add(asset)),
    intake,
    commands,
    announceFolders,
    onFolderDeleted(listener: () => void): () => void {
      folderDeletedListeners.add(listener);
      return () => folderDeletedListeners.delete(listener);
    },
  };
}

export type LibraryCore = ReturnType<typeof createLibraryService>;
