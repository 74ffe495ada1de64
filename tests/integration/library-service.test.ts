import { join } from 'node:path';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import type { EventName, EventPayload } from '../../src-shared/contract';
import type { CoreContext } from '../../src-main/core/core-context';
import { openDatabase } from '../../src-main/core/db/open-database';
import { EventBus } from '../../src-main/core/events/event-bus';
import { createFfmpegRegistry } from '../../src-main/core/ffmpeg';
import type { IngestService } from '../../src-main/core/ingest/types';
import { createLibraryFeature } from '../../src-main/core/library/library-feature';
import { silentLogger } from '../../src-main/core/logger';
import { createSettingsService } from '../../src-main/core/settings/settings-service';
import { AppError } from '../../src-main/core/errors';
import { makeTempDir } from '../helpers/temp-dir';

// Ingest is another service with its own tests; here it only has to record what the library
// asked of it, so folder and asset logic is tested against a real SQLite file without ffmpeg.
function recordingIngest() {
  const calls: string[] = [];
  const ingest: IngestService = {
    enqueue: (id) => void calls.push(`enqueue ${id}`),
    retry: (id) => void calls.push(`retry ${id}`),
    cancel: async (id) => void calls.push(`cancel ${id}`),
    whenSettled: async () => 'ready',
    removeMedia: async (id) => void calls.push(`removeMedia ${id}`),
    resume: () => {},
    close: async () => {},
  };
  return { ingest, calls };
}

