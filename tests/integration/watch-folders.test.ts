import {
  appendFileSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoreContext } from '../../src-main/core/core-context';
import { openDatabase } from '../../src-main/core/db/open-database';
import { AppError } from '../../src-main/core/errors';
import { EventBus } from '../../src-main/core/events/event-bus';
import { createFfmpegRegistry } from '../../src-main/core/ffmpeg';
import type { IngestService } from '../../src-main/core/ingest/types';
import { createLibraryFeature } from '../../src-main/core/library/library-feature';
import { createPathGuard } from '../../src-main/core/library/allowed-roots';
import { silentLogger } from '../../src-main/core/logger';
import { createSettingsService } from '../../src-main/core/settings/settings-service';
import { SOURCE_REMOVED_MESSAGE } from '../../src-main/core/watch/watch-service';
import { makeTempDir } from '../helpers/temp-dir';

// The watcher's job ends when the asset row exists and is queued; ingest only has to record it.
// Short timings keep the test quick; the logic is the same as with the 2 s production default.
const WATCH = { stabilityMs: 500, pollMs: 100, renameWindowMs: 1500 };

function recordingIngest(enqueued: number[]): IngestService {
  return {
    enqueue: (id) => void enqueued.push(id),
    retry: () => {},
    cancel: async () => {},
    whenSettled: async () => 'ready',
    removeMedia: async () => {},
    resume: () => {},
    close: async () => {},
  };
}

