import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/core/db/open-database';
import {
  MEDIA_READINESS_SQL,
  createMediaReadinessQuery,
} from '../../src-main/core/monitor/media-readiness';
import { makeTempDir } from '../helpers/temp-dir';

const T = 1_800_000_000_000;
const MIN = 60_000;

describe('monitor: media not ready before air', () => {
  const dir = makeTempDir('airdeck-readiness-');
  const { db } = openDatabase(join(dir.path, 'airdeck.db'));
  afterAll(() => {
    db.close();
    dir.remove();
  });
  const asset = (name: string, state: string) =>
    Number(
      db
        .prepare(
          `INSERT INTO assets (folder_id, name, source_kind, source_location, state, duration_ms, created_at, updated_at)
           VALUES (1, ?, 'file', ?, ?, 60000, 1, 1)`,
        )
        .run(name, `/src/${name}`, state).lastInsertRowid,
    );
  const item = (channelId: number, assetId: number, startsAt: number) =>
    Number(
      db
        .prepare(
          `INSERT INTO schedule_items (channel_id, kind, asset_id, starts_at, duration_ms, in_ms, created_at, updated_at)
           VALUES (?, 'asset', ?, ?, 60000, 0, 1, 1)`,
        )
        .run(channelId, assetId, startsAt).lastInsertRowid,
    );

  it('lists items in the horizon on enabled channels whose asset is not ready, by start', () => {
    const channel = db.prepare(
      `INSERT INTO channels (id, name, number, slug, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 1)`,
    );
    channel.run(1, 'One', 1, 'one', 1);
    channel.run(2, 'Two', 2, 'two', 1);
    channel.run(3, 'Off', 3, 'off', 0);
    const ready = asset('ready.mp4', 'ready');
    const pending = asset('pending.mp4', 'queued');
    const failed = asset('failed.mp4', 'failed');
    // A busy schedule of ready media on every channel, which the query must not walk.
    for (let i = 0; i < 300; i += 1) item(1 + (i % 3), ready, T + i * MIN);
    const late = item(2, failed, T + 50 * MIN);
    const soon = item(1, pending, T + 5 * MIN);
    item(1, pending, T - 5 * MIN); // already started
    item(2, pending, T + 3 * 3_600_000); // past the horizon
    item(3, failed, T + 10 * MIN); // disabled channel
    const found = createMediaReadinessQuery(db)(T, 3_600_000);
    expect(found).toEqual([
      {
        itemId: soon,
        channelId: 1,
        channelName: 'One',
        startsAt: T + 5 * MIN,
        assetName: 'pending.mp4',
        assetState: 'queued',
      },
      {
        itemId: late,
        channelId: 2,
        channelName: 'Two',
        startsAt: T + 50 * MIN,
        assetName: 'failed.mp4',
        assetState: 'failed',
      },
    ]);
  });

  it('reads from the assets that are not ready, not from every channel’s horizon', () => {
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${MEDIA_READINESS_SQL}`).all(0, 1) as {
      detail: string;
    }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(
      /SEARCH si USING INDEX schedule_items_asset/,
    );
  });
});
