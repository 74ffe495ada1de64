import type {
  EventName,
  EventPayload,
  MethodName,
  Request,
  Response,
} from '../../src-shared/contract';
import { createCore, type Core } from '../../src-main/core/create-core';
import { silentLogger } from '../../src-main/core/logger';
import { makeTempDir } from '../helpers/temp-dir';

/** A real core on a temp folder with a hand-driven clock, plus typed call helpers. */
export async function startScheduleCore(start = Date.parse('2025-03-01T00:00:00Z')) {
  const dir = makeTempDir('airdeck-schedule-');
  const time = { now: start };
  const core: Core = await createCore({
    dataDir: dir.path,
    mode: 'headless',
    version: 'test',
    logger: silentLogger,
    clock: { now: () => time.now },
  });
  const db = core.context.db;
  const addFolder = (name: string, parentId = 1) =>
    Number(
      db
        .prepare('INSERT INTO folders (parent_id, name, created_at) VALUES (?, ?, 0)')
        .run(parentId, name).lastInsertRowid,
    );
  const addAsset = (folderId: number, name: string, durationMs: number | null, state = 'ready') =>
    Number(
      db
        .prepare(
          `INSERT INTO assets (folder_id, name, source_kind, source_location, state, duration_ms, created_at, updated_at)
           VALUES (?, ?, 'file', ?, ?, ?, 0, 0)`,
        )
        .run(folderId, name, `/media/${name}`, state, durationMs).lastInsertRowid,
    );

  async function call<M extends MethodName>(method: M, params: Request<M>): Promise<Response<M>> {
    const result = await core.dispatch(method, params);
    if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
    return result.result as Response<M>;
  }
  async function fail<M extends MethodName>(method: M, params: Request<M>) {
    const result = await core.dispatch(method, params);
    if (result.ok) throw new Error(`${method} unexpectedly succeeded`);
    return result.error;
  }
  function record<E extends EventName>(event: E): EventPayload<E>[] {
    const seen: EventPayload<E>[] = [];
    core.bus.on(event, (data) => seen.push(data));
    return seen;
  }
  return {
    core,
    db,
    time,
    addFolder,
    addAsset,
    call,
    fail,
    record,
    async close() {
      await core.close();
      dir.remove();
    },
  };
}
export type ScheduleHarness = Awaited<ReturnType<typeof startScheduleCore>>;