function openContext(dataDir: string): CoreContext {
  const { db } = openDatabase(join(dataDir, 'airdeck.db'));
  const bus = new EventBus();
  return {
    db,
    bus,
    clock: { now: () => Date.now() },
    logger: silentLogger,
    dataDir,
    mediaDir: join(dataDir, 'media'),
    settings: createSettingsService(db, bus, () => 0),
    ffmpeg: {
      status: { available: false } as never,
      binaries: null,
      registry: createFfmpegRegistry(),
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

describe('watch folders', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let disk: string;
  let dataDir: string;
  let context: CoreContext;
  let feature: ReturnType<typeof createLibraryFeature>;
  let enqueued: number[];

  const boot = () => {
    context = openContext(dataDir);
    // The test's temp folder is an allowed root (the default allows only <data>/import).
    feature = createLibraryFeature(context, recordingIngest(enqueued), {
      watch: WATCH,
      allowedPaths: createPathGuard(() => [dir.path]),
    });
    feature.start?.();
  };
  const shutdown = async () => {
    await feature.close?.();
    context.db.close();
  };
  const assets = () =>
    context.db
      .prepare('SELECT id, name, folder_id, source_location, state, error FROM assets ORDER BY id')
      .all() as {
      id: number;
      name: string;
      folder_id: number;
      source_location: string;
      state: string;
      error: string | null;
    }[];

  beforeEach(() => {
    dir = makeTempDir();
    disk = join(dir.path, 'drop box');
    dataDir = join(dir.path, 'data');
    mkdirSync(disk);
    mkdirSync(dataDir);
    enqueued = [];
    boot();
  });
  afterEach(async () => {
    await shutdown();
    dir.remove();
  });

  it('validates the disk path', () => {
    const lib = feature.library;
    expect(() => lib.watch.add('relative/dir', 1)).toThrow(AppError);
    expect(() => lib.watch.add(join(dir.path, 'missing'), 1)).toThrow(/does not exist/);
    writeFileSync(join(dir.path, 'file'), 'x');
    expect(() => lib.watch.add(join(dir.path, 'file'), 1)).toThrow(/not a directory/);
    expect(() => lib.watch.add(dataDir, 1)).toThrow(/data folder/);
    expect(() => lib.watch.add(dir.path, 1)).toThrow(/data folder/);
    const added = lib.watch.add(disk, 1);
    expect(added).toMatchObject({ diskPath: disk, folderId: 1, enabled: true });
    expect(() => lib.watch.add(disk, 1)).toThrow(/overlaps/);
    expect(lib.watch.list()).toHaveLength(1);
    // Outside the allowed roots (here: the test's temp folder), or led out of them by a link.
    const codeOf = (diskPath: string) => {
      try {
        lib.watch.add(diskPath, 1);
        return null;
      } catch (error) {
        return error instanceof AppError ? error.code : String(error);
      }
    };
    expect(codeOf(tmpdir())).toBe('path_not_allowed');
    symlinkSync(tmpdir(), join(dir.path, 'out'));
    expect(codeOf(join(dir.path, 'out'))).toBe('path_not_allowed');
    expect(codeOf(`${disk}/../../..`)).toBe('path_not_allowed');
  });

  it('imports a slowly copied file once, only after it stops growing, and nothing twice after a restart', async () => {
    const folder = feature.library.createFolder(1, 'Incoming');
    feature.library.watch.add(disk, folder.id);
    mkdirSync(join(disk, 'Sub dir “ü”'));
    const slow = join(disk, 'Sub dir “ü”', 'Slow “copy” – 東京.mxf');
    writeFileSync(join(disk, '.hidden.mp4'), 'hidden');
    writeFileSync(slow, Buffer.alloc(1000, 1));
    // Grows for ~2 s in chunks: longer than the stability window several times over.
    for (let i = 0; i < 10; i += 1) {
      await sleep(200);
      expect(assets()).toHaveLength(0);
      appendFileSync(slow, Buffer.alloc(1000, 2));
    }
    const [imported] = await until(() => (assets().length ? assets() : null));
    expect(imported).toMatchObject({
      name: 'Slow “copy” – 東京',
      source_location: slow,
      state: 'probing',
    });
    expect(feature.library.folder(imported!.folder_id).name).toBe('Sub dir “ü”');
    expect(statSync(slow).size).toBe(11_000);
    await sleep(WATCH.stabilityMs * 3);
    await feature.library.watch.idle();
    expect(assets()).toHaveLength(1);
    expect(enqueued).toEqual([imported!.id]);

    await shutdown();
    writeFileSync(join(disk, 'new while stopped.mp4'), 'new');
    boot();
    await until(() => assets().length === 2);
    await sleep(WATCH.stabilityMs * 3);
    await feature.library.watch.idle();
    expect(assets().map((a) => a.name)).toEqual(['Slow “copy” – 東京', 'new while stopped']);
    // the restarted watcher queued only the new file, not the slow one again
    expect(enqueued).toEqual([imported!.id, assets()[1]!.id]);
  });

  it('reflects a rename as a rename, and a deletion by deleting the unused asset', async () => {
    const changes: string[] = [];
    context.bus.on('assetChanged', (a) => changes.push(a.name));
    feature.library.watch.add(disk, 1);
    const original = join(disk, 'Take 1.mp4');
    writeFileSync(original, 'take');
    const [asset] = await until(() => (assets().length ? assets() : null));
    renameSync(original, join(disk, 'Take 1 final.mp4'));
    await until(() => assets()[0]?.name === 'Take 1 final');
    expect(assets()).toHaveLength(1);
    expect(assets()[0]).toMatchObject({
      id: asset!.id,
      source_location: join(disk, 'Take 1 final.mp4'),
    });
    expect(changes).toContain('Take 1 final');

    // moved into a sub-directory: the asset follows into the matching library folder
    mkdirSync(join(disk, 'Archive'));
    renameSync(join(disk, 'Take 1 final.mp4'), join(disk, 'Archive', 'Take 1 final.mp4'));
    await until(() => assets()[0]?.source_location === join(disk, 'Archive', 'Take 1 final.mp4'));
    expect(feature.library.folder(assets()[0]!.folder_id).name).toBe('Archive');

    rmSync(join(disk, 'Archive', 'Take 1 final.mp4'));
    await until(() => assets().length === 0);
  });

  it('keeps a scheduled asset whose source is deleted and marks it failed if not yet ingested', async () => {
    feature.library.watch.add(disk, 1);
    writeFileSync(join(disk, 'On air.mp4'), 'air');
    const [asset] = await until(() => (assets().length ? assets() : null));
    context.db
      .prepare(
        `INSERT INTO channels (name, number, slug, created_at, updated_at) VALUES ('Ch 1', 1, 'ch-1', 0, 0)`,
      )
      .run();
    context.db
      .prepare(
        `INSERT INTO schedule_items (channel_id, kind, asset_id, starts_at, duration_ms, created_at, updated_at) VALUES (1, 'asset', ?, 0, 1000, 0, 0)`,
      )
      .run(asset!.id);
    rmSync(join(disk, 'On air.mp4'));
    await until(() => assets()[0]?.state === 'failed');
    expect(assets()[0]!.error).toBe(SOURCE_REMOVED_MESSAGE);
  });

  it('detects a removal made while stopped', async () => {
    feature.library.watch.add(disk, 1);
    const file = join(disk, 'clip.mp4');
    writeFileSync(file, 'clip');
    await until(() => assets().length === 1);
    await shutdown();
    rmSync(file);
    boot();
    await until(() => assets().length === 0);
  });

  it('stops watching when its library folder is deleted', async () => {
    const folder = feature.library.createFolder(1, 'Watched');
    feature.library.watch.add(disk, folder.id);
    await feature.library.deleteFolder(folder.id);
    await until(() => feature.library.watch.list().length === 0);
    writeFileSync(join(disk, 'after.mp4'), 'x');
    await sleep(WATCH.stabilityMs * 3);
    expect(assets()).toHaveLength(0);
  });
});