function makeContext(dataDir: string): CoreContext {
  const { db } = openDatabase(join(dataDir, 'airdeck.db'));
  const bus = new EventBus();
  let t = 1_000;
  const mediaDir = join(dataDir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  return {
    db,
    bus,
    clock: { now: () => (t += 1) },
    logger: silentLogger,
    dataDir,
    mediaDir,
    settings: createSettingsService(db, bus, () => 0),
    ffmpeg: {
      status: { available: false } as never,
      binaries: null,
      registry: createFfmpegRegistry(),
    },
  };
}

function insertAsset(
  db: Database,
  folderId: number,
  name: string,
  extra: Partial<Record<string, string | number>> = {},
) {
  const row = {
    state: 'ready',
    duration_ms: 60_000,
    video_codec: 'h264',
    size_bytes: 1000,
    ...extra,
  };
  return Number(
    db
      .prepare(
        `INSERT INTO assets (folder_id, name, source_kind, source_location, state, duration_ms, video_codec, size_bytes, created_at, updated_at)
         VALUES (?, ?, 'file', '/src/x.mp4', ?, ?, ?, ?, 1, 1)`,
      )
      .run(folderId, name, row.state, row.duration_ms, row.video_codec, row.size_bytes)
      .lastInsertRowid,
  );
}

function schedule(db: Database, assetId: number, startsAt: number, channelName = 'Channel 1') {
  const channel =
    (
      db.prepare('SELECT id FROM channels WHERE name = ?').get(channelName) as
        { id: number } | undefined
    )?.id ??
    Number(
      db
        .prepare(
          `INSERT INTO channels (name, number, slug, created_at, updated_at) VALUES (?, (SELECT count(*) + 1 FROM channels), ?, 0, 0)`,
        )
        .run(channelName, channelName.toLowerCase().replace(/\W+/g, '-')).lastInsertRowid,
    );
  db.prepare(
    `INSERT INTO schedule_items (channel_id, kind, asset_id, starts_at, duration_ms, created_at, updated_at) VALUES (?, 'asset', ?, ?, 1000, 0, 0)`,
  ).run(channel, assetId, startsAt);
}

async function expectAppError(p: unknown, code: string, message?: RegExp) {
  const error = await Promise.resolve()
    .then(() => (typeof p === 'function' ? (p as () => unknown)() : p))
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
}

describe('library service', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let context: CoreContext;
  let feature: ReturnType<typeof createLibraryFeature>;
  let calls: string[];
  let events: { event: EventName; data: unknown }[];

  beforeEach(() => {
    dir = makeTempDir();
    context = makeContext(dir.path);
    const recorded = recordingIngest();
    calls = recorded.calls;
    feature = createLibraryFeature(context, recorded.ingest);
    events = [];
    context.bus.onAny((event, data) => events.push({ event, data }));
  });
  afterEach(async () => {
    await feature.close?.();
    context.db.close();
    dir.remove();
  });

  const lib = () => feature.library;
  const last = <E extends EventName>(event: E) =>
    events.filter((e) => e.event === event).at(-1)?.data as EventPayload<E> | undefined;

  it('keeps folder names unique per parent case-insensitively, in every script', async () => {
    const news = lib().createFolder(1, '  News\u0007 ');
    expect(news.name).toBe('News');
    await expectAppError(
      () => lib().createFolder(1, 'NEWS'),
      'conflict',
      /“News” already exists in “Library”/,
    );
    const greek = lib().createFolder(news.id, 'Ειδήσεις "late"');
    await expectAppError(() => lib().createFolder(news.id, 'ΕΙΔΉΣΕΙΣ "LATE"'), 'conflict');
    expect(greek.name).toBe('Ειδήσεις "late"');
    // the same name under another parent is fine
    expect(lib().createFolder(1, 'Ειδήσεις "late"').parentId).toBe(1);
    await expectAppError(() => lib().createFolder(1, '../etc'), 'invalid_request');
    await expectAppError(() => lib().createFolder(999, 'x'), 'not_found');
    expect(last('foldersChanged')?.folders.map((f) => f.name)).toContain('Ειδήσεις "late"');
  });

  it('renames and moves folders, refusing cycles and the root', async () => {
    const a = lib().createFolder(1, 'A');
    const b = lib().createFolder(a.id, 'B');
    const c = lib().createFolder(b.id, 'C');
    await expectAppError(
      () => lib().moveFolder(a.id, c.id),
      'conflict',
      /into itself or one of its sub-folders/,
    );
    await expectAppError(() => lib().moveFolder(a.id, a.id), 'conflict');
    await expectAppError(() => lib().moveFolder(1, a.id), 'forbidden');
    await expectAppError(() => lib().renameFolder(1, 'Root'), 'forbidden');
    await expectAppError(() => lib().deleteFolder(1), 'forbidden');
    expect(lib().moveFolder(c.id, 1).parentId).toBe(1);
    lib().createFolder(1, 'Dup');
    await expectAppError(() => lib().renameFolder(c.id, 'dup'), 'conflict');
    expect(lib().renameFolder(c.id, 'C renamed').name).toBe('C renamed');
    // renaming to a different case of its own name is allowed
    expect(lib().renameFolder(c.id, 'c RENAMED').name).toBe('c RENAMED');
    expect(lib().folderByPath('A/B', false).id).toBe(b.id);
    expect(lib().folderByPath('a/b/new/deeper', true).parentId).not.toBe(1);
    await expectAppError(() => lib().folderByPath('nope/x', false), 'not_found');
  });

  it('lists, filters, searches and sorts assets with paging', () => {
    const f = lib().createFolder(1, 'Shows');
    const sub = lib().createFolder(f.id, 'Sub');
    const ids = {
      news: insertAsset(context.db, f.id, 'Evening News', { duration_ms: 1_800_000 }),
      film: insertAsset(context.db, f.id, 'film 100%_done', {
        video_codec: 'hevc',
        duration_ms: 5_400_000,
      }),
      greek: insertAsset(context.db, sub.id, 'ΕΙΔΉΣΕΙΣ βράδυ', {
        state: 'failed',
        duration_ms: 10_000,
      }),
      probing: insertAsset(context.db, 1, 'zzz unknown', { state: 'probing' }),
    };
    context.db.prepare('UPDATE assets SET duration_ms = NULL WHERE id = ?').run(ids.probing);
    lib().setTags(ids.film, ['Premiere', 'Drama', 'drama']);

    const names = (q: Parameters<ReturnType<typeof lib>['query']>[0]) =>
      lib()
        .query(q)
        .items.map((a) => a.name);
    expect(names({ folderId: f.id })).toEqual(['Evening News', 'film 100%_done']);
    expect(names({ folderId: f.id, recursive: true })).toEqual([
      'Evening News',
      'film 100%_done',
      'ΕΙΔΉΣΕΙΣ βράδυ',
    ]);
    expect(names({ text: 'news' })).toEqual(['Evening News']);
    expect(names({ text: 'evening NEWS' })).toEqual(['Evening News']);
    expect(names({ text: '100%' })).toEqual(['film 100%_done']);
    expect(names({ text: '%' })).toEqual(['film 100%_done']);
    expect(names({ text: 'είδησεις' })).toEqual([]); // accents are not folded, only case
    expect(names({ text: 'ειδήσεις' })).toEqual(['ΕΙΔΉΣΕΙΣ βράδυ']);
    expect(names({ text: 'premi' })).toEqual(['film 100%_done']); // matches a tag
    expect(names({ tag: 'DRAMA' })).toEqual(['film 100%_done']);
    expect(names({ state: 'failed' })).toEqual(['ΕΙΔΉΣΕΙΣ βράδυ']);
    expect(names({ videoCodec: 'HEVC' })).toEqual(['film 100%_done']);
    expect(names({ minDurationMs: 60_000, maxDurationMs: 2_000_000 })).toEqual(['Evening News']);
    expect(names({ sort: 'durationMs' })).toEqual([
      'ΕΙΔΉΣΕΙΣ βράδυ',
      'Evening News',
      'film 100%_done',
      'zzz unknown',
    ]);
    expect(names({ sort: 'durationMs', direction: 'desc' })[3]).toBe('zzz unknown');
    const page = lib().query({ sort: 'name', offset: 1, limit: 2 });
    expect(page.total).toBe(4);
    expect(page.items.map((a) => a.name)).toEqual(['film 100%_done', 'zzz unknown']);
    expect(lib().query({ folderId: f.id }).items[1]?.tags).toEqual(['Drama', 'Premiere']);
  });

  it('renames, tags and moves assets and announces each change', () => {
    const f = lib().createFolder(1, 'F');
    const id = insertAsset(context.db, 1, 'Old');
    expect(lib().renameAsset(id, ' “Quoted” name\n').name).toBe('“Quoted” name');
    expect(last('assetChanged')?.name).toBe('“Quoted” name');
    expect(lib().moveAssets([id], f.id)).toBe(1);
    expect(last('assetChanged')?.folderId).toBe(f.id);
    expect(last('foldersChanged')?.folders.find((x) => x.id === f.id)?.assetCount).toBe(1);
    expect(lib().moveAssets([id], f.id)).toBe(0);
    expect(() => lib().moveAssets([id], 4242)).toThrow(AppError);
  });

  it('refuses to delete scheduled assets, says where they are used, and force skips them', async () => {
    const used = insertAsset(context.db, 1, 'Evening News');
    const free = insertAsset(context.db, 1, 'Free');
    schedule(context.db, used, Date.UTC(2026, 10, 21, 18, 0));
    for (let i = 1; i <= 3; i += 1) schedule(context.db, used, Date.UTC(2026, 10, 21 + i, 18, 0));
    await expectAppError(
      lib().deleteAssets([free, used], false),
      'conflict',
      /^“Evening News” is scheduled on Channel 1 at 2026-11-21 18:00 UTC \(and 3 more\)\. Remove it from the schedule first\.$/,
    );
    expect(lib().query({}).total).toBe(2);
    expect(lib().asset(used).usage).toHaveLength(4);

    expect(await lib().deleteAssets([free, used], true)).toEqual({ deleted: 1, skipped: [used] });
    expect(calls).toContain(`removeMedia ${free}`);
    expect(last('assetsRemoved')).toEqual({ ids: [free] });
    expect(
      lib()
        .query({})
        .items.map((a) => a.id),
    ).toEqual([used]);
  });

  it('deletes a folder with everything inside unless something inside is scheduled', async () => {
    const top = lib().createFolder(1, 'Top');
    const mid = lib().createFolder(top.id, 'Mid');
    lib().createFolder(mid.id, 'Leaf');
    const a = insertAsset(context.db, mid.id, 'A', { state: 'ingesting' });
    const b = insertAsset(context.db, top.id, 'B');
    schedule(context.db, b, 0);
    await expectAppError(lib().deleteFolder(top.id), 'conflict', /“B” is scheduled/);
    context.db.prepare('DELETE FROM schedule_items').run();
    expect(await lib().deleteFolder(top.id)).toEqual({ deletedAssets: 2 });
    expect(calls).toEqual(
      expect.arrayContaining([`cancel ${a}`, `removeMedia ${a}`, `removeMedia ${b}`]),
    );
    expect(
      lib()
        .folders()
        .map((f) => f.name),
    ).toEqual(['Library']);
    expect(last('foldersChanged')?.folders).toHaveLength(1);
  });

  it('reads asset detail: probe, renditions with playlist URLs, filmstrip, usage', () => {
    const id = insertAsset(context.db, 1, 'Detail');
    const probe = {
      container: 'mp4',
      durationMs: 1000,
      sizeBytes: 10,
      bitRate: null,
      video: null,
      audio: [],
    };
    context.db
      .prepare('UPDATE assets SET probe_json = ? WHERE id = ?')
      .run(JSON.stringify(probe), id);
    const r = context.db
      .prepare(
        `INSERT INTO renditions (asset_id, kind, dir, width, height, bandwidth, duration_ms) VALUES (?, 'proxy', 'proxy', 640, 360, 800000, 1000)`,
      )
      .run(id).lastInsertRowid;
    context.db.prepare(`INSERT INTO segments VALUES (?, 0, 'seg-00000.ts', 0, 1000, 100)`).run(r);
    mkdirSync(join(context.mediaDir, String(id)), { recursive: true });
    writeFileSync(
      join(context.mediaDir, String(id), 'filmstrip.json'),
      JSON.stringify({ columns: 10, rows: 1, intervalMs: 100, tileWidth: 160, tileHeight: 90 }),
    );
    const detail = lib().asset(id);
    expect(detail.probe).toEqual(probe);
    expect(detail.renditions).toEqual([
      expect.objectContaining({
        kind: 'proxy',
        segmentCount: 1,
        playlistUrl: `/media/${id}/proxy/index.m3u8`,
      }),
    ]);
    expect(detail.filmstrip?.url).toBe(`/media/${id}/filmstrip.jpg`);
    expect(detail.posterUrl).toMatch(new RegExp(`^/media/${id}/poster.jpg`));
    expect(() => lib().asset(9999)).toThrow(AppError);
  });

  it('imports files and folders with their structure and reports bad paths one by one', async () => {
    const src = join(dir.path, 'drop');
    mkdirSync(join(src, 'Season 1', 'Ωμέγα'), { recursive: true });
    writeFileSync(join(src, 'Season 1', 'Ep "1".mp4'), 'x');
    writeFileSync(join(src, 'Season 1', 'Ωμέγα', 'κλιπ.mov'), 'x');
    writeFileSync(join(src, 'Season 1', '.DS_Store'), 'x');
    writeFileSync(join(src, 'single file.mxf'), 'x');
    const results = await lib().importPaths(
      [
        join(src, 'Season 1'),
        join(src, 'single file.mxf'),
        'relative.mp4',
        join(src, 'missing.mp4'),
        '/dev/null',
      ],
      1,
      // How each path is reported; the allowed roots are tested in server-hardening.test.ts.
      'any-path',
    );
    expect(results.map((r) => [r.path.replace(src, ''), r.error])).toEqual([
      ['/Season 1/Ep "1".mp4', null],
      ['/Season 1/Ωμέγα/κλιπ.mov', null],
      ['/single file.mxf', null],
      ['relative.mp4', 'must be an absolute path'],
      ['/missing.mp4', 'does not exist'],
      ['/dev/null', 'is a device, not a media file'],
    ]);
    const klip = results[1]!.assetId!;
    const detail = lib().asset(klip);
    expect(detail.name).toBe('κλιπ');
    expect(detail.state).toBe('probing');
    expect(detail.source).toEqual({
      kind: 'file',
      location: join(src, 'Season 1', 'Ωμέγα', 'κλιπ.mov'),
    });
    expect(
      lib()
        .folders()
        .map((f) => f.name)
        .sort(),
    ).toEqual(['Library', 'Season 1', 'Ωμέγα']);
    expect(calls.filter((c) => c.startsWith('enqueue'))).toHaveLength(3);
    expect(existsSync(join(src, 'Season 1'))).toBe(true);
  });
});
