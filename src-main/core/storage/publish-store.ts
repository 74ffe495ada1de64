// Every SQL statement publishing runs, prepared once (tables in migration 0011).
import type { Database } from 'better-sqlite3';
import { ProbeSchema, type HouseProfile, type Probe } from '../../../src-shared/contract';

/** A ready asset imported from S3 whose main and proxy renditions are in. */
export type PublishCandidate = {
  assetId: number;
  ingestMethod: 'remux' | 'transcode' | null;
  probeJson: string | null;
  originLocationId: number;
  objectKey: string;
  etag: string;
  size: number;
  profileFp: string | null;
  profileJson: string | null;
  mainWidth: number;
  mainHeight: number;
};

export type PublishedRow = {
  assetId: number;
  locationId: number;
  state: 'published' | 'failed';
  bucket: string;
  keyPrefix: string;
  exact: boolean;
  error: string | null;
  attempts: number;
};

export type RenditionSegmentRow = {
  kind: 'main' | 'proxy';
  dir: string;
  width: number;
  height: number;
  renditionDurationMs: number;
  seq: number;
  file: string;
  startMs: number;
  durationMs: number;
  bytes: number;
};

type RawRow = {
  asset_id: number;
  location_id: number;
  state: 'published' | 'failed';
  bucket: string;
  key_prefix: string;
  exact: number;
  error: string | null;
  attempts: number;
};
const fromRaw = (r: RawRow): PublishedRow => ({
  assetId: r.asset_id,
  locationId: r.location_id,
  state: r.state,
  bucket: r.bucket,
  keyPrefix: r.key_prefix,
  exact: r.exact === 1,
  error: r.error,
  attempts: r.attempts,
});

const ELIGIBLE = `
  FROM assets a
  JOIN storage_asset_objects o ON o.asset_id = a.id
  JOIN renditions m ON m.asset_id = a.id AND m.kind = 'main'
  WHERE a.state = 'ready'
    AND EXISTS (SELECT 1 FROM renditions x WHERE x.asset_id = a.id AND x.kind = 'proxy')`;

