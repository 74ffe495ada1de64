// Library listing and search in the core (no transport): a 2,000-asset folder listed whole, and
// searches over 10,000 assets. Prints one JSON line; the goal is < 50 ms p95 for each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AssetQuery } from '../src-shared/contract';
import { openDatabase } from '../src-main/core/db/open-database';
import { createAssetQuery } from '../src-main/core/library/asset-query';

const TOTAL = 10_000;
const BIG_FOLDER = 2_000;
const FOLDERS = 50;
const RUNS = 60;

const dir = mkdtempSync(join(tmpdir(), 'airdeck-bench-library-'));
try {
  const { db } = openDatabase(join(dir, 'airdeck.db'));
  const words = [
    'News',
    'Evening',
    'Sport',
    'Weather',
    'Film',
    'Documentary',
    'Ειδήσεις',
    'Новости',
    'Promo',
    'Kids',
  ];
  const codecs = ['h264', 'hevc', 'prores', 'mpeg2video'];
  const states = ['ready', 'ready', 'ready', 'failed', 'ingesting'];
  db.transaction(() => {
    const folder = db.prepare<[number, string]>(
      'INSERT INTO folders (parent_id, name, created_at) VALUES (?, ?, 0)',
    );
    const big = Number(folder.run(1, 'Big').lastInsertRowid);
    const others: number[] = [];
    for (let i = 0; i < FOLDERS; i += 1)
      others.push(Number(folder.run(i % 5 === 0 ? 1 : big, `Folder ${i}`).lastInsertRowid));
    const asset =
      db.prepare(`INSERT INTO assets (folder_id, name, source_kind, source_location, source_size,
      source_mtime_ms, state, progress, duration_ms, video_codec, width, height, size_bytes, created_at, updated_at)
      VALUES (?, ?, 'file', ?, 1, 1, ?, 1, ?, ?, 1920, 1080, ?, ?, ?)`);
    const tag = db.prepare('INSERT INTO asset_tags (asset_id, tag) VALUES (?, ?)');
    for (let i = 0; i < TOTAL; i += 1) {
      const folderId = i < BIG_FOLDER ? big : others[i % FOLDERS]!;
      const name = `${words[i % words.length]} ${words[(i * 7) % words.length]} episode ${i} “take ${i % 13}”`;
      const id = Number(
        asset.run(
          folderId,
          name,
          `/media/src/${i}.mxf`,
          states[i % states.length],
          30_000 + ((i * 7919) % 7_200_000),
          codecs[i % codecs.length],
          1_000_000 + i,
          i,
          i,
        ).lastInsertRowid,
      );
      if (i % 3 === 0) tag.run(id, `tag${i % 40}`);
      if (i % 10 === 0) tag.run(id, 'premiere');
    }
  })();
  db.pragma('optimize');
  const query = createAssetQuery(db);
  const bigId = (db.prepare("SELECT id FROM folders WHERE name = 'Big'").get() as { id: number })
    .id;

  const cases: Record<string, AssetQuery> = {
    listFolder2000: { folderId: bigId, limit: 2000 },
    listFolder2000BySize: { folderId: bigId, limit: 2000, sort: 'sizeBytes', direction: 'desc' },
    search10000: { text: 'evening episode 12' },
    search10000Greek: { text: 'ειδήσεις' },
    search10000Recursive: { folderId: bigId, recursive: true, text: 'sport', sort: 'durationMs' },
    filter10000: { tag: 'premiere', videoCodec: 'h264', minDurationMs: 60_000, state: 'ready' },
  };
  const results: Record<
    string,
    { p50: number; p95: number; max: number; rows: number; total: number }
  > = {};
  for (const [label, q] of Object.entries(cases)) {
    for (let i = 0; i < 5; i += 1) query(q);
    const samples: number[] = [];
    let rows = 0;
    let total = 0;
    for (let i = 0; i < RUNS; i += 1) {
      const t0 = performance.now();
      const r = query(q);
      samples.push(performance.now() - t0);
      rows = r.items.length;
      total = r.total;
    }
    samples.sort((a, b) => a - b);
    const at = (p: number) =>
      Math.round(
        samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))]! * 100,
      ) / 100;
    results[label] = { p50: at(50), p95: at(95), max: at(100), rows, total };
  }
  db.close();
  const goalMs = 50;
  const pass = Object.values(results).every((r) => r.p95 < goalMs);
  process.stdout.write(
    `${JSON.stringify({ bench: 'library-query', assets: TOTAL, bigFolder: BIG_FOLDER, runs: RUNS, unit: 'ms', goalMs, pass, results })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
