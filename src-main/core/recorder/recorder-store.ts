// Recorded sources, their segment index, gaps and holds as stored (migration 0013).
import type { Database } from 'better-sqlite3';
import type { GapReason, RecordedSourceUpdate, RecordingGap } from '../../../src-shared/contract';
import type { IndexedSegment } from './playlist-builder';
import type { Cursor } from './segment-plan';

export type SourceRow = {
  id: number;
  name: string;
  url: string;
  enabled: boolean;
  retentionDays: number;
  diskCapBytes: number | null;
  createdAt: number;
};

type RawSource = {
  id: number;
  name: string;
  url: string;
  enabled: number;
  retention_days: number;
  disk_cap_bytes: number | null;
  created_at: number;
};

const toSource = (r: RawSource): SourceRow => ({
  id: r.id,
  name: r.name,
  url: r.url,
  enabled: r.enabled === 1,
  retentionDays: r.retention_days,
  diskCapBytes: r.disk_cap_bytes,
  createdAt: r.created_at,
});

export type NewSegment = {
  sourceId: number;
  mediaSequence: number;
  startAt: number;
  durationMs: number;
  bytes: number;
  file: string;
  discontinuity: boolean;
  timedBySource: boolean;
  sourceUri: string;
  arrivedAt: number;
};

export type StoredSegment = IndexedSegment & { sourceId: number; file: string; bytes: number };

type RawSegment = {
  id: number;
  source_id: number;
  media_sequence: number;
  start_at: number;
  duration_ms: number;
  discontinuity: number;
  file: string;
  bytes: number;
};
const toSegment = (r: RawSegment): StoredSegment => ({
  id: r.id,
  sourceId: r.source_id,
  mediaSequence: r.media_sequence,
  startAt: r.start_at,
  durationMs: r.duration_ms,
  discontinuity: r.discontinuity === 1,
  file: r.file,
  bytes: r.bytes,
});

type RawGap = {
  id: number;
  source_id: number;
  from_at: number;
  to_at: number | null;
  reason: string;
  detail: string;
};
const toGap = (r: RawGap): RecordingGap => ({
  id: r.id,
  sourceId: r.source_id,
  fromAt: r.from_at,
  toAt: r.to_at,
  reason: r.reason as GapReason,
  detail: r.detail,
});

const SEGMENT_COLUMNS =
  'id, source_id, media_sequence, start_at, duration_ms, discontinuity, file, bytes';
/** Segments no hold of their source overlaps. */
const UNHELD = `NOT EXISTS (SELECT 1 FROM review_holds h WHERE h.source_id = s.source_id
  AND h.from_at < s.start_at + s.duration_ms AND h.to_at > s.start_at)`;

