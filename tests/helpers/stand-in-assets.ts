import type { Database } from 'better-sqlite3';

/**
 * A ready asset as rows only (main and proxy renditions with the given segment durations, no
 * files): enough for the playout engine and ticker, which are arithmetic and never open media.
 */
export function insertStandInAsset(db: Database, segmentsMs: readonly number[]): number {
  const total = segmentsMs.reduce((a, b) => a + b, 0);
  const id = Number(
    db
      .prepare(
        `INSERT INTO assets (folder_id, name, source_kind, source_location, state, duration_ms, created_at, updated_at)
         VALUES (1, ?, 'file', '/src/x.mp4', 'ready', ?, 1, 1)`,
      )
      .run(`clip ${total}`, total).lastInsertRowid,
  );
  const segment = db.prepare(`INSERT INTO segments VALUES (?, ?, ?, ?, ?, 100)`);
  for (const kind of ['main', 'proxy']) {
    const rendition = db
      .prepare(
        `INSERT INTO renditions (asset_id, kind, dir, width, height, bandwidth, duration_ms) VALUES (?, ?, ?, 1280, 720, 1, ?)`,
      )
      .run(id, kind, `${id}/${kind}`, total).lastInsertRowid;
    let start = 0;
    segmentsMs.forEach((d, seq) => {
      segment.run(rendition, seq, `s${seq}.ts`, start, d);
      start += d;
    });
  }
  return id;
}
