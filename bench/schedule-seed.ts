// Shared by the schedule benches: a core on a temp folder holding 20 channels × 7 days × 60
// items a day (8,400 items), seeded straight into SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../src-main/core/create-core';
import { silentLogger } from '../src-main/core/logger';

export const CHANNELS = 20;
export const DAYS = 7;
export const PER_DAY = 60;
export const ITEM_MS = 24 * 60_000;
export const WEEK_START = Date.parse('2030-01-07T00:00:00Z');

export async function seededCore() {
  const dataDir = mkdtempSync(join(tmpdir(), 'airdeck-bench-schedule-'));
  const core = await createCore({
    dataDir,
    mode: 'headless',
    version: 'bench',
    logger: silentLogger,
  });
  const db = core.context.db;
  db.transaction(() => {
    const asset = db.prepare(
      `INSERT INTO assets (folder_id, name, source_kind, source_location, state, duration_ms, created_at, updated_at)
       VALUES (1, ?, 'file', ?, 'ready', ?, 0, 0)`,
    );
    for (let a = 1; a <= 200; a++) asset.run(`Asset ${a}`, `/media/${a}.mp4`, ITEM_MS);
    const channel = db.prepare(
      `INSERT INTO channels (name, number, slug, sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)`,
    );
    const item = db.prepare(
      `INSERT INTO schedule_items (channel_id, kind, asset_id, starts_at, duration_ms, created_at, updated_at)
       VALUES (?, 'asset', ?, ?, ?, 0, 0)`,
    );
    for (let c = 1; c <= CHANNELS; c++) {
      const id = Number(channel.run(`Channel ${c}`, c, `ch-${c}`, c).lastInsertRowid);
      for (let i = 0; i < DAYS * PER_DAY; i++)
        item.run(id, 1 + ((i + c) % 200), WEEK_START + i * ITEM_MS, ITEM_MS);
    }
  })();
  return {
    core,
    async close() {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    n: sorted.length,
    p50: round(at(50)),
    p95: round(at(95)),
    max: round(sorted.at(-1) ?? NaN),
  };
}
