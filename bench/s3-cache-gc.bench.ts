// One purge pass over 10,000 cached files: the steady state (nothing to remove) and a pass that
// removes half of them as orphans. 1,000 files are retained by the schedule, 100 are open.
// Real SQLite file, real files on disk (1 KiB each), the core's cache service, injected clock.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore } from '../src-main/core/create-core';
import { silentLogger } from '../src-main/core/logger';
import { cacheFileFor, formatS3Source } from '../src-main/core/storage/object-ref';
import { makeTempDir } from '../tests/helpers/temp-dir';

const FILES = 10_000;
const RETAINED = 1_000;
const OPEN = 100;
const MIN = 60_000;

// Wrapped: bench/run.mjs bundles to CommonJS, which has no top-level await.
async function main(): Promise<void> {
  const temp = makeTempDir('airdeck-bench-gc-');
  let now = Date.UTC(2026, 10, 21, 12);
  const t0 = now;
  const core = await createCore({
    dataDir: temp.path,
    mode: 'headless',
    version: 'bench',
    logger: silentLogger,
    clock: { now: () => now },
  });
  try {
    const db = core.context.db;
    const added = await core.dispatch('storageLocationsAdd', {
      name: 'Bench',
      endpoint: 'http://127.0.0.1:9',
      bucket: 'bench-bucket',
    });
    if (!added.ok) throw new Error(added.error.message);
    const locationId = (added.result as { id: number }).id;
    const body = Buffer.alloc(1024, 7);
    const insertEntry = db.prepare(
      `INSERT INTO cache_entries (location_id, object_key, etag, size, file, created_at, last_read_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertAsset = db.prepare(
      `INSERT INTO assets (folder_id, name, source_kind, source_location, state, created_at, updated_at)
       VALUES (1, ?, 's3', ?, 'ready', 0, 0)`,
    );
    const insertObject = db.prepare(
      'INSERT INTO storage_asset_objects (asset_id, location_id, object_key, etag, size) VALUES (?, ?, ?, ?, ?)',
    );
    const channel = Number(
      db
        .prepare(
          "INSERT INTO channels (name, number, slug, created_at, updated_at) VALUES ('B', 1, 'b', 0, 0)",
        )
        .run().lastInsertRowid,
    );
    const insertItem = db.prepare(
      `INSERT INTO schedule_items (channel_id, kind, asset_id, starts_at, duration_ms, created_at, updated_at)
       VALUES (?, 'asset', ?, ?, ?, 0, 0)`,
    );
    db.transaction(() => {
      for (let i = 0; i < FILES; i += 1) {
        const key = `programmes/${i}.mxf`;
        const etag = `etag${i}`;
        const file = cacheFileFor(locationId, key, etag);
        const path = join(temp.path, 'cache', file);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, body);
        // Even files were read long ago, odd ones recently.
        insertEntry.run(
          locationId,
          key,
          etag,
          body.length,
          file,
          t0,
          i % 2 === 0 ? t0 : t0 + 200 * MIN,
        );
        if (i < RETAINED) {
          const asset = Number(
            insertAsset.run(key, formatS3Source(locationId, key)).lastInsertRowid,
          );
          insertObject.run(asset, locationId, key, etag, body.length);
          insertItem.run(channel, asset, t0 + 250 * MIN + i * MIN, 30 * MIN);
        }
      }
    })();
    const held = [];
    for (let i = RETAINED; i < RETAINED + OPEN; i += 1) {
      held.push(
        await core.cache.open(locationId, `programmes/${i}.mxf`, { etag: `etag${i}`, size: 1024 }),
      );
    }

    const pass = () => {
      const cpu0 = process.cpuUsage();
      const t = performance.now();
      const report = core.cache.gc();
      const cpu = process.cpuUsage(cpu0);
      return {
        ms: Math.round((performance.now() - t) * 10) / 10,
        cpuMs: Math.round((cpu.user + cpu.system) / 100) / 10,
        removed: report.removed,
      };
    };
    // Steady state: nothing unread for 120 minutes yet.
    now = t0 + 100 * MIN;
    const steady = [pass(), pass(), pass()];
    // The even files (read at t0) become orphans, except the retained and open ones: 4,450.
    now = t0 + 201 * MIN;
    const purge = pass();
    for (const h of held) h.release();
    process.stdout.write(
      `${JSON.stringify({
        bench: 's3-cache-gc',
        files: FILES,
        retained: RETAINED,
        open: OPEN,
        steadyPass: steady[steady.length - 1],
        purgePass: purge,
        loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
      })}\n`,
    );
  } finally {
    await core.close();
    temp.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