export function createRecorderStore(db: Database, now: () => number) {
  const q = {
    list: db.prepare<[], RawSource>(
      'SELECT * FROM recorded_sources ORDER BY name COLLATE NOCASE, id',
    ),
    get: db.prepare<[number], RawSource>('SELECT * FROM recorded_sources WHERE id = ?'),
    byName: db.prepare<[string], { id: number }>(
      'SELECT id FROM recorded_sources WHERE name = ? COLLATE NOCASE',
    ),
    insert: db.prepare<[string, string, number, number, number | null, number, number]>(
      `INSERT INTO recorded_sources (name, url, enabled, retention_days, disk_cap_bytes, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    update: db.prepare<[string, string, number, number, number | null, number, number]>(
      `UPDATE recorded_sources SET name = ?, url = ?, enabled = ?, retention_days = ?,
       disk_cap_bytes = ?, updated_at = ? WHERE id = ?`,
    ),
    remove: db.prepare<[number]>('DELETE FROM recorded_sources WHERE id = ?'),
    totals: db.prepare<
      [],
      { source_id: number; n: number; bytes: number; first_at: number; last_at: number }
    >(
      `SELECT source_id, COUNT(*) AS n, SUM(bytes) AS bytes, MIN(start_at) AS first_at,
       MAX(start_at + duration_ms) AS last_at FROM recording_segments GROUP BY source_id`,
    ),
    insertSegment: db.prepare<
      [number, number, number, number, number, string, number, number, string, number]
    >(
      `INSERT INTO recording_segments (source_id, media_sequence, start_at, duration_ms, bytes,
       file, discontinuity, timed_by_source, source_uri, arrived_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    lastSegment: db.prepare<[number], { media_sequence: number; end_at: number }>(
      `SELECT media_sequence, start_at + duration_ms AS end_at FROM recording_segments
       WHERE source_id = ? ORDER BY id DESC LIMIT 1`,
    ),
    files: db.prepare<[number], { file: string }>(
      'SELECT file FROM recording_segments WHERE source_id = ?',
    ),
    window: db.prepare<[number, number, number, number], RawSegment>(
      `SELECT ${SEGMENT_COLUMNS} FROM recording_segments
       WHERE source_id = ? AND start_at < ? AND start_at + duration_ms > ?
       ORDER BY start_at, id LIMIT ?`,
    ),
    segment: db.prepare<[number, number], RawSegment>(
      `SELECT ${SEGMENT_COLUMNS} FROM recording_segments WHERE id = ? AND source_id = ?`,
    ),
    openGap: db.prepare<[number], RawGap>(
      'SELECT * FROM recording_gaps WHERE source_id = ? AND to_at IS NULL ORDER BY id DESC LIMIT 1',
    ),
    insertGap: db.prepare<[number, number, number | null, string, string]>(
      'INSERT INTO recording_gaps (source_id, from_at, to_at, reason, detail) VALUES (?, ?, ?, ?, ?)',
    ),
    closeGap: db.prepare<[number, string, number]>(
      'UPDATE recording_gaps SET to_at = ?, detail = ? WHERE id = ?',
    ),
    deleteGap: db.prepare<[number]>('DELETE FROM recording_gaps WHERE id = ?'),
    gaps: db.prepare<[number, number, number], RawGap>(
      `SELECT * FROM recording_gaps WHERE source_id = ? AND from_at < ?
       AND (to_at IS NULL OR to_at > ?) ORDER BY from_at, id`,
    ),
    unheld: db.prepare<[number, number], RawSegment>(
      `SELECT ${SEGMENT_COLUMNS} FROM recording_segments s WHERE source_id = ? AND ${UNHELD}
       ORDER BY start_at, id LIMIT ?`,
    ),
    deleteSegment: db.prepare<[number]>('DELETE FROM recording_segments WHERE id = ?'),
    deleteGapsBefore: db.prepare<[number, number]>(
      'DELETE FROM recording_gaps WHERE source_id = ? AND to_at IS NOT NULL AND to_at < ?',
    ),
    insertHold: db.prepare<[number, number, number, string, number]>(
      'INSERT INTO review_holds (source_id, from_at, to_at, reason, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    removeHold: db.prepare<[number]>('DELETE FROM review_holds WHERE id = ?'),
  };

  return {
    list: (): SourceRow[] => q.list.all().map(toSource),
    get(id: number): SourceRow | undefined {
      const row = q.get.get(id);
      return row ? toSource(row) : undefined;
    },
    idByName: (name: string): number | undefined => q.byName.get(name)?.id,
    add(input: Omit<SourceRow, 'id' | 'createdAt'>): number {
      const at = now();
      return Number(
        q.insert.run(
          input.name,
          input.url,
          input.enabled ? 1 : 0,
          input.retentionDays,
          input.diskCapBytes,
          at,
          at,
        ).lastInsertRowid,
      );
    },
    update(current: SourceRow, patch: RecordedSourceUpdate): void {
      const next = {
        ...current,
        ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
      };
      q.update.run(
        next.name,
        next.url,
        next.enabled ? 1 : 0,
        next.retentionDays,
        next.diskCapBytes,
        now(),
        current.id,
      );
    },
    remove: (id: number): boolean => q.remove.run(id).changes > 0,
    totals() {
      return new Map(q.totals.all().map((t) => [t.source_id, t]));
    },
    cursor(sourceId: number): Cursor | null {
      const row = q.lastSegment.get(sourceId);
      return row ? { mediaSequence: row.media_sequence, endAt: row.end_at } : null;
    },
    files: (sourceId: number): string[] => q.files.all(sourceId).map((r) => r.file),
    insertSegment(s: NewSegment): number {
      return Number(
        q.insertSegment.run(
          s.sourceId,
          s.mediaSequence,
          s.startAt,
          s.durationMs,
          s.bytes,
          s.file,
          s.discontinuity ? 1 : 0,
          s.timedBySource ? 1 : 0,
          s.sourceUri,
          s.arrivedAt,
        ).lastInsertRowid,
      );
    },
    /** Segments overlapping [fromAt, toAt), in air order. */
    window: (sourceId: number, fromAt: number, toAt: number, limit: number): StoredSegment[] =>
      q.window.all(sourceId, toAt, fromAt, limit).map(toSegment),
    segment(sourceId: number, id: number): StoredSegment | undefined {
      const row = q.segment.get(id, sourceId);
      return row ? toSegment(row) : undefined;
    },
    openGap(sourceId: number): RecordingGap | undefined {
      const row = q.openGap.get(sourceId);
      return row ? toGap(row) : undefined;
    },
    insertGap: (
      sourceId: number,
      fromAt: number,
      toAt: number | null,
      reason: GapReason,
      detail: string,
    ): number => Number(q.insertGap.run(sourceId, fromAt, toAt, reason, detail).lastInsertRowid),
    closeGap: (id: number, toAt: number, detail: string) => void q.closeGap.run(toAt, detail, id),
    deleteGap: (id: number) => void q.deleteGap.run(id),
    gaps: (sourceId: number, fromAt: number, toAt: number): RecordingGap[] =>
      q.gaps.all(sourceId, toAt, fromAt).map(toGap),
    /** Oldest first, segments no hold covers. */
    unheld: (sourceId: number, limit: number): StoredSegment[] =>
      q.unheld.all(sourceId, limit).map(toSegment),
    deleteSegment: (id: number) => void q.deleteSegment.run(id),
    deleteGapsBefore: (sourceId: number, before: number) =>
      void q.deleteGapsBefore.run(sourceId, before),
    addHold: (sourceId: number, fromAt: number, toAt: number, reason: string): number =>
      Number(q.insertHold.run(sourceId, fromAt, toAt, reason, now()).lastInsertRowid),
    removeHold: (id: number) => void q.removeHold.run(id),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
  };
}

export type RecorderStore = ReturnType<typeof createRecorderStore>;
