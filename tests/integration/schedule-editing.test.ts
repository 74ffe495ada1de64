import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScheduleItem } from '../../src-shared/contract';
import { startScheduleCore, type ScheduleHarness } from './schedule-harness';

const MIN = 60_000;
const T0 = Date.parse('2025-03-01T00:00:00Z');
const T = (minutes: number) => T0 + 60 * MIN + minutes * MIN; // an hour after "now"

describe('schedule editing through the real core', () => {
  let h: ScheduleHarness;
  let channelId: number;
  let folder: number;
  let movie: number; // 30 min
  let short: number; // 10 min 0.5 s (not a whole number of frames)

  beforeEach(async () => {
    h = await startScheduleCore(T0);
    folder = h.addFolder('Films');
    movie = h.addAsset(folder, 'Movie', 30 * MIN);
    short = h.addAsset(folder, 'Short', 10 * MIN + 500);
    channelId = (await h.call('channelCreate', { name: 'One', number: 1, slug: 'one' })).id;
  });
  afterEach(() => h.close());

  const add = (assetId: number, startsAt: number, extra: Record<string, unknown> = {}) =>
    h.call('scheduleAdd', { channelId, kind: 'asset', assetId, startsAt, ...extra });
  const item = async (id: number) =>
    (await h.call('scheduleGet', { ids: [id] })).items[0] as ScheduleItem;

  it('manages channels with versions', async () => {
    const events = h.record('channelsChanged');
    const two = await h.call('channelCreate', {
      name: 'Two',
      number: 2,
      slug: 'two',
      group: 'Kids',
    });
    expect((await h.fail('channelCreate', { name: 'Dup', number: 2, slug: 'dup' })).code).toBe(
      'conflict',
    );
    const renamed = await h.call('channelUpdate', {
      id: two.id,
      version: two.version,
      set: { name: 'Zwei' },
    });
    expect(renamed.version).toBe(2);
    const stale = await h.fail('channelUpdate', { id: two.id, version: 1, set: { name: 'Lost' } });
    expect(stale).toMatchObject({ code: 'conflict' });
    expect(stale.message).toMatch(/changed by someone else/);
    const list = await h.call('channelsList', {});
    const reordered = await h.call('channelReorder', {
      channels: [...list].reverse().map(({ id, version }) => ({ id, version })),
    });
    expect(reordered.map((c) => c.name)).toEqual(['Zwei', 'One']);
    const current = reordered[0]!;
    expect((await h.fail('channelDelete', { id: current.id, version: current.version })).code).toBe(
      'conflict',
    );
    const disabled = await h.call('channelUpdate', {
      id: current.id,
      version: current.version,
      set: { enabled: false },
    });
    await h.call('channelDelete', { id: disabled.id, version: disabled.version });
    expect((await h.call('channelsList', {})).map((c) => c.slug)).toEqual(['one']);
    expect(events.length).toBe(5);
  });

  it('places an asset at its exact duration, appends gaplessly and refuses overlaps', async () => {
    const events = h.record('scheduleChanged');
    const a = (await add(short, T(0))).changed[0]!;
    expect(a.durationMs).toBe(10 * MIN + 500);
    expect(a.asset).toEqual({ name: 'Short', state: 'ready', durationMs: 10 * MIN + 500 });
    const b = (
      await h.call('scheduleAdd', { channelId, kind: 'asset', assetId: movie, afterPrevious: true })
    ).changed[0]!;
    expect(b.startsAt).toBe(a.endsAt);
    const clash = await h.fail('scheduleAdd', {
      channelId,
      kind: 'asset',
      assetId: movie,
      startsAt: T(5),
    });
    expect(clash.code).toBe('conflict');
    expect(clash.message).toContain(`item ${a.id}`);
    // Snapping: dropped 20 ms after the end, it lands exactly on it.
    const c = (await add(movie, b.endsAt + 20, { snapMs: 40 })).changed[0]!;
    expect(c.startsAt).toBe(b.endsAt);
    expect(events.map((e) => e.scheduleVersion)).toEqual([1, 2, 3]);
    expect(events[0]).toMatchObject({ channelId, changed: [{ id: a.id }], removed: [] });
  });

  it('ripples later items only as far as needed when asked', async () => {
    const a = (await add(movie, T(0))).changed[0]!;
    const b = (await add(movie, T(30))).changed[0]!;
    const c = (await add(movie, T(75))).changed[0]!; // 15 min gap before c
    const moved = await h.call('scheduleAdd', {
      channelId,
      kind: 'break',
      durationMs: 20 * MIN,
      startsAt: T(30),
      ripple: true,
    });
    expect((await item(b.id)).startsAt).toBe(T(50));
    expect((await item(c.id)).startsAt).toBe(T(80)); // the gap absorbed 15 of the 20 minutes
    expect((await item(a.id)).startsAt).toBe(T(0));
    expect(moved.changed.map((i) => i.id).sort()).toHaveLength(3);
  });

  it('gives the second operator a conflict and the fresh state; nothing is lost', async () => {
    const a = (await add(movie, T(0))).changed[0]!;
    // Both operators loaded version 1.
    const first = await h.call('scheduleMove', {
      items: [{ id: a.id, version: 1 }],
      deltaMs: 60 * MIN,
    });
    expect(first.changed[0]).toMatchObject({ version: 2, startsAt: T(60) });
    const second = await h.fail('scheduleMove', {
      items: [{ id: a.id, version: 1 }],
      deltaMs: 120 * MIN,
    });
    expect(second.code).toBe('conflict');
    expect(second.message).toMatch(/changed by someone else \(now version 2, you had 1\)/);
    expect(await item(a.id)).toMatchObject({ version: 2, startsAt: T(60) });
    expect((await h.fail('scheduleTrim', { id: a.id, version: 1, outMs: MIN })).code).toBe(
      'conflict',
    );
    expect((await h.fail('scheduleDelete', { items: [{ id: a.id, version: 1 }] })).code).toBe(
      'conflict',
    );
    await h.call('scheduleDelete', { items: [{ id: a.id, version: 2 }] });
    expect(await h.call('scheduleGet', { ids: [a.id] })).toEqual({ items: [], missing: [a.id] });
    expect(
      (await h.fail('scheduleMove', { items: [{ id: a.id, version: 2 }], deltaMs: 1 })).message,
    ).toMatch(/no longer exists/);
  });

  it('keeps the lock horizon: nothing inside it or in the past moves', async () => {
    expect(await h.call('scheduleSettingsGet', {})).toEqual({ lockHorizonMs: 5 * MIN });
    const soon = (await add(movie, T0 + 10 * MIN)).changed[0]!;
    const later = (await add(movie, T0 + 40 * MIN)).changed[0]!;
    expect(
      (
        await h.fail('scheduleAdd', {
          channelId,
          kind: 'asset',
          assetId: movie,
          startsAt: T0 + 2 * MIN,
        })
      ).code,
    ).toBe('forbidden');
    h.time.now = T0 + 6 * MIN; // 4 minutes before `soon` airs
    const locked = await h.fail('scheduleMove', {
      items: [{ id: soon.id, version: 1 }],
      deltaMs: MIN,
    });
    expect(locked.code).toBe('forbidden');
    expect(locked.message).toMatch(/lock horizon/);
    expect((await h.fail('scheduleDelete', { items: [{ id: soon.id, version: 1 }] })).code).toBe(
      'forbidden',
    );
    // Moving a later item into the horizon is refused too.
    expect(
      (
        await h.fail('scheduleMove', {
          items: [{ id: later.id, version: 1 }],
          startsAt: T0 + 8 * MIN,
        })
      ).code,
    ).toBe('forbidden');
    // A ripple that would have to shift the locked item is refused.
    await h.call('scheduleSettingsSet', { lockHorizonMs: 0 });
    h.time.now = T0 + 11 * MIN; // `soon` is on air
    expect((await h.fail('scheduleTrim', { id: soon.id, version: 1, outMs: 20 * MIN })).code).toBe(
      'forbidden',
    );
    expect(
      (await h.call('scheduleMove', { items: [{ id: later.id, version: 1 }], deltaMs: MIN }))
        .changed[0]?.startsAt,
    ).toBe(T0 + 41 * MIN);
  });

  it('undoes and redoes by applying the returned inverse batches', async () => {
    const a = (await add(movie, T(0))).changed[0]!;
    const b = (await add(movie, T(30))).changed[0]!;
    const snapshot = async () =>
      (await h.call('scheduleRange', { from: T(-60), to: T(600) })).items.map(
        ({ id, startsAt, durationMs, inMs }) => ({ id, startsAt, durationMs, inMs }),
      );
    const before = await snapshot();
    const insert = await h.call('scheduleAdd', {
      channelId,
      kind: 'asset',
      assetId: short,
      startsAt: T(30),
      ripple: true,
    });
    const afterInsert = await snapshot();
    const undo = await h.call('scheduleBatch', { ops: insert.inverse });
    expect(await snapshot()).toEqual(before);
    await h.call('scheduleBatch', { ops: undo.inverse }); // redo
    const redone = await snapshot();
    expect(redone.map(({ startsAt, durationMs }) => ({ startsAt, durationMs }))).toEqual(
      afterInsert.map(({ startsAt, durationMs }) => ({ startsAt, durationMs })),
    );
    // Delete and undo brings the same id back.
    const fresh = await item(a.id);
    const del = await h.call('scheduleDelete', {
      items: [
        { id: a.id, version: fresh.version },
        { id: b.id, version: (await item(b.id)).version },
      ],
    });
    expect(del.removed.sort()).toEqual([a.id, b.id].sort());
    const restored = await h.call('scheduleBatch', { ops: del.inverse });
    expect(restored.changed.map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('trims to frames, keeps the media end exact, and can keep the end in place', async () => {
    const a = (await add(short, T(0))).changed[0]!;
    const trimmed = (
      await h.call('scheduleTrim', { id: a.id, version: 1, inMs: 1_013, outMs: 5 * MIN + 27 })
    ).changed[0]!;
    expect(trimmed).toMatchObject({
      inMs: 1_000,
      durationMs: 5 * MIN + 40 - 1_000,
      startsAt: T(0),
    });
    const toEnd = (await h.call('scheduleTrim', { id: a.id, version: 2, outMs: 99 * MIN }))
      .changed[0]!;
    expect(toEnd.inMs + toEnd.durationMs).toBe(10 * MIN + 500);
    const left = (
      await h.call('scheduleTrim', { id: a.id, version: 3, inMs: 2 * MIN, keepEnd: true })
    ).changed[0]!;
    expect(left.endsAt).toBe(toEnd.endsAt);
    expect(left.startsAt).toBe(T(0) + 2 * MIN - 1_000); // the in point moved by that much
    expect((await h.fail('scheduleTrim', { id: a.id, version: 4, inMs: 20 * MIN })).code).toBe(
      'invalid_request',
    );
  });

  it('puts breaks inside a programme; they travel with it and lengthen its air time', async () => {
    const p = (await add(movie, T(0))).changed[0]!;
    const next = (await add(movie, T(40))).changed[0]!;
    const withBreak = await h.call('scheduleAdd', {
      channelId,
      kind: 'break',
      parent: { id: p.id, version: 1 },
      offsetMs: 10 * MIN,
      durationMs: 3 * MIN,
    });
    const parent = withBreak.changed.find((i) => i.id === p.id)!;
    const brk = withBreak.changed.find((i) => i.parentItemId === p.id)!;
    expect(parent).toMatchObject({ breaksMs: 3 * MIN, endsAt: T(33), version: 1 });
    expect(brk.startsAt).toBe(T(10));
    // A second long break would run into the next programme: refused, then rippled.
    const clash = await h.fail('scheduleAdd', {
      channelId,
      kind: 'break',
      parent: { id: p.id, version: 1 },
      offsetMs: 20 * MIN,
      durationMs: 10 * MIN,
    });
    expect(clash.message).toContain(`item ${next.id}`);
    await h.call('scheduleAdd', {
      channelId,
      kind: 'break',
      parent: { id: p.id, version: 1 },
      offsetMs: 20 * MIN,
      durationMs: 10 * MIN,
      ripple: true,
    });
    expect((await item(next.id)).startsAt).toBe(T(43));
    const moved = await h.call('scheduleMove', {
      items: [{ id: p.id, version: 1 }],
      deltaMs: -30 * MIN,
    });
    expect((await item(brk.id)).startsAt).toBe(T(-20));
    expect(moved.changed.map((i) => i.id)).toContain(brk.id);
    // Undo of the move puts the break back too.
    await h.call('scheduleBatch', { ops: moved.inverse });
    expect((await item(brk.id)).startsAt).toBe(T(10));
  });

  it('moves and duplicates a multi-selection, across channels too', async () => {
    const other = (await h.call('channelCreate', { name: 'Other', number: 9, slug: 'other' })).id;
    const a = (await add(movie, T(0))).changed[0]!;
    const b = (await add(short, T(30))).changed[0]!;
    const dup = await h.call('scheduleDuplicate', {
      items: [
        { id: a.id, version: 1 },
        { id: b.id, version: 1 },
      ],
    });
    expect(dup.changed.map((i) => i.startsAt)).toEqual([b.endsAt, b.endsAt + 30 * MIN]);
    const moved = await h.call('scheduleMove', {
      items: [
        { id: a.id, version: 1 },
        { id: b.id, version: 1 },
      ],
      startsAt: T(300),
      channelId: other,
    });
    expect(moved.changed.map((i) => [i.channelId, i.startsAt])).toEqual([
      [other, T(300)],
      [other, T(330)],
    ]);
    expect(Object.keys(moved.scheduleVersions).sort()).toEqual(
      [String(channelId), String(other)].sort(),
    );
  });

  it('ripple delete pulls the following run back', async () => {
    const a = (await add(movie, T(0))).changed[0]!;
    const b = (await add(movie, T(30))).changed[0]!;
    const c = (await add(movie, T(60))).changed[0]!;
    const d = (await add(movie, T(200))).changed[0]!;
    await h.call('scheduleDelete', { items: [{ id: a.id, version: 1 }], ripple: true });
    expect((await item(b.id)).startsAt).toBe(T(0));
    expect((await item(c.id)).startsAt).toBe(T(30));
    expect((await item(d.id)).startsAt).toBe(T(200));
  });
});
