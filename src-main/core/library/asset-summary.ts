import type { Database } from 'better-sqlite3';
import type { AssetState, AssetSummary } from '../../../src-shared/contract';

/** The columns every asset list reads; one definition so ingest and the library agree. */
export const ASSET_SUMMARY_COLUMNS = `
  a.id, a.folder_id, a.name, a.state, a.progress, a.error, a.duration_ms, a.video_codec,
  a.width, a.height, a.size_bytes, a.created_at, a.updated_at,
  (SELECT group_concat(t.tag, char(31)) FROM asset_tags t WHERE t.asset_id = a.id) AS tags,
  EXISTS (SELECT 1 FROM renditions r WHERE r.asset_id = a.id AND r.kind = 'proxy') AS has_poster,
  a.preview_error IS NOT NULL AS preview_failed`;

export type AssetSummaryRow = {
  id: number;
  folder_id: number;
  name: string;
  state: AssetState;
  progress: number;
  error: string | null;
  duration_ms: number | null;
  video_codec: string | null;
  width: number | null;
  height: number | null;
  size_bytes: number | null;
  created_at: number;
  updated_at: number;
  tags: string | null;
  has_poster: number;
  preview_failed: number;
};

export function toAssetSummary(row: AssetSummaryRow): AssetSummary {
  return {
    id: row.id,
    folderId: row.folder_id,
    name: row.name,
    tags: row.tags ? row.tags.split('\u001f').sort() : [],
    state: row.state,
    progress: row.progress,
    error: row.error,
    durationMs: row.duration_ms,
    videoCodec: row.video_codec,
    width: row.width,
    height: row.height,
    sizeBytes: row.size_bytes,
    // Posters are written with the proxy rendition; the URL carries the update time so a
    // re-ingest is not hidden by a cached image.
    posterUrl: row.has_poster ? `/media/${row.id}/poster.jpg?v=${row.updated_at}` : null,
    preview: row.has_poster ? 'ready' : row.preview_failed ? 'failed' : 'pending',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createAssetSummaryReader(db: Database) {
  const byId = db.prepare<[number], AssetSummaryRow>(
    `SELECT ${ASSET_SUMMARY_COLUMNS} FROM assets a WHERE a.id = ?`,
  );
  return (id: number): AssetSummary | null => {
    const row = byId.get(id);
    return row ? toAssetSummary(row) : null;
  };
}
