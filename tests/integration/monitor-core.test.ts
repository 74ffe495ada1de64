// Monitoring on a real core: an outside stream with black, frozen and silent stretches raises
// and clears each alarm through the contract; an unreachable one is offline at once; a
// channel on air gets a detector on its proxy (and its viewers are counted, not ours); the
// log survives a restart.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Alarm,
  EventName,
  EventPayload,
  MethodName,
  Request,
  Response,
} from '../../src-shared/contract';
import { createCore, type Core } from '../../src-main/core/create-core';
import { startHttpServer, type RunningServer } from '../../src-main/core/http/http-server';
import { silentLogger } from '../../src-main/core/logger';
import { makeClip } from '../helpers/media-fixtures';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/served-core';
import { makeStretchesStream, serveFolder, testSettings } from '../helpers/monitor-stream';

describe('monitoring on a real core', () => {
  const dir = makeTempDir('airdeck-monitor-core-');
  const dataDir = join(dir.path, 'data');
  let core: Core;
  let server: RunningServer;
  let stream: { url: string; close(): Promise<void> };
  const seen: { event: EventName; data: unknown }[] = [];
  const alarmEvents = () =>
    seen
      .filter((e) => e.event === 'alarmChanged')
      .map((e) => e.data as EventPayload<'alarmChanged'>);

  async function call<M extends MethodName>(method: M, params: Request<M>): Promise<Response<M>> {
    const result = await core.dispatch(method, params);
    if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
    return result.result as Response<M>;
  }

  beforeAll(async () => {
    const streamDir = join(dir.path, 'stream');
    (await import('node:fs')).mkdirSync(streamDir);
    await makeStretchesStream(streamDir);
    stream = await serveFolder(streamDir);
    core = await createCore({ dataDir, mode: 'headless', version: 'test', logger: silentLogger });
    core.bus.onAny((event, data) => seen.push({ event, data }));
    server = await startHttpServer({
      core,
      host: '127.0.0.1',
      port: 0,
      rendererDir: join(dir.path, 'none'),
      logger: silentLogger,
    });
    core.publishHttpEndpoint({ baseUrl: server.url, token: null });
  }, 120_000);

  afterAll(async () => {
    await core?.close();
    await server?.close();
    await stream?.close();
    dir.remove();
  });

  it('refuses what it cannot monitor', async () => {
    for (const url of ['rtmp://x/y', 'file:///etc/passwd', 'not a url', '']) {
      const result = await core.dispatch('monitorSourceAdd', { name: 'Bad', url });
      expect(result.ok, url).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('invalid_request');
    }
    const tooQuick = structuredClone(testSettings());
    (tooQuick.thresholds as { detectMinMs: number }).detectMinMs = 5;
    expect((await core.dispatch('alarmsSettingsSet', tooQuick)).ok).toBe(false);
    expect((await call('monitorSourcesList', {})).sources).toEqual([]);
  });

  it('raises and clears black, freeze and silence on an outside stream', async () => {
    const settings = await call('alarmsSettingsSet', testSettings());
    expect(seen.some((e) => e.event === 'alarmsSettingsChanged')).toBe(true);
    expect(settings.thresholds.detectMinMs).toBe(1000);
    const added = await call('monitorSourceAdd', {
      name: 'Stretches',
      url: `${stream.url}index.m3u8`,
    });
    expect(added.probe).toEqual({
      ok: true,
      probe: {
        format: 'hls',
        video: { codec: 'h264', width: 320, height: 180, fps: 25 },
        audio: { codec: 'aac', channels: 1, sampleRate: 48000 },
      },
    });
    const id = added.source.id;
    const mine = () => alarmEvents().filter((e) => e.alarm.sourceId === id);
    await waitFor('silence to clear', () =>
      mine().some((e) => e.change === 'cleared' && e.alarm.kind === 'silence'),
    );
    // The first pass over the stream, in order (a VOD playlist ends and is read again).
    const firstPass = mine()
      .slice(0, 6)
      .map((e) => `${e.change} ${e.alarm.kind}`);
    expect(firstPass).toEqual([
      'raised black',
      'cleared black',
      'raised freeze',
      'cleared freeze',
      'raised silence',
      'cleared silence',
    ]);
    for (const e of mine().slice(0, 6)) {
      expect(e.alarm.sourceKind).toBe('outside');
      expect(e.alarm.sourceName).toBe('Stretches');
    }
    const black = mine()[1]!.alarm;
    expect(black.severity).toBe('critical');
    expect(black.clearedAt).toBeGreaterThanOrEqual(black.raisedAt);

    const list = await call('alarmsList', { sourceKind: 'outside', sourceId: id, kind: 'black' });
    expect(list.log.find((a) => a.id === black.id)).toEqual(black);
    const sources = (await call('monitorSourcesList', {})).sources;
    expect(sources).toHaveLength(1);
    expect(sources[0]!.probe?.video?.codec).toBe('h264');
    await call('monitorSourceRemove', { id });
  });

  it('reports an unreachable stream offline at once; acknowledging reaches every window', async () => {
    const closed = await serveFolder(dir.path);
    await closed.close();
    const added = await call('monitorSourceAdd', { name: 'Gone', url: `${closed.url}live.m3u8` });
    expect(added.probe.ok).toBe(false);
    if (!added.probe.ok) expect(added.probe.error).toMatch(/refused/i);
    const offline = await waitFor('offline', () =>
      alarmEvents().find(
        (e) =>
          e.change === 'raised' &&
          e.alarm.kind === 'offline' &&
          e.alarm.sourceId === added.source.id,
      ),
    );
    expect(offline.alarm.acknowledgedAt).toBeNull();
    const active = await call('alarmsList', {});
    expect(active.active.map((a) => a.id)).toContain(offline.alarm.id);
    expect((await call('monitorSourcesList', {})).sources[0]!.state).toBe('offline');

    const acked = await call('alarmAcknowledge', { id: offline.alarm.id, by: 'MCR desk 2' });
    expect(acked.acknowledgedBy).toBe('MCR desk 2');
    const event = alarmEvents().find(
      (e) => e.change === 'acknowledged' && e.alarm.id === offline.alarm.id,
    );
    expect(event?.alarm).toEqual(acked);
    // Still active: acknowledging silences it, only the stream coming back clears it.
    expect(
      (await call('alarmsList', {})).active.find((a) => a.id === acked.id)?.clearedAt,
    ).toBeNull();
    expect((await core.dispatch('alarmAcknowledge', { id: 999_999 })).ok).toBe(false);

    const figures = (await call('dashboardGet', {})).figures;
    expect(figures.detectors).toContainEqual(
      expect.objectContaining({
        sourceKind: 'outside',
        sourceId: added.source.id,
        state: 'offline',
      }),
    );
    expect(figures.alarms.active).toBeGreaterThanOrEqual(1);
    expect(figures.disk.freeBytes).toBeGreaterThan(0);

    await call('monitorSourceRemove', { id: added.source.id });
    const cleared = alarmEvents().find(
      (e) => e.change === 'cleared' && e.alarm.id === offline.alarm.id,
    );
    expect(cleared?.alarm.acknowledgedBy).toBe('MCR desk 2');
    expect((await call('alarmsList', {})).active.some((a) => a.sourceId === added.source.id)).toBe(
      false,
    );
  });

  it('watches a channel on air, counts its viewers but not itself, stops when it goes off air', async () => {
    await call('settingsSet', {
      houseProfile: { width: 320, height: 180, fps: 25, segmentSeconds: 2 },
    });
    await call('scheduleSettingsSet', { lockHorizonMs: 0 });
    // Clips are made in this test's temp folder: allow it (the default allows <data>/import).
    await call('settingsSet', { allowedRoots: [dir.path] });
    const clip = await makeClip(join(dir.path, 'a.mp4'), { durationS: 4 });
    const imported = await call('libraryImportPaths', { paths: [clip], folderId: 1 });
    const assetId = imported.assets[0]!.assetId!;
    for (let i = 0; i < 600; i++) {
      const asset = await call('libraryAsset', { id: assetId });
      if (asset.state === 'ready') break;
      if (asset.state === 'failed') throw new Error('ingest failed');
      await new Promise((r) => setTimeout(r, 250));
    }
    const channel = await call('channelCreate', { name: 'Watched', number: 3, slug: 'watched' });
    const t0 = Math.ceil(Date.now() / 1000) * 1000 + 2000;
    await call('scheduleAdd', { channelId: channel.id, kind: 'asset', assetId, startsAt: t0 });
    await call('playoutStart', { channelId: channel.id });

    const detector = () =>
      core.monitor
        .figures()
        .detectors.find((d) => d.sourceKind === 'channel' && d.sourceId === channel.id);
    await waitFor('a detector on the channel', () => detector()?.state === 'running', 60_000);
    expect(
      core.ffmpegRegistry.list().some((p) => p.label === `monitor channel ${channel.id}`),
    ).toBe(true);
    // Two players (different user agents) on one address; the detector reads too but is ours.
    for (const agent of ['hls.js', 'VLC/3.0'])
      await fetch(new URL('channels/watched/main.m3u8', server.url), {
        headers: { 'user-agent': agent },
      });
    const viewers = core.monitor.figures().viewers;
    expect(viewers).toEqual([{ channelId: channel.id, viewers: 2 }]);
    const dashboard = await call('dashboardGet', {});
    expect(dashboard.channels).toContainEqual(
      expect.objectContaining({ channelId: channel.id, slug: 'watched', onAir: true }),
    );

    // The cap: 0 channels watched.
    const settings = await call('alarmsSettingsGet', {});
    await call('alarmsSettingsSet', { ...settings, monitoredChannelsCap: 0 });
    await waitFor('the detector to stop', () => detector() === undefined);
    await call('alarmsSettingsSet', { ...settings, monitoredChannelsCap: 16 });
    await waitFor('the detector back', () => detector() !== undefined);
    await call('playoutStop', { channelId: channel.id });
    await waitFor('the detector to stop off air', () => detector() === undefined);
    await waitFor('no monitor ffmpeg left', () =>
      core.ffmpegRegistry.list().every((p) => !p.label.startsWith('monitor')),
    );
  });

  it('flags an item airing soon whose media is not ready, and clears it once the item goes', async () => {
    const broken = join(dir.path, 'broken.mp4');
    writeFileSync(broken, 'not a video at all');
    await call('settingsSet', { allowedRoots: [dir.path] });
    const imported = await call('libraryImportPaths', { paths: [broken], folderId: 1 });
    const assetId = imported.assets[0]!.assetId!;
    await waitFor(
      'the broken file to fail',
      async () => (await call('libraryAsset', { id: assetId })).state === 'failed',
    );
    const channel = await call('channelCreate', { name: 'Later', number: 4, slug: 'later' });
    const change = await call('scheduleAdd', {
      channelId: channel.id,
      kind: 'asset',
      assetId,
      startsAt: Date.now() + 10 * 60_000,
      durationMs: 60_000,
    });
    const item = change.changed.find((i) => i.channelId === channel.id)!;
    const raised = await waitFor('media not ready', () =>
      alarmEvents().find(
        (e) =>
          e.change === 'raised' && e.alarm.kind === 'media-not-ready' && e.alarm.itemId === item.id,
      ),
    );
    expect(raised.alarm).toMatchObject({
      sourceKind: 'channel',
      sourceId: channel.id,
      sourceName: 'Later',
    });
    expect(raised.alarm.message).toMatch(/airs in (9|10) min and is failed/);
    await call('scheduleDelete', { items: [{ id: item.id, version: item.version }] });
    await waitFor('media not ready to clear', () =>
      alarmEvents().find((e) => e.change === 'cleared' && e.alarm.id === raised.alarm.id),
    );
  });

  it('keeps the log across a restart; detectors judge again', async () => {
    const closed = await serveFolder(dir.path);
    await closed.close();
    const gone = await call('monitorSourceAdd', { name: 'Down', url: `${closed.url}x.m3u8` });
    const offline = (): Alarm | undefined =>
      core.monitor.alarms.active().find((a) => a.sourceId === gone.source.id);
    const first = await waitFor('offline', offline);
    const before = (await call('alarmsList', { limit: 500 })).log;
    expect(before.length).toBeGreaterThanOrEqual(5);
    await core.close();
    await server.close();
    core = await createCore({ dataDir, mode: 'headless', version: 'test', logger: silentLogger });
    const again = await waitFor('offline again', offline);
    expect(again.id).toBeGreaterThan(first.id);
    const after = await call('alarmsList', { limit: 500 });
    expect(after.active.map((a) => a.id)).toEqual([again.id]);
    expect(after.log.slice(1).map((a) => a.id)).toEqual(before.map((a) => a.id));
    expect(after.log.slice(1).every((a) => a.clearedAt !== null)).toBe(true);
    // What had cleared is unchanged; what was still up when the core stopped is closed.
    for (const [i, was] of before.entries()) {
      const now = after.log[i + 1]!;
      if (was.clearedAt !== null) expect(now).toEqual(was);
      else expect(now).toEqual({ ...was, clearedAt: now.clearedAt });
    }
    // Paging: newest first, two at a time.
    const page = await call('alarmsList', { limit: 2 });
    expect(page.log.map((a) => a.id)).toEqual(after.log.slice(0, 2).map((a) => a.id));
    const next = await call('alarmsList', { limit: 2, beforeId: page.nextBeforeId! });
    expect(next.log.map((a) => a.id)).toEqual(after.log.slice(2, 4).map((a) => a.id));
    // Settings persist too.
    expect((await call('alarmsSettingsGet', {})).thresholds.detectMinMs).toBe(1000);
  });
});
