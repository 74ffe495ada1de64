import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src-main/core/db/open-database';
import { EventBus } from '../../src-main/core/events/event-bus';
import { createFfmpegRegistry } from '../../src-main/core/ffmpeg';
import { silentLogger } from '../../src-main/core/logger';
import { createMediaTables } from '../../src-main/core/playout/media-tables';
import { createPlayoutEngine } from '../../src-main/core/playout/playout-engine';
import { createPlayoutStore } from '../../src-main/core/playout/playout-store';
import { createSettingsService } from '../../src-main/core/settings/settings-service';
import { makeTempDir } from './temp-dir';

/** A 6 s slate of three 2 s segments, as the engine sees the station slate's table. */
export const STAND_IN_SLATE = [0, 1, 2].map((seq) => ({
  seq,
  startMs: seq * 2000,
  durationMs: 2000,
}));

/**
 * The playout engine on a real database in a temp folder, with a hand-driven clock and no
 * ffmpeg: the engine is arithmetic over rows and never opens media. `seed` runs after the
 * schema exists and before the engine reads anything.
 */
export function createEngineHarness(
  prefix: string,
  startAt: number,
  seed?: (db: ReturnType<typeof openDatabase>['db'], bus: EventBus) => void,
) {
  const dir = makeTempDir(prefix);
  const { db } = openDatabase(join(dir.path, 'airdeck.db'));
  const bus = new EventBus();
  const mediaDir = join(dir.path, 'media');
  mkdirSync(mediaDir, { recursive: true });
  const clock = { at: startAt };
  const context = {
    db,
    bus,
    clock: { now: () => clock.at },
    logger: silentLogger,
    dataDir: dir.path,
    mediaDir,
    settings: createSettingsService(db, bus, () => 0),
    ffmpeg: {
      status: { available: false } as never,
      binaries: null,
      registry: createFfmpegRegistry(),
    },
  };
  seed?.(db, bus);
  const store = createPlayoutStore(db, () => clock.at);
  const tables = createMediaTables(db, mediaDir, bus);
  const engine = createPlayoutEngine({ context, store, tables, slateTable: STAND_IN_SLATE });
  return {
    db,
    bus,
    clock,
    context,
    store,
    tables,
    engine,
    mediaDir,
    close() {
      engine.close();
      tables.close();
      db.close();
      dir.remove();
    },
  };
}
export type EngineHarness = ReturnType<typeof createEngineHarness>;
