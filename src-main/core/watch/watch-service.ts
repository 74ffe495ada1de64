import type { Stats } from 'node:fs';
import { realpathSync, statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { WatchFolder } from '../../../src-shared/contract';
import type { CoreContext } from '../core-context';
import { AppError } from '../errors';
import { createPathGuard, defaultAllowedRoots, type PathGuard } from '../library/allowed-roots';
import type { IngestService } from '../ingest/types';
import { createAssetUsageFinder } from '../schedule/asset-usage';
import { isIgnoredFileName } from '../library/import-paths';
import type { LibraryCore } from '../library/library-service';
import { assetNameFromFile } from '../library/names';
import { createWatchStore, type WatchFileRow, type WatchFolderRow } from './watch-store';

export type WatchOptions = {
  /** A file is imported once its size has not changed for this long. */
  stabilityMs?: number;
  pollMs?: number;
  /**
   * An unlink followed within this time by an add of a file with the same size and mtime is a
   * rename. The add arrives only after `stabilityMs`, so this must be longer than that.
   */
  renameWindowMs?: number;
  /** inotify/FSEvents are reliable for local disks; polling is for network shares. */
  usePolling?: boolean;
  /** Where watch folders (and the files in them) may lie; default `<data>/import` only. */
  allowedPaths?: PathGuard;
};

/** Kept with the asset when its source vanishes but the schedule still needs it. */
export const SOURCE_REMOVED_MESSAGE = 'Source file was removed from the watch folder';

type PendingUnlink = { row: WatchFileRow; timer: NodeJS.Timeout };

type Running = {
  row: WatchFolderRow;
  watcher: FSWatcher | null;
  error: string | null;
  /** Events of one folder are handled one at a time, in order. */
  queue: Promise<void>;
  pending: Map<string, PendingUnlink>;
};

const toRel = (root: string, path: string) => relative(root, path).split(sep).join('/');

/**
 * Watch folders: a disk directory mapped to a library folder. New files are imported once they
 * stop growing; what was imported is remembered in `watch_files` (path, size, mtime), so a
 * restart imports nothing twice; renames move/rename the asset; deletions are reflected.
 *
 * A removed source file: the asset is deleted when nothing uses it. When the schedule uses it,
 * a ready asset stays ready (its house renditions are all playout needs) and an asset still in
 * ingest is cancelled and marked failed with SOURCE_REMOVED_MESSAGE.
 */
export function createWatchService(
  context: CoreContext,
  library: LibraryCore,
  ingest: IngestService,
  options: WatchOptions = {},
) {
  const { db, bus, logger } = context;
  const allowedPaths =
    options.allowedPaths ?? createPathGuard(() => defaultAllowedRoots(context.dataDir, 'headless'));
  const stabilityMs = options.stabilityMs ?? 2000;
  const pollMs = options.pollMs ?? 200;
  const renameWindowMs = options.renameWindowMs ?? stabilityMs + 3000;
  const store = createWatchStore(db);
  const findUsage = createAssetUsageFinder(db);
  const running = new Map<number, Running>();
  const markFailed = db.prepare<[string, number, number]>(
    "UPDATE assets SET state = 'failed', error = ?, updated_at = ? WHERE id = ?",
  );
  const setSource = db.prepare<[string, number, number, number]>(
    'UPDATE assets SET source_location = ?, source_mtime_ms = ?, updated_at = ? WHERE id = ?',
  );
  const setNameFolder = db.prepare<[string, number, number]>(
    'UPDATE assets SET name = ?, folder_id = ? WHERE id = ?',
  );
  const nameAndFolder = db.prepare<[number], { name: string; folder_id: number }>(
    'SELECT name, folder_id FROM assets WHERE id = ?',
  );
  let closed = false;

  const toContract = (row: WatchFolderRow): WatchFolder => {
    const state = running.get(row.id);
    return {
      id: row.id,
      diskPath: row.disk_path,
      folderId: row.folder_id,
      enabled: row.enabled === 1,
      watching: !!state?.watcher && !state.error,
      error: state?.error ?? null,
      createdAt: row.created_at,
    };
  };
  const list = () => store.folders().map(toContract);
  const announce = () => bus.emit('watchFoldersChanged', { watchFolders: list() });

  /** The library folder for a file: its sub-directories become sub-folders. */
  function folderFor(state: Running, rel: string): number {
    const dirs = rel.split('/').slice(0, -1);
    return dirs.length ? library.ensureFolderPath(state.row.folder_id, dirs) : state.row.folder_id;
  }

  function importFile(state: Running, rel: string, info: Stats): void {
    const watchId = state.row.id;
    const path = join(state.row.disk_path, rel);
    const known = store.file(watchId, rel);
    if (known && known.size === info.size && known.mtime_ms === Math.round(info.mtimeMs)) return;

    const renamed = [...state.pending.values()].find(
      (p) => p.row.size === info.size && p.row.mtime_ms === Math.round(info.mtimeMs),
    );
    if (renamed && !known) {
      clearTimeout(renamed.timer);
      state.pending.delete(renamed.row.rel_path);
      applyRename(state, renamed.row, rel, path, info);
      return;
    }

    const folderId = folderFor(state, rel);
    const created = db.transaction(() => {
      const mtimeMs = Math.round(info.mtimeMs);
      if (known) {
        // New content under a known name is a new asset; the previous one stays (it may be on air).
        store.replaceFile(watchId, rel, info.size, mtimeMs, null);
      } else if (!store.claimFile(watchId, rel, info.size, mtimeMs)) {
        return null;
      }
      const id = library.intake.insertRow({
        folderId,
        name: assetNameFromFile(rel),
        sourceKind: 'file',
        location: path,
        size: info.size,
        mtimeMs,
      });
      store.setAsset(watchId, rel, id);
      return id;
    })();
    if (created !== null) {
      library.intake.start(created);
      library.announceFolders();
      logger.info(`watch ${state.row.disk_path}: imported ${rel} as asset ${created}`);
    }
  }

  function applyRename(
    state: Running,
    old: WatchFileRow,
    rel: string,
    path: string,
    info: Stats,
  ): void {
    const watchId = state.row.id;
    db.transaction(() => {
      store.deleteFile(watchId, old.rel_path);
      store.replaceFile(watchId, rel, info.size, Math.round(info.mtimeMs), old.asset_id);
      if (old.asset_id === null) return;
      const asset = library.commands.rowById(old.asset_id);
      if (!asset) return;
      setSource.run(path, Math.round(info.mtimeMs), context.clock.now(), asset.id);
      // Follow the file only where the operator has not renamed or moved the asset themselves.
      const current = nameAndFolder.get(asset.id);
      if (!current) return;
      const nameWasDerived = current.name === assetNameFromFile(old.rel_path);
      const folderWasDerived = current.folder_id === folderFor(state, old.rel_path);
      setNameFolder.run(
        nameWasDerived ? assetNameFromFile(rel) : current.name,
        folderWasDerived ? folderFor(state, rel) : current.folder_id,
        asset.id,
      );
    })();
    if (old.asset_id !== null && library.commands.rowById(old.asset_id)) {
      library.commands.emitChanged(old.asset_id);
      library.announceFolders();
    }
    logger.info(`watch ${state.row.disk_path}: ${old.rel_path} renamed to ${rel}`);
  }

  async function sourceRemoved(state: Running, row: WatchFileRow): Promise<void> {
    store.deleteFile(state.row.id, row.rel_path);
    if (row.asset_id === null) return;
    const asset = library.commands.rowById(row.asset_id);
    if (!asset) return;
    if (findUsage([asset.id]).length === 0) {
      await library.deleteAssets([asset.id], false);
      logger.info(
        `watch ${state.row.disk_path}: ${row.rel_path} removed, asset ${asset.id} deleted`,
      );
      return;
    }
    if (asset.state === 'ready') {
      logger.warn(
        `watch ${state.row.disk_path}: ${row.rel_path} removed; asset ${asset.id} is scheduled and stays`,
      );
      return;
    }
    await ingest.cancel(asset.id);
    markFailed.run(SOURCE_REMOVED_MESSAGE, context.clock.now(), asset.id);
    library.commands.emitChanged(asset.id);
  }

  function onUnlink(state: Running, rel: string): void {
    const row = store.file(state.row.id, rel);
    if (!row || state.pending.has(rel)) return;
    const timer = setTimeout(() => {
      state.pending.delete(rel);
      enqueue(state, () => sourceRemoved(state, row));
    }, renameWindowMs);
    state.pending.set(rel, { row, timer });
  }

  function enqueue(state: Running, work: () => Promise<void> | void): void {
    state.queue = state.queue
      .then(async () => {
        if (!closed && running.get(state.row.id) === state) await work();
      })
      .catch((error: unknown) => logger.error(`watch ${state.row.disk_path}`, error));
  }

  function startWatcher(row: WatchFolderRow): void {
    const state: Running = {
      row,
      watcher: null,
      error: null,
      queue: Promise.resolve(),
      pending: new Map(),
    };
    running.set(row.id, state);
    try {
      if (!statSync(row.disk_path).isDirectory()) throw new Error('not a directory');
    } catch (error) {
      state.error = `Cannot watch ${row.disk_path}: ${error instanceof Error ? error.message : String(error)}`;
      logger.warn(state.error);
      return;
    }
    const root = row.disk_path;
    const watcher = watch(root, {
      ignoreInitial: false,
      followSymlinks: false,
      usePolling: options.usePolling ?? false,
      interval: pollMs,
      awaitWriteFinish: { stabilityThreshold: stabilityMs, pollInterval: pollMs },
      ignored: (path) => path !== root && isIgnoredFileName(basename(path)),
    });
    state.watcher = watcher;
    let ready = false;
    const importNow = (path: string) =>
      enqueue(state, async () => {
        const rel = toRel(root, path);
        const info = await stat(path).catch(() => null);
        if (!info?.isFile()) return;
        // A symbolic link dropped in the folder may point anywhere the roots do not allow.
        const real = await realpath(path).catch(() => null);
        if (real === null || !allowedPaths.holds(real)) {
          logger.warn(
            `watch folder: skipped ${path}: path_not_allowed (leads outside the allowed folders)`,
          );
          return;
        }
        importFile(state, rel, info);
      });
    // chokidar applies awaitWriteFinish only after its initial scan, so a file still being
    // copied when we start would be reported at once: wait for it to settle ourselves. Files
    // already imported with the same size and mtime are skipped without waiting.
    const onFile = (path: string) => {
      if (ready) return importNow(path);
      void (async () => {
        const info = await stat(path).catch(() => null);
        const known = info && store.file(row.id, toRel(root, path));
        if (known && known.size === info.size && known.mtime_ms === Math.round(info.mtimeMs))
          return;
        if (await settled(path, () => closed || running.get(row.id) !== state)) importNow(path);
      })();
    };
    watcher.on('ready', () => {
      ready = true;
    });
    watcher.on('add', onFile);
    watcher.on('change', onFile);
    watcher.on('unlink', (path) => enqueue(state, () => onUnlink(state, toRel(root, path))));
    // Files removed while we were not running: treated like an unlink now (a file that was
    // renamed meanwhile still matches by size and mtime when its add arrives).
    watcher.on('ready', () =>
      enqueue(state, async () => {
        for (const file of store.files(row.id)) {
          const exists = await stat(join(root, file.rel_path)).then(
            () => true,
            () => false,
          );
          if (!exists) onUnlink(state, file.rel_path);
        }
      }),
    );
    watcher.on('error', (error) => {
      state.error = error instanceof Error ? error.message : String(error);
      logger.warn(`watch ${root}: ${state.error}`);
      announce();
    });
  }

  /** Resolves true once size and mtime have not changed for `stabilityMs`, false if gone. */
  async function settled(path: string, cancelled: () => boolean): Promise<boolean> {
    let last = '';
    let since = Date.now();
    for (;;) {
      const info = await stat(path).catch(() => null);
      if (!info || cancelled()) return false;
      const signature = `${info.size}:${info.mtimeMs}`;
      if (signature !== last) {
        last = signature;
        since = Date.now();
      } else if (Date.now() - since >= stabilityMs) {
        return true;
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  async function stopWatcher(id: number): Promise<void> {
    const state = running.get(id);
    if (!state) return;
    running.delete(id);
    for (const pending of state.pending.values()) clearTimeout(pending.timer);
    await state.watcher?.close();
    await state.queue;
  }

  function validateDiskPath(diskPath: string): string {
    if (diskPath.includes('\0') || !isAbsolute(diskPath)) {
      throw new AppError('invalid_request', 'A watch folder must be an absolute path.');
    }
    let real: string;
    try {
      real = realpathSync(diskPath);
      if (!statSync(real).isDirectory())
        throw new AppError('invalid_request', `${diskPath} is not a directory.`);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('invalid_request', `${diskPath} does not exist or cannot be read.`);
    }
    const inside = (child: string, parent: string) =>
      child === parent || child.startsWith(parent + sep);
    const dataDir = realpathSync(context.dataDir);
    // `<data>/import` is the data folder's drop folder (a default allowed root): a watch folder
    // may be there, never anywhere else in the data folder (media, cache, uploads).
    const importDir = join(dataDir, 'import');
    if (inside(dataDir, real) || (inside(real, dataDir) && !inside(real, importDir))) {
      throw new AppError(
        'invalid_request',
        'A watch folder cannot contain or be inside the Airdeck data folder (except its import folder).',
      );
    }
    const overlap = store
      .folders()
      .find((w) => inside(real, w.disk_path) || inside(w.disk_path, real));
    if (overlap)
      throw new AppError('conflict', `${real} overlaps the watch folder ${overlap.disk_path}.`);
    return real;
  }

  return {
    list,
    add(diskPath: string, folderId: number): WatchFolder {
      if (diskPath.includes('\0') || !isAbsolute(diskPath)) {
        throw new AppError('invalid_request', 'A watch folder must be an absolute path.');
      }
      allowedPaths.check(diskPath);
      const real = validateDiskPath(diskPath);
      library.folder(folderId);
      const id = store.addFolder(real, folderId, context.clock.now());
      const row = store.folder(id);
      if (!row) throw new Error('watch folder vanished');
      if (!closed) startWatcher(row);
      announce();
      return toContract(row);
    },
    async remove(id: number): Promise<{ id: number }> {
      if (!store.folder(id)) throw new AppError('not_found', `Watch folder ${id} does not exist.`);
      await stopWatcher(id);
      store.removeFolder(id);
      announce();
      return { id };
    },
    start(): void {
      closed = false;
      for (const row of store.folders())
        if (row.enabled === 1 && !running.has(row.id)) startWatcher(row);
    },
    /** Stops watchers whose rows are gone (their library folder was deleted). */
    async sync(): Promise<void> {
      const ids = new Set(store.folders().map((w) => w.id));
      const gone = [...running.keys()].filter((id) => !ids.has(id));
      for (const id of gone) await stopWatcher(id);
      if (gone.length) announce();
    },
    /** Resolves once every event received so far has been handled (tests, shutdown). */
    async idle(): Promise<void> {
      await Promise.all([...running.values()].map((s) => s.queue));
    },
    async close(): Promise<void> {
      closed = true;
      for (const id of [...running.keys()]) await stopWatcher(id);
    },
  };
}

export type WatchService = ReturnType<typeof createWatchService>;
