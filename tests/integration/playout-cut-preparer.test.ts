import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CutCache, CutSource } from '../../src-main/core/playout/cut-cache';
import { createCutPreparer } from '../../src-main/core/playout/cut-preparer';
import type { Variant } from '../../src-main/core/playout/media-tables';
import { createEngineHarness } from '../helpers/playout-engine-harness';
import { insertStandInAsset } from '../helpers/stand-in-assets';

/**
 * The preparer scans a channel's coming six hours for cuts once, then only the part the clock
 * has brought into the horizon since. Whatever it skips must have been queued by an earlier
 * scan; whatever it queues must be a cut some planned segment needs.
 */
const T = 1_800_000_000_000;
const MIN = 60_000;
const HOUR = 60 * MIN;
const AHEAD = 6 * HOUR;
const channelId = 1;

const cutKey = (s: CutSource, variant: Variant) =>
  `${variant}:${s.assetId}:${s.seq}:${s.cut.fromMs}-${s.cut.toMs}`;

/** A cut cache that records what it is asked to make (made at once, so `ready` after). */
function recordingCuts() {
  const made = new Set<string>();
  const cuts = {
    ready: (s: CutSource, v: Variant) => made.has(cutKey(s, v)),
    prepare: (s: CutSource, v: Variant) => void made.add(cutKey(s, v)),
  } as unknown as CutCache;
  return { cuts, made };
}

describe('playout: the cut preparer', () => {
  const h = createEngineHarness('airdeck-cut-preparer-', T);
  const addItem = h.db.prepare(
    `INSERT INTO schedule_items (channel_id, kind, asset_id, parent_item_id, offset_ms, starts_at, duration_ms, in_ms, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 1)`,
  );
  const add = (
    kind: 'asset' | 'break',
    assetId: number | null,
    startsAt: number,
    ms: number,
    inMs = 0,
  ) =>
    Number(addItem.run(channelId, kind, assetId, null, null, startsAt, ms, inMs).lastInsertRowid);

  /** The cuts every planned segment overlapping [from, to) needs, by the resolver. */
  const needed = (from: number, to: number) => {
    const keys = new Set<string>();
    for (const s of h.engine.segments(channelId, from, to)) {
      const { source } = s;
      if (source.cut === null) continue;
      const cut: CutSource = {
        assetId: source.kind === 'slate' ? 'slate' : source.assetId,
        seq: source.seq,
        cut: source.cut,
      };
      for (const v of ['main', 'proxy'] as const) keys.add(cutKey(cut, v));
    }
    return keys;
  };

  beforeAll(() => {
    h.db
      .prepare(
        `INSERT INTO channels (id, name, number, slug, created_at, updated_at) VALUES (1, 'One', 1, 'one', 1, 1)`,
      )
      .run();
    // Ten-minute clips in 2 s segments with an odd one, each trimmed in somewhere else, so
    // every programme starts and ends inside a segment (a cut of its own); odd gaps between them are slate with a cut
    // at their end. One programme is three hours long, so it straddles every scan's edge.
    const clip = insertStandInAsset(h.db, [...Array(300).fill(2000), 1300]);
    const long = insertStandInAsset(h.db, Array(5500).fill(2000));
    let at = T;
    for (let i = 0; i < 60; i += 1) {
      const length = i === 20 ? 3 * HOUR + 7_777 : 9 * MIN + (i % 7) * 3_100 + 450;
      add('asset', i === 20 ? long : clip, at, length, 1_040 + i * 37);
      at += length + (i % 3 === 0 ? 4_321 : 0);
      if (i % 5 === 4) {
        add('break', null, at, 30_500);
        at += 30_500;
      }
    }
    h.store.saveState({ channel_id: channelId, on_air: 1, epoch_at: T, held_since: null });
  });
  afterAll(() => h.close());

  it('queues, scan after scan, exactly the cuts a six-hour scan at each instant needs', () => {
    const { cuts, made } = recordingCuts();
    const preparer = createCutPreparer({ context: h.context, engine: h.engine, cuts });
    const scans: number[] = [];
    for (let now = T; now <= T + 5 * HOUR; now += 30 * MIN + 1_234) {
      h.clock.at = now;
      preparer.prepare(channelId, now);
      scans.push(now);
    }
    const last = scans.at(-1) as number;
    // Nothing that no segment needs (a cut at the edge of a scan's range would be one).
    const all = needed(T, last + AHEAD + HOUR);
    for (const key of made) expect(all, key).toContain(key);
    // Everything a segment within the last scan's horizon needs, less the last segment of an
    // entry running past its edge (unknown until the next scan; segments are at most 10 s).
    const within = needed(T, last + AHEAD - 10_000);
    for (const key of within) expect(made, key).toContain(key);
    // Later scans read only the new part: most of them find nothing new to queue.
    expect(made.size).toBeGreaterThan(100);
  });

  it('reads the whole horizon again after an edit it was told of, and only then', () => {
    const { cuts, made } = recordingCuts();
    const preparer = createCutPreparer({ context: h.context, engine: h.engine, cuts });
    h.clock.at = T + 10 * MIN;
    preparer.prepare(channelId, T + 10 * MIN);
    // A programme an hour ahead, inside what was scanned, trimmed in elsewhere: new cuts.
    const before = needed(T + 70 * MIN, T + 80 * MIN);
    h.db
      .prepare(
        `UPDATE schedule_items SET in_ms = in_ms + 211 WHERE id =
          (SELECT id FROM schedule_items WHERE starts_at <= ? ORDER BY starts_at DESC LIMIT 1)`,
      )
      .run(T + 75 * MIN);
    const fresh = [...needed(T + 70 * MIN, T + 80 * MIN)].filter(
      (k) => !before.has(k) && !made.has(k),
    );
    expect(fresh.length).toBeGreaterThan(0);
    preparer.prepare(channelId, T + 11 * MIN);
    for (const key of fresh) expect(made, 'not seen before forget').not.toContain(key);
    preparer.forget(channelId);
    preparer.prepare(channelId, T + 11 * MIN);
    for (const key of fresh) expect(made, key).toContain(key);
  });

  it('reads the whole horizon again when the channel is held', () => {
    const { cuts, made } = recordingCuts();
    const preparer = createCutPreparer({ context: h.context, engine: h.engine, cuts });
    h.clock.at = T + 20 * MIN;
    preparer.prepare(channelId, T + 20 * MIN);
    const held = T + 21 * MIN + 500;
    h.store.saveState({ channel_id: channelId, on_air: 1, epoch_at: T, held_since: held });
    const cutAtHold = [...needed(T + 21 * MIN, T + 22 * MIN)].filter((k) => !made.has(k));
    expect(cutAtHold.length).toBeGreaterThan(0);
    preparer.prepare(channelId, T + 21 * MIN);
    for (const key of cutAtHold) expect(made, key).toContain(key);
    h.store.saveState({ channel_id: channelId, on_air: 1, epoch_at: T, held_since: null });
  });
});
