import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { WallLayout } from '../../src-shared/contract';
import { openDatabase } from '../../src-main/core/db/open-database';
import { startServedCore, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';
import type { TestWsClient } from '../helpers/ws-client';

const startCore = (dir: string) => startServedCore(dir);

async function ok<T>(client: TestWsClient, method: string, params: unknown): Promise<T> {
  const result = await client.call(method, params);
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.result as T;
}

async function errorCode(client: TestWsClient, method: string, params: unknown) {
  const result = await client.call(method, params);
  expect(result.ok).toBe(false);
  return result.ok ? null : result.error.code;
}

describe('wall layouts over the contract', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let running: ServedCore | null = null;
  const clients: TestWsClient[] = [];
  const connect = async () => {
    const client = await running!.connect();
    clients.push(client);
    return client;
  };
  const stop = async () => {
    for (const c of clients.splice(0)) c.close();
    await running?.close();
    running = null;
  };

  beforeEach(async () => {
    dir = makeTempDir();
    running = await startCore(dir.path);
  });
  afterEach(async () => {
    await stop();
    dir.remove();
  });

  it('saves, renames, deletes and tells every other window; survives a restart', async () => {
    const a = await connect();
    const b = await connect();
    const one = await ok<{ id: number }>(a, 'channelCreate', {
      name: 'One',
      number: 1,
      slug: 'one',
    });
    const two = await ok<{ id: number }>(a, 'channelCreate', {
      name: 'Two',
      number: 2,
      slug: 'two',
    });

    const changed = b.waitForFrame((f) => f.event === 'wallLayoutsChanged');
    const saved = await ok<WallLayout>(a, 'wallLayoutSave', {
      name: 'Gallery',
      cols: 2,
      rows: 1,
      cells: [
        { kind: 'channel', channelId: two.id },
        { kind: 'channel', channelId: one.id },
      ],
    });
    expect(saved).toMatchObject({ name: 'Gallery', cols: 2, rows: 1 });
    const event = (await changed).data as { layouts: WallLayout[] };
    expect(event.layouts).toEqual([saved]);

    const renamed = b.waitForFrame(
      (f) =>
        f.event === 'wallLayoutsChanged' &&
        (f.data as { layouts: WallLayout[] }).layouts[0]?.name === 'Gallery 2',
    );
    const updated = await ok<WallLayout>(a, 'wallLayoutSave', {
      id: saved.id,
      name: 'Gallery 2',
      cols: 1,
      rows: 1,
      cells: [{ kind: 'stream', sourceId: 99 }],
    });
    expect(updated.id).toBe(saved.id);
    expect(updated.cells).toEqual([{ kind: 'stream', sourceId: 99 }]);
    await renamed;

    await ok(a, 'wallLayoutSave', { name: 'Spare', cols: 1, rows: 1, cells: [{ kind: 'empty' }] });
    const list = await ok<{ layouts: WallLayout[] }>(b, 'wallLayoutsList', {});
    expect(list.layouts.map((l) => l.name)).toEqual(['Gallery 2', 'Spare']);

    const spare = list.layouts[1]!;
    const deleted = b.waitForFrame(
      (f) =>
        f.event === 'wallLayoutsChanged' &&
        (f.data as { layouts: WallLayout[] }).layouts.length === 1,
    );
    expect(await ok(a, 'wallLayoutDelete', { id: spare.id })).toEqual({ id: spare.id });
    await deleted;

    await stop();
    running = await startCore(dir.path);
    const c = await connect();
    const after = await ok<{ layouts: WallLayout[] }>(c, 'wallLayoutsList', {});
    expect(after.layouts).toEqual([updated]);
  });

  it('refuses bad layouts with a clear error and keeps what was there', async () => {
    const a = await connect();
    const kept = await ok<WallLayout>(a, 'wallLayoutSave', {
      name: 'Kept',
      cols: 1,
      rows: 1,
      cells: [{ kind: 'empty' }],
    });
    const bad = (cells: unknown[], extra: Record<string, unknown> = {}) => ({
      name: 'Bad',
      cols: 2,
      rows: 2,
      cells,
      ...extra,
    });
    const empty = { kind: 'empty' };
    // Cells that do not fill the grid, sizes out of range, unknown cell kinds, no name.
    expect(await errorCode(a, 'wallLayoutSave', bad([empty]))).toBe('invalid_request');
    expect(await errorCode(a, 'wallLayoutSave', bad([], { cols: 0, rows: 0 }))).toBe(
      'invalid_request',
    );
    expect(
      await errorCode(a, 'wallLayoutSave', bad(Array(49).fill(empty), { cols: 7, rows: 7 })),
    ).toBe('invalid_request');
    expect(
      await errorCode(a, 'wallLayoutSave', bad([empty, empty, empty, { kind: 'camera' }])),
    ).toBe('invalid_request');
    expect(
      await errorCode(a, 'wallLayoutSave', bad([empty, empty, empty, empty], { name: '  ' })),
    ).toBe('invalid_request');
    // A channel that does not exist, a name already taken (any case), a layout that is gone.
    expect(
      await errorCode(
        a,
        'wallLayoutSave',
        bad([empty, empty, empty, { kind: 'channel', channelId: 4242 }]),
      ),
    ).toBe('not_found');
    expect(
      await errorCode(a, 'wallLayoutSave', { ...bad([empty]), cols: 1, rows: 1, name: 'KEPT' }),
    ).toBe('conflict');
    expect(
      await errorCode(a, 'wallLayoutSave', {
        id: 777,
        name: 'X',
        cols: 1,
        rows: 1,
        cells: [empty],
      }),
    ).toBe('not_found');
    expect(await errorCode(a, 'wallLayoutDelete', { id: 777 })).toBe('not_found');

    const list = await ok<{ layouts: WallLayout[] }>(a, 'wallLayoutsList', {});
    expect(list.layouts).toEqual([kept]);
  });

  it('serve has no displays: the full-screen wall is a page the browser opens', async () => {
    const a = await connect();
    const layout = await ok<WallLayout>(a, 'wallLayoutSave', {
      name: 'Second monitor',
      cols: 1,
      rows: 1,
      cells: [{ kind: 'empty' }],
    });
    expect(await ok(a, 'wallDisplays', {})).toEqual({ displays: [] });
    expect(await ok(a, 'wallOpenFullscreen', { layoutId: layout.id, displayId: null })).toEqual({
      opened: false,
      path: `/?fullscreen=1&layout=${layout.id}#/wall`,
    });
    expect(await errorCode(a, 'wallOpenFullscreen', { layoutId: 999, displayId: null })).toBe(
      'not_found',
    );
  });

  it('a host with displays opens the wall on the chosen one', async () => {
    const opened: { displayId: number | null; path: string; openedBy: string | null }[] = [];
    running!.core.wall.setScreens({
      displays: () => [{ id: 7, label: 'Wall monitor', width: 3840, height: 2160, primary: false }],
      open: (displayId, path, openedBy) => {
        if (displayId !== null && displayId !== 7) return false;
        opened.push({ displayId, path, openedBy });
        return true;
      },
    });
    const a = await connect();
    expect(await ok(a, 'wallDisplays', {})).toEqual({
      displays: [{ id: 7, label: 'Wall monitor', width: 3840, height: 2160, primary: false }],
    });
    expect(await ok(a, 'wallOpenFullscreen', { layoutId: null, displayId: 7 })).toEqual({
      opened: true,
      path: '/?fullscreen=1#/wall',
    });
    // The host learns which window asked, so the wall window signs in as that person.
    expect(opened).toEqual([
      { displayId: 7, path: '/?fullscreen=1#/wall', openedBy: expect.any(String) },
    ]);
    expect(await errorCode(a, 'wallOpenFullscreen', { layoutId: null, displayId: 3 })).toBe(
      'not_found',
    );
  });

  it('a damaged stored row shows as empty cells instead of failing the list', async () => {
    const a = await connect();
    await ok(a, 'wallLayoutSave', {
      name: 'Damaged',
      cols: 2,
      rows: 1,
      cells: [{ kind: 'empty' }, { kind: 'empty' }],
    });
    await stop();
    const { db } = openDatabase(join(dir.path, 'data', 'airdeck.db'));
    db.prepare('UPDATE wall_layouts SET cells = \'[{"kind":"hologram"}]\'').run();
    db.close();
    running = await startCore(dir.path);
    const b = await connect();
    const list = await ok<{ layouts: WallLayout[] }>(b, 'wallLayoutsList', {});
    expect(list.layouts[0]?.cells).toEqual([{ kind: 'empty' }, { kind: 'empty' }]);
  });
});
