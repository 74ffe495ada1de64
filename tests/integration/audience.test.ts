// A scripted audience on a real served core: HTTP clients fetch a channel's playlist and newest
// segment every 2 s of the core's (hand-driven) clock, joining and leaving at known instants
// across three one-minute programmes, while a fourth client watches another channel. The
// as-run log, the per-minute roll-ups and the sessions must give exactly the watch time,
// unique viewers, peaks and shares the script implies.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgrammeAudience } from '../../src-shared/contract';
import { makeClip } from '../helpers/media-fixtures';
import { startServedCore, waitFor, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';

const MINUTE = 60_000;
// Programmes start on whole minutes well after the real time, so nothing is locked.
const T0 = Math.ceil(Date.now() / MINUTE) * MINUTE + 10 * MINUTE;

/** Every 2 s from `from` (inclusive) to `to` (exclusive), in seconds after T0. */
const every2s = (from: number, to: number) =>
  Array.from({ length: (to - from) / 2 }, (_, i) => T0 + (from + i * 2) * 1000);

describe('audience per programme from a scripted audience', () => {
  const dir = makeTempDir('airdeck-audience-');
  const time = { now: T0 - 30_000 };
  let served: ServedCore;
  let base: string;
  let one: number;
  let two: number;

  beforeAll(async () => {
    served = await startServedCore(dir.path, {
      core: {
        clock: { now: () => time.now },
        // No detectors reading channels under a hand-driven clock; a short roll-up period.
        monitorChannels: false,
        audience: { rollUpIntervalMs: 100, idleMs: 30_000 },
      },
    });
    base = served.server.url.replace(/\/$/, '');
    await served.call('settingsSet', {
      houseProfile: { width: 320, height: 180, fps: 25, segmentSeconds: 2 },
      allowedRoots: [dir.path],
    });
    await served.call('scheduleSettingsSet', { lockHorizonMs: 0 });
    const clip = await makeClip(join(dir.path, 'minute.mp4'), { durationS: 60 });
    const imported = await served.call('libraryImportPaths', { paths: [clip], folderId: 1 });
    const assetId = imported.assets[0]!.assetId!;
    await waitFor('the clip ingested', async () => {
      const asset = await served.call('libraryAsset', { id: assetId });
      if (asset.state === 'failed') throw new Error('ingest failed');
      return asset.state === 'ready';
    });
    one = (await served.call('channelCreate', { name: 'One', number: 1, slug: 'one' })).id;
    two = (await served.call('channelCreate', { name: 'Two', number: 2, slug: 'two' })).id;
    const titles = ['Morning', 'Noon', 'Evening'];
    for (const [channelId, prefix] of [
      [one, ''],
      [two, 'Other '],
    ] as const) {
      for (const [i, title] of titles.entries()) {
        await served.call('scheduleAdd', {
          channelId,
          kind: 'asset',
          assetId,
          startsAt: T0 + i * MINUTE,
          title: `${prefix}${title}`,
        });
      }
      await served.call('playoutStart', { channelId });
    }
  }, 180_000);

  afterAll(async () => {
    await served?.close();
    dir.remove();
  });

  /** A player's turn: the media playlist, then the newest segment it names. */
  async function watch(slug: string, userAgent: string, at: number): Promise<void> {
    time.now = at;
    const headers = { 'user-agent': userAgent };
    const playlist = await fetch(`${base}/channels/${slug}/main.m3u8`, { headers });
    expect(playlist.status).toBe(200);
    const uri = (await playlist.text())
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .at(-1)!;
    const segment = await fetch(`${base}/channels/${slug}/${uri}`, { headers });
    expect(segment.status).toBe(200);
    expect((await segment.arrayBuffer()).byteLength).toBeGreaterThan(0);
  }

  it('gives each programme exactly the watch time, viewers and peak the script implies', async () => {
    // Seconds after T0. Programmes: Morning [0, 60), Noon [60, 120), Evening [120, 180).
    const script: { slug: string; who: string; at: number[] }[] = [
      { slug: 'one', who: 'viewer-a', at: every2s(0, 120) },
      { slug: 'one', who: 'viewer-b', at: every2s(30, 150) },
      // Leaves for a minute (longer than the 30 s idle time): two sessions, one viewer.
      { slug: 'one', who: 'viewer-c', at: [...every2s(60, 70), ...every2s(130, 140)] },
      { slug: 'two', who: 'viewer-d', at: every2s(0, 180) },
    ];
    const turns = script
      .flatMap(({ slug, who, at }) => at.map((t) => ({ slug, who, t })))
      .sort((x, y) => x.t - y.t);
    for (const { slug, who, t } of turns) await watch(slug, who, t);
    // Answers that are not 2xx are no audience: a made-up segment and an unknown channel.
    time.now = T0 + 100_000;
    expect((await fetch(`${base}/channels/one/main/seg/999999999.ts`)).status).toBe(404);
    expect((await fetch(`${base}/channels/nope/main.m3u8`)).status).toBe(404);

    // Past the last programme and every viewer's idle time: the roll-up closes everything.
    time.now = T0 + 3 * MINUTE + 31_000;
    await waitFor('every session rolled up', () => served.core.audience.size() === 0);
    const programmes = await waitFor('three programmes on the as-run log', async () => {
      const { programmes: rows } = await served.call('audienceByProgramme', {
        from: T0,
        to: T0 + 3 * MINUTE,
      });
      return rows.filter((p) => p.channelId === one).length === 3 &&
        rows.every((p) => p.endsAt - p.airedAt === MINUTE)
        ? rows
        : undefined;
    });
    const of = (channelId: number, title: string): ProgrammeAudience => {
      const found = programmes.find((p) => p.channelId === channelId && p.title === title);
      if (!found) throw new Error(`no ${title}`);
      return found;
    };
    // Channel two: D alone, 30 segments a minute.
    const other = (title: string) => of(two, `Other ${title}`);
    const expected = [
      // Morning: A for 60 s, B from 30 s → 90 s; D's 60 s on Two makes the station 150 s.
      { title: 'Morning', unique: 2, peak: 2, watchS: 90, stationS: 150 },
      // Noon: A and B all minute, C for 10 s.
      { title: 'Noon', unique: 3, peak: 3, watchS: 130, stationS: 190 },
      // Evening: A's last request was at 118 s; B until 148 s, C back from 130 s to 138 s.
      { title: 'Evening', unique: 2, peak: 2, watchS: 40, stationS: 100 },
    ];
    for (const e of expected) {
      const p = of(one, e.title);
      expect(p.airedAt).toBe(T0 + expected.indexOf(e) * MINUTE);
      expect(p.durationMs).toBe(MINUTE);
      expect(p.uniqueViewers).toBe(e.unique);
      expect(p.peakViewers).toBe(e.peak);
      expect(p.watchMs).toBe(e.watchS * 1000);
      expect(p.averageViewers).toBeCloseTo(e.watchS / 60, 12);
      expect(p.share).toBeCloseTo(e.watchS / e.stationS, 12);
      const q = other(e.title);
      expect([q.uniqueViewers, q.peakViewers, q.watchMs]).toEqual([1, 1, 60_000]);
      expect(q.share).toBeCloseTo(60 / e.stationS, 12);
    }

    // The same minutes as a series, and only the asked channel when one is named.
    const series = await served.call('audienceSeries', {
      from: T0,
      to: T0 + 3 * MINUTE,
      stepMinutes: 1,
      channelId: one,
    });
    expect(series.channels).toHaveLength(1);
    expect(series.channels[0]!.peak).toEqual([2, 3, 2]);
    expect(series.channels[0]!.watchMs).toEqual([90_000, 130_000, 40_000]);
    const coarse = await served.call('audienceSeries', {
      from: T0,
      to: T0 + 3 * MINUTE,
      stepMinutes: 3,
    });
    expect(coarse.channels.map((c) => [c.channelId, c.peak[0], c.watchMs[0]])).toEqual([
      [one, 3, 260_000],
      [two, 1, 180_000],
    ]);

    // Stored compactly: a row per channel-minute, a row per session (C came back: two).
    const db = served.core.context.db;
    const minutes = db
      .prepare('SELECT COUNT(*) AS n FROM audience_minutes WHERE channel_id = ?')
      .get(one) as { n: number };
    expect(minutes.n).toBe(3);
    const sessions = db
      .prepare(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT viewer) AS v FROM audience_sessions WHERE channel_id = ?',
      )
      .get(one) as { n: number; v: number };
    expect(sessions).toEqual({ n: 4, v: 3 });
  });

  it('refuses a window that ends before it starts', async () => {
    const result = await served.core.dispatch('audienceByProgramme', { from: T0, to: T0 - 1 });
    expect(result.ok).toBe(false);
  });
});