export function createPublishStore(db: Database, now: () => number) {
  const recordProfile = db.prepare<[number, string, string]>(
    `INSERT INTO rendition_profiles (asset_id, profile_fp, profile_json) VALUES (?, ?, ?)
     ON CONFLICT (asset_id) DO UPDATE SET profile_fp = excluded.profile_fp,
       profile_json = excluded.profile_json`,
  );
  const candidates = db.prepare<[], PublishCandidate>(`
    SELECT a.id AS assetId, a.ingest_method AS ingestMethod, a.probe_json AS probeJson,
      o.location_id AS originLocationId, o.object_key AS objectKey, o.etag, o.size,
      p.profile_fp AS profileFp, p.profile_json AS profileJson,
      m.width AS mainWidth, m.height AS mainHeight
    ${ELIGIBLE.replace('WHERE', 'LEFT JOIN rendition_profiles p ON p.asset_id = a.id WHERE')}
    ORDER BY a.id`);
  const candidate = db.prepare<[number], PublishCandidate>(`
    SELECT a.id AS assetId, a.ingest_method AS ingestMethod, a.probe_json AS probeJson,
      o.location_id AS originLocationId, o.object_key AS objectKey, o.etag, o.size,
      p.profile_fp AS profileFp, p.profile_json AS profileJson,
      m.width AS mainWidth, m.height AS mainHeight
    ${ELIGIBLE.replace('WHERE', 'LEFT JOIN rendition_profiles p ON p.asset_id = a.id WHERE a.id = ? AND')}`);
  const eligibleCount = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n ${ELIGIBLE}`);
  const rowsOf = db.prepare<[number], RawRow>(
    'SELECT * FROM published_renditions WHERE location_id = ?',
  );
  const exactRows = db.prepare<[], RawRow>(
    "SELECT * FROM published_renditions WHERE state = 'published' AND exact = 1",
  );
  const counts = db.prepare<[number], { state: 'published' | 'failed'; n: number }>(
    'SELECT state, COUNT(*) AS n FROM published_renditions WHERE location_id = ? GROUP BY state',
  );
  const lastError = db.prepare<[number], { error: string | null }>(
    `SELECT error FROM published_renditions WHERE location_id = ? AND state = 'failed'
     ORDER BY updated_at DESC LIMIT 1`,
  );
  const upsert = db.prepare(`
    INSERT INTO published_renditions (asset_id, location_id, state, bucket, key_prefix, exact,
      error, attempts, updated_at)
    VALUES (@assetId, @locationId, @state, @bucket, @keyPrefix, @exact, @error, @attempts, @at)
    ON CONFLICT (asset_id, location_id) DO UPDATE SET state = excluded.state,
      bucket = excluded.bucket, key_prefix = excluded.key_prefix, exact = excluded.exact,
      error = excluded.error, attempts = excluded.attempts, updated_at = excluded.updated_at`);
  const dropAsset = db.prepare<[number]>('DELETE FROM published_renditions WHERE asset_id = ?');
  const dropRow = db.prepare<[number, number]>(
    'DELETE FROM published_renditions WHERE asset_id = ? AND location_id = ?',
  );
  const assetsWithRows = db.prepare<[], { asset_id: number }>(
    'SELECT DISTINCT asset_id FROM published_renditions',
  );
  const assetExists = db.prepare<[number], { id: number }>('SELECT id FROM assets WHERE id = ?');
  const segments = db.prepare<[number], RenditionSegmentRow>(`
    SELECT r.kind, r.dir, r.width, r.height, r.duration_ms AS renditionDurationMs, s.seq, s.file,
      s.start_ms AS startMs, s.duration_ms AS durationMs, s.bytes
    FROM renditions r JOIN segments s ON s.rendition_id = r.id
    WHERE r.asset_id = ? ORDER BY r.kind, s.seq`);
  const segmentFiles = db.prepare<[number, string], { file: string }>(`
    SELECT s.file FROM renditions r JOIN segments s ON s.rendition_id = r.id
    WHERE r.asset_id = ? AND r.kind = ? ORDER BY s.seq`);

  return {
    /** Which house profile made an asset's renditions (called as its renditions commit). */
    recordProfile(assetId: number, fingerprint: string, profile: HouseProfile): void {
      recordProfile.run(assetId, fingerprint, JSON.stringify(profile));
    },
    candidates: (): PublishCandidate[] => candidates.all(),
    candidate: (assetId: number): PublishCandidate | null => candidate.get(assetId) ?? null,
    eligibleCount: (): number => eligibleCount.get()?.n ?? 0,
    rowsOf: (locationId: number): PublishedRow[] => rowsOf.all(locationId).map(fromRaw),
    exactRows: (): PublishedRow[] => exactRows.all().map(fromRaw),
    counts(locationId: number): { published: number; failed: number; lastError: string | null } {
      const byState = new Map(counts.all(locationId).map((r) => [r.state, r.n]));
      return {
        published: byState.get('published') ?? 0,
        failed: byState.get('failed') ?? 0,
        lastError: lastError.get(locationId)?.error ?? null,
      };
    },
    /** False when the asset is gone (a removal raced the upload): nothing is written. */
    save(row: PublishedRow): boolean {
      if (!assetExists.get(row.assetId)) return false;
      try {
        upsert.run({ ...row, exact: row.exact ? 1 : 0, at: now() });
      } catch (error) {
        // The location was removed while its pass ran: nothing to record.
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return false;
        throw error;
      }
      return true;
    },
    assetsWithRows: (): number[] => assetsWithRows.all().map((r) => r.asset_id),
    dropAsset(assetId: number): number {
      return dropAsset.run(assetId).changes;
    },
    dropRow(assetId: number, locationId: number): void {
      dropRow.run(assetId, locationId);
    },
    segments: (assetId: number): RenditionSegmentRow[] => segments.all(assetId),
    segmentFiles: (assetId: number, kind: 'main' | 'proxy'): string[] =>
      segmentFiles.all(assetId, kind).map((r) => r.file),
  };
}
export type PublishStore = ReturnType<typeof createPublishStore>;

/** The probe JSON an asset records, or null when it is missing or unreadable. */
export function probeOf(json: string | null): Probe | null {
  if (json === null) return null;
  try {
    const parsed = ProbeSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
