import type { Database } from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { AsRunRow } from '../../src-shared/contract';
import { createAsRunTicker } from '../../src-main/core/playout/as-run-ticker';
import { createEngineHarness } from '../helpers/playout-engine-harness';
import { insertStandInAsset } from '../helpers/stand-in-assets';

/**
 * The as-run ticker as the clock drives it (work handed out over turns of the event loop)
 * against the one-go tick: the same rows, each channel announced once per entry, and a
 * channel whose entry is still on air is not walked again because of its own announcement.
 * Stand-in ready assets (rows only): the ticker is arithmetic and never opens a file.
 */
const T = 1_800_000_000_000;
const CHANNELS = 60;

function seed(db: Database): void {
  const asset = (segments: number) => ({
    id: insertStandInAsset(
      db,
      Array.from({ length: segments }, () => 2000),
    ),
    total: segments * 2000,
  });
  const clips = [asset(3), asset(5), asset(4)];
  const item = db.prepare(
    `INSERT INTO schedule_items (channel_id, kind, asset_id, starts_at, duration_ms, in_ms, created_at, updated_at)
     VALUES (?, 'asset', ?, ?, ?, 0, 1, 1)`,
  );
  for (let c = 1; c <= CHANNELS; c += 1) {
    db.prepare(
      `INSERT INTO channels (id, name, number, slug, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 1)`,
    ).run(c, `Channel ${c}`, c, `channel-${c}`);
    // Staggered by a second a channel, a 1 s gap every third programme: entries start on
    // many channels in the same second, as on the demo station.
    let at = T + (c % 7) * 1000;
    for (let i = 0; i < 12; i += 1) {
      const clip = clips[(c + i) % clips.length] as { id: number; total: number };
      item.run(c, clip.id, at, clip.total);
      at += clip.total + (i % 3 === 2 ? 1000 : 0);
    }
  }
}

function station(name: string) {
  const { bus, clock, context, store, engine, close } = createEngineHarness(
    `airdeck-ticker-${name}-`,
    T,
    seed,
  );
  for (let c = 1; c <= CHANNELS; c += 1) {
    store.saveState({ channel_id: c, on_air: 1, epoch_at: T, held_since: null });
  }
  // Counts the walks (each starts with the resolver's input) per channel.
  const walks = new Map<number, number>();
  const counted: typeof engine = {
    ...engine,
    input(channelId, from, to) {
      walks.set(channelId, (walks.get(channelId) ?? 0) + 1);
      return engine.input(channelId, from, to);
    },
  };
  const announced: number[] = [];
  const ticker = createAsRunTicker({
    context,
    store,
    engine: counted,
    // As the playout feature does: announce the channel's new status.
    onEntries: (ids) => {
      for (const id of ids) {
        announced.push(id);
        bus.emit('playoutChanged', { channelId: id, status: engine.status(id) });
      }
    },
  });
  const rows: AsRunRow[] = [];
  bus.on('asRunAppended', ({ rows: added }) => rows.push(...added));
  return {
    clock,
    ticker,
    walks,
    announced,
    rows,
    close() {
      ticker.close();
      close();
    },
  };
}

/** Lets every queued turn of the event loop run. */
const settle = async () => {
  for (let i = 0; i < 300; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

const comparable = (rows: AsRunRow[]) =>
  rows
    .map(({ id: _id, createdAt: _created, ...rest }) => rest)
    .sort((a, b) => a.channelId - b.channelId || a.airedAt - b.airedAt);

describe('playout: the as-run ticker', () => {
  const oneGo = station('one-go');
  const spread = station('spread');
  afterAll(() => {
    oneGo.close();
    spread.close();
  });

  it('writes the same rows spread over the event loop as in one go, walking only due channels', async () => {
    for (let s = 0; s <= 40; s += 1) {
      const now = T + s * 1000;
      oneGo.clock.at = now;
      oneGo.ticker.tick(now);
      spread.clock.at = now;
      spread.ticker.tickSpread(now);
      await settle();
    }
    expect(spread.rows.length).toBeGreaterThan(CHANNELS * 4);
    expect(comparable(spread.rows)).toEqual(comparable(oneGo.rows));
    // Every channel announced once per entry it started, on both.
    const perChannel = (ids: number[]) =>
      ids.reduce((m, id) => m.set(id, (m.get(id) ?? 0) + 1), new Map<number, number>());
    expect(perChannel(spread.announced)).toEqual(perChannel(oneGo.announced));
    for (let c = 1; c <= CHANNELS; c += 1) {
      const entries = spread.rows.filter((r) => r.channelId === c).length;
      // One walk per entry start, plus the first: not one a second (41 ticks), and not a
      // second one after each announcement.
      expect(spread.walks.get(c), `channel ${c}`).toBeLessThanOrEqual(entries + 1);
      expect(oneGo.walks.get(c), `channel ${c}`).toBeLessThanOrEqual(entries + 1);
    }
  });

  it('stops handing out work once closed', async () => {
    const before = spread.rows.length;
    spread.clock.at = T + 120_000;
    spread.ticker.tickSpread(T + 120_000);
    spread.ticker.close();
    await settle();
    expect(spread.rows.length).toBe(before);
  });
});
