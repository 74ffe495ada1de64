// Every SQL statement ingest runs, prepared once.
import type { Database } from 'better-sqlite3';
import type { AssetState, PreviewState, Probe } from '../../../src-shared/contract';
import type { IngestMethod } from './ingest-plan';
import type { VerifiedRendition } from './segment-verifier';

export type IngestSource = {
  id: number;
  state: AssetState;
  source_kind: 'file' | 's3' | 'upload';
  source_location: string;
};

export type CommittedRendition = {
  kind: 'main' | 'proxy';
  /** Relative to the media folder. */
  dir: string;
  bandwidth: number;
  rendition: VerifiedRendition;
};

export function createIngestStore(db: Database, now: () => number) {
  const source = db.prepare<[number], IngestSource>(
    'SELECT id, state, source_kind, source_location FROM assets WHERE id = ?',
  );
  const setState = db.prepare<[AssetState, number, string | null, number, number]>(
    'UPDATE assets SET state = ?, progress = ?, error = ?, updated_at = ? WHERE id = ?',
  );
  const setProgress = db.prepare<[number, number, number]>(
    'UPDATE assets SET progress = ?, updated_at = ? WHERE id = ?',
  );
  const setProbe = db.prepare<
    [string, number, string | null, number | null, number | null, number, number, number]
  >(
    `UPDATE assets SET probe_json = ?, duration_ms = ?, video_codec = ?, width = ?, height = ?,
       size_bytes = ?, updated_at = ? WHERE id = ?`,
  );
  const unfinished = db.prepare<[], { id: number }>(
    "SELECT id FROM assets WHERE state IN ('probing', 'queued', 'ingesting') ORDER BY id",
  );
  const deleteRenditions = db.prepare<[number]>('DELETE FROM renditions WHERE asset_id = ?');
  const insertRendition = db.prepare<[number, string, string, number, number, number, number]>(
    `INSERT INTO renditions (asset_id, kind, dir, width, height, bandwidth, duration_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertSegment = db.prepare<[number | bigint, number, string, number, number, number]>(
    'INSERT INTO segments (rendition_id, seq, file, start_ms, duration_ms, bytes) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const markReady = db.prepare<[number, IngestMethod, number, number]>(
    `UPDATE assets SET state = 'ready', progress = 1, error = NULL, preview_error = NULL,
       duration_ms = ?, ingest_method = ?, updated_at = ? WHERE id = ?`,
  );
  const insert = (id: number, r: CommittedRendition) => {
    const { rendition } = r;
    const row = insertRendition.run(
      id,
      r.kind,
      r.dir,
      rendition.width,
      rendition.height,
      r.bandwidth,
      rendition.durationMs,
    );
    for (const s of rendition.segments) {
      insertSegment.run(row.lastInsertRowid, s.seq, s.file, s.startMs, s.durationMs, s.bytes);
    }
  };
  const commitReady = db.transaction(
    (id: number, method: IngestMethod, renditions: CommittedRendition[]) => {
      deleteRenditions.run(id);
      for (const r of renditions) insert(id, r);
      const main = renditions.find((r) => r.kind === 'main');
      markReady.run(main?.rendition.durationMs ?? 0, method, now(), id);
    },
  );
  const deleteProxy = db.prepare<[number]>(
    "DELETE FROM renditions WHERE asset_id = ? AND kind = 'proxy'",
  );
  const markPreviewReady = db.prepare<[number, number]>(
    "UPDATE assets SET preview_error = NULL, updated_at = ? WHERE id = ? AND state = 'ready'",
  );
  const commitPreview = db.transaction((id: number, proxy: CommittedRendition) => {
    // Only onto a ready asset: one that was re-queued or failed meanwhile keeps no proxy.
    if (markPreviewReady.run(now(), id).changes === 0) {
      throw new Error(`asset ${id} is no longer ready`);
    }
    deleteProxy.run(id);
    insert(id, proxy);
  });
  const setPreviewError = db.prepare<[string | null, number, number]>(
    'UPDATE assets SET preview_error = ?, updated_at = ? WHERE id = ?',
  );
  const previewInfo = db.prepare<
    [number],
    { state: AssetState; preview_error: string | null; has_proxy: number }
  >(
    `SELECT a.state, a.preview_error,
       EXISTS (SELECT 1 FROM renditions r WHERE r.asset_id = a.id AND r.kind = 'proxy') AS has_proxy
     FROM assets a WHERE a.id = ?`,
  );
  const mainRendition = db.prepare<
    [number],
    { id: number; dir: string; width: number; height: number; duration_ms: number }
  >(
    "SELECT id, dir, width, height, duration_ms FROM renditions WHERE asset_id = ? AND kind = 'main'",
  );
  const renditionSegments = db.prepare<[number], { file: string; duration_ms: number }>(
    'SELECT file, duration_ms FROM segments WHERE rendition_id = ? ORDER BY seq',
  );
  const readyRenditions = db.prepare<[], { id: number; kind: 'main' | 'proxy' | null }>(
    `SELECT a.id, r.kind FROM assets a LEFT JOIN renditions r ON r.asset_id = a.id
     WHERE a.state = 'ready' ORDER BY a.id`,
  );
  const dropRenditions = db.transaction((id: number) => {
    deleteRenditions.run(id);
  });

  return {
    source: (id: number): IngestSource | null => source.get(id) ?? null,
    setState(id: number, state: AssetState, progress: number, error: string | null = null): void {
      setState.run(state, progress, error, now(), id);
    },
    setProgress(id: number, progress: number): void {
      setProgress.run(Math.max(0, Math.min(1, progress)), now(), id);
    },
    setProbe(id: number, probe: Probe): void {
      setProbe.run(
        JSON.stringify(probe),
        probe.durationMs,
        probe.video?.codec ?? null,
        probe.video?.width ?? null,
        probe.video?.height ?? null,
        probe.sizeBytes,
        now(),
        id,
      );
    },
    unfinished: (): number[] => unfinished.all().map((r) => r.id),
    /** Renditions and `ready` in one transaction: never ready without its segments. */
    commitReady,
    /** The proxy rendition of a ready asset, replacing any older one, in one transaction. */
    commitPreview,
    setPreviewError(id: number, reason: string | null): void {
      setPreviewError.run(reason, now(), id);
    },
    previewState(id: number): { asset: AssetState; preview: PreviewState } | null {
      const row = previewInfo.get(id);
      if (!row) return null;
      const preview = row.has_proxy ? 'ready' : row.preview_error !== null ? 'failed' : 'pending';
      return { asset: row.state, preview };
    },
    /** The main rendition of an asset, with its segments in order; null if it has none. */
    mainRendition(id: number) {
      const row = mainRendition.get(id);
      if (!row) return null;
      return { ...row, segments: renditionSegments.all(row.id) };
    },
    /** Ready assets and the kinds of rendition each has (main, proxy). */
    readyAssets(): Map<number, Set<'main' | 'proxy'>> {
      const result = new Map<number, Set<'main' | 'proxy'>>();
      for (const row of readyRenditions.all()) {
        const kinds = result.get(row.id) ?? new Set();
        if (row.kind) kinds.add(row.kind);
        result.set(row.id, kinds);
      }
      return result;
    },
    dropProxy(id: number): void {
      deleteProxy.run(id);
    },
    dropRenditions,
  };
}
export type IngestStore = ReturnType<typeof createIngestStore>;
