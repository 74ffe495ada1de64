import { rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { AssetSummary } from '../../../src-shared/contract';
import type { CoreContext } from '../core-context';
import { AppError } from '../errors';
import type { IngestService } from '../ingest/types';
import { createAssetUsageFinder } from '../schedule/asset-usage';
import { createAssetSummaryReader } from './asset-summary';
import { cleanName, isStorableName } from './names';
import { describeUsage } from './usage-message';

type AssetRow = {
  id: number;
  name: string;
  state: string;
  source_kind: string;
  source_location: string;
};

const ACTIVE_STATES = new Set(['probing', 'queued', 'ingesting']);

function isForeignKeyError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** Rename, tag, move and delete assets; every change is announced on the bus. */
export function createAssetCommands(context: CoreContext, ingest: IngestService) {
  const { db, bus } = context;
  const now = () => context.clock.now();
  const summary = createAssetSummaryReader(db);
  const findUsage = createAssetUsageFinder(db);
  const uploadsDir = join(context.dataDir, 'uploads');

  const rowById = db.prepare<[number], AssetRow>(
    'SELECT id, name, state, source_kind, source_location FROM assets WHERE id = ?',
  );
  const setName = db.prepare<[string, number, number]>(
    'UPDATE assets SET name = ?, updated_at = ? WHERE id = ?',
  );
  const setFolder = db.prepare<[number, number, number, number]>(
    'UPDATE assets SET folder_id = ?, updated_at = ? WHERE id = ? AND folder_id <> ?',
  );
  const touch = db.prepare<[number, number]>('UPDATE assets SET updated_at = ? WHERE id = ?');
  const clearTags = db.prepare<[number]>('DELETE FROM asset_tags WHERE asset_id = ?');
  const addTag = db.prepare<[number, string]>(
    'INSERT OR IGNORE INTO asset_tags (asset_id, tag) VALUES (?, ?)',
  );
  const folderExists = db.prepare<[number], { id: number }>('SELECT id FROM folders WHERE id = ?');
  const deleteOne = db.prepare<[number]>('DELETE FROM assets WHERE id = ?');

  function mustGet(id: number): AssetSummary {
    const found = summary(id);
    if (!found) throw new AppError('not_found', `Asset ${id} does not exist.`);
    return found;
  }

  function emitChanged(id: number): AssetSummary {
    const changed = mustGet(id);
    bus.emit('assetChanged', changed);
    return changed;
  }

  function refuseIfScheduled(rows: readonly AssetRow[]): void {
    const usage = findUsage(rows.map((r) => r.id));
    if (usage.length === 0) return;
    throw new AppError('conflict', describeUsage(new Map(rows.map((r) => [r.id, r.name])), usage));
  }

  /** Uploaded sources live in our data folder, so deleting the asset deletes its upload too. */
  async function removeUpload(row: AssetRow): Promise<void> {
    if (row.source_kind !== 'upload') return;
    const dir = dirname(row.source_location);
    const rel = relative(uploadsDir, dir);
    if (rel && !rel.startsWith('..') && !rel.includes(sep))
      await rm(dir, { recursive: true, force: true });
  }

  /**
   * Stops ingest work, deletes the rows in one transaction (checking the schedule again inside
   * it, so an item scheduled meanwhile still blocks), then removes media files.
   */
  async function deleteRows(rows: readonly AssetRow[], also?: () => void): Promise<number> {
    for (const row of rows) if (ACTIVE_STATES.has(row.state)) await ingest.cancel(row.id);
    try {
      db.transaction(() => {
        refuseIfScheduled(rows);
        for (const row of rows) deleteOne.run(row.id);
        also?.();
      })();
    } catch (error) {
      if (isForeignKeyError(error)) {
        throw new AppError(
          'conflict',
          'An asset was scheduled meanwhile. Remove it from the schedule first.',
        );
      }
      throw error;
    }
    for (const row of rows) {
      await ingest.removeMedia(row.id);
      await removeUpload(row).catch((error: unknown) =>
        context.logger.warn(`could not remove upload of asset ${row.id}: ${String(error)}`),
      );
    }
    if (rows.length) bus.emit('assetsRemoved', { ids: rows.map((r) => r.id) });
    return rows.length;
  }

  return {
    rowById: (id: number) => rowById.get(id) ?? null,
    emitChanged,
    deleteRows,

    rename(id: number, rawName: string): AssetSummary {
      mustGet(id);
      const name = cleanName(rawName);
      if (!isStorableName(name)) {
        throw new AppError(
          'invalid_request',
          'An asset name cannot be empty, contain / or \\, or be . or ..',
        );
      }
      setName.run(name, now(), id);
      return emitChanged(id);
    },

    setTags(id: number, tags: readonly string[]): AssetSummary {
      mustGet(id);
      const cleaned = [...new Set(tags.map(cleanName).filter(Boolean))];
      db.transaction(() => {
        clearTags.run(id);
        for (const tag of cleaned) addTag.run(id, tag);
        touch.run(now(), id);
      })();
      return emitChanged(id);
    },

    move(ids: readonly number[], folderId: number): number {
      if (!folderExists.get(folderId))
        throw new AppError('not_found', `Folder ${folderId} does not exist.`);
      const at = now();
      const moved = db.transaction(() =>
        ids.filter((id) => setFolder.run(folderId, at, id, folderId).changes > 0),
      )();
      for (const id of moved) emitChanged(id);
      return moved.length;
    },

    async delete(
      ids: readonly number[],
      force: boolean,
    ): Promise<{ deleted: number; skipped: number[] }> {
      const rows = [...new Set(ids)].map((id) => rowById.get(id)).filter((r): r is AssetRow => !!r);
      const scheduled = new Set(findUsage(rows.map((r) => r.id)).map((u) => u.assetId));
      if (scheduled.size && !force) refuseIfScheduled(rows);
      const deletable = rows.filter((r) => !scheduled.has(r.id));
      const deleted = await deleteRows(deletable);
      return { deleted, skipped: [...scheduled] };
    },
  };
}

export type AssetCommands = ReturnType<typeof createAssetCommands>;
