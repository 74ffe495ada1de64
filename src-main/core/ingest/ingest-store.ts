// Every SQL statement ingest runs, prepared once.
import type { Database } from 'better-sqlite3';
import type { AssetState, Probe } from '../../../src-shared/contract';
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
    `UPDATE assets SET state = 'ready', progress = 1, error = NULL, duration_ms = ?,
       ingest_method = ?, updated_at = ? WHERE id = ?`,
  );
  const commitReady = db.transaction(
    (id: number, method: IngestMethod, renditions: CommittedRendition[]) => {
      deleteRenditions.run(id);
      for (const r of renditions) {
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
      }
      const main = renditions.find((r) => r.kind === 'main');
      markReady.run(main?.rendition.durationMs ?? 0, method, now(), id);
    },
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
    dropRenditions,
  };
}
export type IngestStore = ReturnType<typeof createIngestStore>;
