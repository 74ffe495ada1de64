import type { AssetSummary } from '../../../src-shared/contract';
import type { CoreContext } from '../core-context';
import type { IngestService } from '../ingest/types';
import { createAssetSummaryReader } from './asset-summary';

export type NewAsset = {
  folderId: number;
  name: string;
  sourceKind: 'file' | 'upload';
  /** Absolute path on this machine. */
  location: string;
  size: number;
  mtimeMs: number;
};

/** The one way an asset enters the library: a `probing` row, announced, then queued for ingest. */
export function createAssetIntake(context: CoreContext, ingest: IngestService) {
  const { db, bus } = context;
  const summary = createAssetSummaryReader(db);
  const insert = db.prepare<[number, string, string, string, number, number, number, number]>(`
    INSERT INTO assets (folder_id, name, source_kind, source_location, source_size, source_mtime_ms,
      state, progress, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, 'probing', 0, ?, ?)`);

  /** Inserts the row only; call `start` once the surrounding transaction has committed. */
  function insertRow(asset: NewAsset): number {
    const at = context.clock.now();
    return Number(
      insert.run(
        asset.folderId,
        asset.name,
        asset.sourceKind,
        asset.location,
        asset.size,
        Math.round(asset.mtimeMs),
        at,
        at,
      ).lastInsertRowid,
    );
  }

  function start(id: number): AssetSummary {
    const created = summary(id);
    if (!created) throw new Error(`asset ${id} vanished before ingest`);
    bus.emit('assetChanged', created);
    ingest.enqueue(id);
    return created;
  }

  return { insertRow, start, add: (asset: NewAsset) => start(insertRow(asset)) };
}

export type AssetIntake = ReturnType<typeof createAssetIntake>;
