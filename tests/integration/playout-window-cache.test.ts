import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMediaPlaylist, type PlannedSegment } from '../../src-shared/playout';
import { createEngineHarness } from '../helpers/playout-engine-harness';
import { insertStandInAsset } from '../helpers/stand-in-assets';

/**
 * The live window is kept per channel until the next segment starts; these check it is the
 * uncached computation's answer at every instant, and that an edit drops it. Stand-in ready
 * assets (rows only): the engine is arithmetic and never opens a file.
 */
const T = 1_800_000_000_000;

const insertAsset = insertStandInAsset;

describe('playout: the cached live window', () => {
  const { db, bus, store, engine, close } = createEngineHarness('airdeck-window-cache-', T);
  const channelId = 1;
  let breakParent = 0;

  const addItem = (row: {
    kind: 'asset' | 'break';
    assetId?: number;
    parent?: number;
    offsetMs?: number;
    startsAt: number;
    durationMs: number;
    inMs?: number;
  }) =>
    Number(
      db
        .prepare(
          `INSERT INTO schedule_items (channel_id, kind, asset_id, parent_item_id, offset_ms, starts_at, duration_ms, in_ms, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 1)`,
        )
        .run(
          channelId,
          row.kind,
          row.assetId ?? null,
          row.parent ?? null,
          row.offsetMs ?? null,
          row.startsAt,
          row.durationMs,
          row.inMs ?? 0,
        ).lastInsertRowid,
    );

  const render = (w: readonly PlannedSegment[]) =>
    renderMediaPlaylist(w, (s) => `main/seg/${s.msn}.ts`, 2);

  beforeAll(() => {
    db.prepare(
      `INSERT INTO channels (id, name, number, slug, created_at, updated_at) VALUES (1, 'One', 1, 'one', 1, 1)`,
    ).run();
    // 2 s segments with an odd 1.2 s one, so trims and breaks cut segments.
    const a = insertAsset(db, [2000, 2000, 1200, 2000, 2000, 2000, 2000, 800]);
    const b = insertAsset(db, [2000, 2000, 2000, 2000, 2000, 2000]);
    // A · 1.5 s gap · B trimmed in at 1.04 s for 4 s · A with a 2 s inner break at 4.1 s ·
    // a top-level break · a long gap.
    addItem({ kind: 'asset', assetId: a, startsAt: T, durationMs: 14_000 });
    addItem({ kind: 'asset', assetId: b, startsAt: T + 15_500, durationMs: 4_000, inMs: 1_040 });
    breakParent = addItem({ kind: 'asset', assetId: a, startsAt: T + 19_500, durationMs: 14_000 });
    addItem({
      kind: 'break',
      parent: breakParent,
      offsetMs: 4_100,
      durationMs: 2_000,
      startsAt: T + 23_600,
    });
    db.prepare('UPDATE schedule_items SET breaks_ms = 2000 WHERE id = ?').run(breakParent);
    addItem({ kind: 'break', startsAt: T + 35_500, durationMs: 3_000 });
    store.saveState({ channel_id: channelId, on_air: 1, epoch_at: T - 5_000, held_since: null });
  });
  afterAll(() => {
    close();
  });

  it('is the uncached window at every instant, through gaps, cuts and breaks', () => {
    let hits = 0;
    let previous: PlannedSegment[] | null = null;
    for (let t = T - 6_000; t < T + 90_000; t += 97) {
      const cached = engine.window(channelId, t);
      const fresh = engine.freshWindow(channelId, t);
      expect(cached, `at T${t - T >= 0 ? '+' : ''}${t - T}`).toEqual(fresh);
      expect(render(cached)).toBe(render(fresh));
      if (cached === previous) hits += 1;
      previous = cached;
    }
    // Most instants are answered from the cache (a new segment starts every ~2 s).
    expect(hits).toBeGreaterThan(700);
  });

  it("keeps the status's programmes equal to the uncached ones, through a hold and an edit", () => {
    const compare = (t: number) =>
      expect(engine.status(channelId, t), `at T${t - T >= 0 ? '+' : ''}${t - T}`).toEqual(
        engine.freshStatus(channelId, t),
      );
    // From before the epoch to long after the last item (slate to the end of six hours).
    for (let t = T - 7_000; t < T + 45_000; t += 250) compare(t);
    for (let t = T + 45_000; t < T + 3 * 3_600_000; t += 7 * 60_000 + 13) compare(t);
    // A programme every 20 minutes from the second hour to the tenth (slate between, an inner
    // break in every third): the kept list is extended as time goes by, not rebuilt.
    const later: number[] = [];
    for (let k = 0; k < 24; k += 1) {
      const startsAt = T + 3_600_000 + k * 20 * 60_000;
      const parent = addItem({
        kind: 'asset',
        assetId: 1 + (k % 2),
        startsAt,
        durationMs: 300_000,
      });
      later.push(parent);
      if (k % 3 === 0) {
        later.push(
          addItem({ kind: 'break', parent, offsetMs: 60_000, durationMs: 30_000, startsAt }),
        );
        db.prepare('UPDATE schedule_items SET breaks_ms = 30000 WHERE id = ?').run(parent);
      }
    }
    bus.emit('scheduleChanged', { channelId, scheduleVersion: 5, changed: [], removed: [] });
    for (let t = T + 45_000; t < T + 5 * 3_600_000; t += 4 * 60_000 + 17) compare(t);
    for (const id of later) db.prepare('DELETE FROM schedule_items WHERE id = ?').run(id);
    bus.emit('scheduleChanged', { channelId, scheduleVersion: 6, changed: [], removed: [] });
    compare(T + 20_000);
    // A hold, then a release: the state row changes what the next six hours are.
    store.saveState({
      channel_id: channelId,
      on_air: 1,
      epoch_at: T - 5_000,
      held_since: T + 20_500,
    });
    for (let t = T + 20_500; t < T + 40_000; t += 1_000) compare(t);
    store.saveState({ channel_id: channelId, on_air: 1, epoch_at: T - 5_000, held_since: null });
    compare(T + 21_000);
    // A programme added an hour ahead shows up once the schedule says it changed.
    const id = addItem({ kind: 'asset', assetId: 1, startsAt: T + 3_600_000, durationMs: 6_000 });
    bus.emit('scheduleChanged', { channelId, scheduleVersion: 9, changed: [], removed: [] });
    const added = engine.status(channelId, T + 22_000);
    expect(added.upcoming.some((p) => p.itemId === id)).toBe(true);
    expect(added).toEqual(engine.freshStatus(channelId, T + 22_000));
    db.prepare('DELETE FROM schedule_items WHERE id = ?').run(id);
    bus.emit('scheduleChanged', { channelId, scheduleVersion: 10, changed: [], removed: [] });
    compare(T + 22_000);
  });

  it('drops the window on a schedule edit, a hold and an asset change', () => {
    const t = T + 16_000;
    const before = engine.window(channelId, t);
    expect(engine.window(channelId, t)).toBe(before);

    // B moves 500 ms earlier: the gap's slate is shorter and B's segments start sooner.
    db.prepare('UPDATE schedule_items SET starts_at = ? WHERE starts_at = ?').run(
      T + 15_000,
      T + 15_500,
    );
    bus.emit('scheduleChanged', { channelId, scheduleVersion: 2, changed: [], removed: [] });
    const edited = engine.window(channelId, t);
    expect(edited).not.toEqual(before);
    expect(edited).toEqual(engine.freshWindow(channelId, t));

    // A hold is seen from the state row even before any event says so.
    store.saveState({
      channel_id: channelId,
      on_air: 1,
      epoch_at: T - 5_000,
      held_since: T + 16_500,
    });
    const held = engine.window(channelId, T + 19_000);
    expect(held).toEqual(engine.freshWindow(channelId, T + 19_000));
    expect(held.at(-1)?.source.kind).toBe('slate');
    store.saveState({ channel_id: channelId, on_air: 1, epoch_at: T - 5_000, held_since: null });

    // B's media goes away: its air becomes slate, once the asset event says so.
    const live = engine.window(channelId, T + 17_000);
    expect(live.at(-1)?.source.kind).toBe('asset');
    db.prepare(`UPDATE assets SET state = 'failed' WHERE id = 2`).run();
    bus.emit('assetsRemoved', { ids: [2] });
    const gone = engine.window(channelId, T + 17_000);
    expect(gone).toEqual(engine.freshWindow(channelId, T + 17_000));
    expect(gone.at(-1)?.source.kind).toBe('slate');
  });
});
