// The demo station on a real core: real ffmpeg makes the clips, the normal ingest remuxes them,
// and the schedule it writes passes the schedule's own validation with only the intended gaps.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, Request, Response, ScheduleItem } from '../../src-shared/contract';
import { createCore, type Core } from '../../src-main/core/create-core';
import { resolveFfmpeg } from '../../src-main/core/ffmpeg/index';
import { silentLogger } from '../../src-main/core/logger';
import { gapLength, channelStagger } from '../../src-main/core/demo/demo-plan';
import { seedDemo, type DemoResult } from '../../src-main/core/demo/seed-demo';
import { makeTempDir } from '../helpers/temp-dir';

const HOUR_MS = 3_600_000;

type Probe = {
  streams: {
    codec_type: string;
    codec_name: string;
    width?: number;
    height?: number;
    pix_fmt?: string;
    r_frame_rate?: string;
    sample_rate?: string;
    channels?: number;
  }[];
  format: { duration: string };
};

function ffprobe(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(resolveFfmpeg().ffprobe.path, ['-v', 'error', ...args], (error, out) =>
      error ? reject(error) : resolve(out),
    ),
  );
}

describe('demo station (short clips, 2 channels, 1 h)', () => {
  const dir = makeTempDir('airdeck-demo-');
  let core: Core;
  let result: Extract<DemoResult, { seeded: true }>;
  const lines: string[] = [];

  async function call<M extends MethodName>(method: M, params: Request<M>): Promise<Response<M>> {
    const answer = await core.dispatch(method, params);
    if (!answer.ok) throw new Error(`${method}: ${answer.error.message}`);
    return answer.result as Response<M>;
  }

  beforeAll(async () => {
    core = await createCore({
      dataDir: dir.path,
      mode: 'headless',
      version: 'test',
      logger: silentLogger,
    });
    const seeded = await seedDemo(core, {
      channels: 2,
      hours: 1,
      scale: 'short',
      log: (line) => lines.push(line),
      putOnAir: async (channelId) => {
        await call('playoutStart', { channelId });
      },
    });
    if (!seeded.seeded) throw new Error(`not seeded: ${seeded.reason}`);
    result = seeded;
  }, 600_000);

  afterAll(async () => {
    await core?.close();
    dir.remove();
  });

  it('generates house-format clips that ingest remuxes', async () => {
    const files = readdirSync(join(dir.path, 'demo-source')).sort();
    expect(files.filter((f) => f.startsWith('programme-'))).toHaveLength(8);
    expect(files.filter((f) => f.startsWith('ad-'))).toHaveLength(3);
    expect(files.some((f) => f.endsWith('.part'))).toBe(false);
    for (const file of files) {
      const probe = JSON.parse(
        await ffprobe([
          '-show_entries',
          'stream=codec_type,codec_name,width,height,pix_fmt,r_frame_rate,sample_rate,channels:format=duration',
          '-of',
          'json',
          join(dir.path, 'demo-source', file),
        ]),
      ) as Probe;
      const video = probe.streams.find((s) => s.codec_type === 'video');
      const audio = probe.streams.find((s) => s.codec_type === 'audio');
      expect(video).toMatchObject({
        codec_name: 'h264',
        width: 1280,
        height: 720,
        pix_fmt: 'yuv420p',
        r_frame_rate: '25/1',
      });
      expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
      const seconds = Number(probe.format.duration);
      expect(seconds).toBeGreaterThanOrEqual(6);
      expect(seconds).toBeLessThanOrEqual(10.1);
      // A keyframe on every 2 s segment boundary (the remux condition).
      const keyframes = (
        await ffprobe([
          '-select_streams',
          'v',
          '-skip_frame',
          'nokey',
          '-show_entries',
          'frame=pts_time',
          '-of',
          'csv=p=0',
          join(dir.path, 'demo-source', file),
        ])
      )
        .split('\n')
        .filter(Boolean)
        // The first frame's row carries a side-data column after its time.
        .map((row) => Number.parseFloat(row));
      expect(keyframes).toEqual(
        Array.from({ length: Math.ceil(seconds / 2) }, (_, i) => expect.closeTo(i * 2, 2)),
      );
    }
    const ids = [...result.assetIds.programmes, ...result.assetIds.ads];
    expect(ids).toHaveLength(11);
    const methods = core.context.db
      .prepare<[], { state: string; ingest_method: string | null }>(
        `SELECT state, ingest_method FROM assets WHERE id IN (${ids.join(',')})`,
      )
      .all();
    expect(methods.every((m) => m.state === 'ready' && m.ingest_method === 'remux')).toBe(true);
    const folders = await call('libraryFolders', {});
    expect(folders.map((f) => f.name)).toEqual(expect.arrayContaining(['Programmes', 'Ads']));
    expect(lines.some((l) => /ingest \S+ \d+%/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^demo ready/);
  });

  it('creates the channels with the ads folder as filler', async () => {
    const channels = await call('channelsList', {});
    expect(channels.map((c) => [c.name, c.number, c.slug])).toEqual([
      ['Airdeck One', 1, 'airdeck-one'],
      ['Airdeck Two', 2, 'airdeck-two'],
    ]);
    const ads = await call('libraryFolderPath', { path: 'Demo/Ads', create: false });
    expect(channels.every((c) => c.fillerFolderId === ads.id)).toBe(true);
  });

  it('schedules programmes, ad clips and breaks with exactly one slate gap an hour', async () => {
    for (const [index, channelId] of result.channelIds.entries()) {
      const start = result.startsAt + channelStagger(index, true);
      const { items } = await call('scheduleRange', {
        channelIds: [channelId],
        from: start,
        to: start + HOUR_MS,
      });
      const top = items.filter((i) => i.parentItemId === null);
      const inner = items.filter((i) => i.parentItemId !== null);
      const categories = new Set(top.map((i) => i.category));
      expect(categories).toEqual(new Set(['Programme', 'Advertising', 'Break']));
      expect(top.some((i: ScheduleItem) => i.kind === 'break')).toBe(true);
      expect(inner.length).toBeGreaterThanOrEqual(1);
      expect(inner.every((i) => i.kind === 'break')).toBe(true);
      // Back to back: no two neighbours are apart except at the hour's gap.
      const report = await call('scheduleValidate', {
        channelId,
        from: start,
        to: start + HOUR_MS,
      });
      expect(report.overlaps).toEqual([]);
      expect(report.media).toEqual([]);
      expect(report.gaps).toHaveLength(1);
      const gap = report.gaps[0] as { start: number; end: number; durationMs: number };
      expect(gap.end).toBe(start + HOUR_MS);
      expect(gap.durationMs).toBeGreaterThanOrEqual(gapLength(index, 0, true));
      expect(gap.durationMs).toBeLessThan(gapLength(index, 0, true) + 2000);
      // Every inner break sits inside its programme, which airs for content + breaks.
      for (const brk of inner) {
        const parent = top.find((i) => i.id === brk.parentItemId);
        expect(parent).toBeDefined();
        expect(brk.startsAt).toBe((parent?.startsAt ?? 0) + (brk.offsetMs ?? 0));
        expect(parent?.breaksMs).toBe(brk.durationMs);
      }
    }
  });

  it('staggers the channels so their programme boundaries do not coincide', async () => {
    const { items } = await call('scheduleRange', {
      channelIds: result.channelIds,
      from: result.startsAt,
      to: result.startsAt + 120_000,
    });
    const starts = (channelId: number) =>
      new Set(
        items
          .filter((i) => i.channelId === channelId && i.parentItemId === null)
          .map((i) => i.startsAt),
      );
    const [a, b] = result.channelIds.map(starts) as [Set<number>, Set<number>];
    expect([...a].filter((t) => b.has(t))).toEqual([]);
  });

  it('puts every channel on air', async () => {
    const { channels } = await call('playoutStatus', {});
    expect(
      channels.filter((c) => result.channelIds.includes(c.channelId)).map((c) => c.onAir),
    ).toEqual([true, true]);
  });

  it('does nothing on a station that already has channels', async () => {
    expect(await seedDemo(core, { channels: 1, hours: 1, scale: 'short' })).toEqual({
      seeded: false,
      reason: 'the station already has channels',
    });
  });
});
