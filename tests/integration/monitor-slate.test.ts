// The station slate is dark and silent. A channel whose timeline plays slate (before its first
// programme, in a break inside a programme or between two, in a gap) is doing what was
// planned: no BLACK or SILENCE. A programme
// that is itself black and silent is a fault, raised once it has lasted the set delay.
// Real core, real HTTP server, real ffmpeg reading the channel's proxy as it airs.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload, PlayoutProgramme } from '../../src-shared/contract';
import { makeClip } from '../helpers/media-fixtures';
import { testSettings } from '../helpers/monitor-stream';
import { startServedCore, waitFor, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';

describe('monitoring a channel that plays slate', () => {
  const dir = makeTempDir('airdeck-monitor-slate-');
  let served: ServedCore;
  const alarms: EventPayload<'alarmChanged'>[] = [];
  const call: ServedCore['call'] = (method, params) => served.call(method, params);

  async function ingest(path: string) {
    const imported = await call('libraryImportPaths', { paths: [path], folderId: 1 });
    const assetId = imported.assets[0]!.assetId!;
    await waitFor(`${path} to be ingested`, async () => {
      const asset = await call('libraryAsset', { id: assetId });
      if (asset.state === 'failed') throw new Error('ingest failed');
      return asset.state === 'ready';
    });
    return assetId;
  }

  beforeAll(async () => {
    served = await startServedCore(dir.path);
    served.core.bus.on('alarmChanged', (event) => alarms.push(event));
  }, 120_000);

  afterAll(async () => {
    await served?.close();
    dir.remove();
  });

  it('raises nothing while slate is planned, and BLACK and SILENCE in a black programme', async () => {
    const settings = testSettings();
    await call('alarmsSettingsSet', settings);
    await call('settingsSet', {
      houseProfile: { width: 320, height: 180, fps: 25, segmentSeconds: 2 },
    });
    await call('scheduleSettingsSet', { lockHorizonMs: 0 });
    // Clips are made in this test's temp folder: allow it (the default allows <data>/import).
    await call('settingsSet', { allowedRoots: [dir.path] });
    const pattern = await ingest(await makeClip(join(dir.path, 'pattern.mp4'), { durationS: 4 }));
    // A programme gone wrong: the pattern painted black, the tone turned down to nothing.
    const black = await ingest(
      await makeClip(join(dir.path, 'black.mp4'), {
        durationS: 6,
        extraArgs: ['-vf', 'drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill', '-af', 'volume=0'],
      }),
    );

    const channel = await call('channelCreate', { name: 'Gappy', number: 7, slug: 'gappy' });
    // Slate until t0; the pattern for 2 s, a 4 s break inside it, its other 2 s; a 3 s break
    // between programmes; a 3 s gap; the black programme for 6 s; slate again. Every slate
    // stretch outlasts the set delay.
    const t0 = Math.ceil(Date.now() / 1000) * 1000 + 8000;
    const first = await call('scheduleAdd', {
      channelId: channel.id,
      kind: 'asset',
      assetId: pattern,
      startsAt: t0,
    });
    const parent = first.changed[0] as { id: number; version: number };
    await call('scheduleAdd', {
      channelId: channel.id,
      kind: 'break',
      parent: { id: parent.id, version: parent.version },
      offsetMs: 2000,
      durationMs: 4000,
    });
    await call('scheduleAdd', {
      channelId: channel.id,
      kind: 'break',
      startsAt: t0 + 8000,
      durationMs: 3000,
    });
    await call('scheduleAdd', {
      channelId: channel.id,
      kind: 'asset',
      assetId: black,
      startsAt: t0 + 14_000,
    });
    await call('playoutStart', { channelId: channel.id });
    const plan = served.core.playout.programmes(channel.id, Date.now(), t0 + 30_000);
    const programme = (assetId: number) =>
      plan.find((p) => p.assetId === assetId) as PlayoutProgramme;
    // The inner break folds into its programme here; the segments say it plays slate.
    expect(plan.map((p) => [p.kind, p.startsAt - t0])).toEqual([
      ['slate', plan[0]!.startsAt - t0],
      ['programme', 0],
      ['slate', 8000],
      ['slate', 11_000],
      ['programme', 14_000],
      ['slate', 20_000],
    ]);
    const blackProgramme = programme(black);

    const mine = () => alarms.filter((e) => e.alarm.sourceKind === 'channel');
    // The black programme's BLACK clears in the slate after it: the whole plan has been judged.
    await waitFor('BLACK to clear after the black programme', () =>
      mine().some((e) => e.change === 'cleared' && e.alarm.kind === 'black'),
    );
    const detector = served.core.monitor
      .figures()
      .detectors.find((d) => d.sourceKind === 'channel' && d.sourceId === channel.id);
    expect(detector?.restarts).toBe(0);

    const raised = mine().filter((e) => e.change === 'raised');
    expect(raised.map((e) => e.alarm.kind).sort()).toEqual(['black', 'silence']);
    // Nothing before the black programme (the slate before t0 and the gap were judged too),
    // and each only once the black programme had lasted the set delay.
    for (const { alarm } of raised) {
      const kind = alarm.kind as 'black' | 'silence';
      expect(alarm.sourceId).toBe(channel.id);
      expect(alarm.raisedAt).toBeGreaterThanOrEqual(
        blackProgramme.startsAt + settings.thresholds.detectMinMs + settings.kinds[kind].setDelayMs,
      );
    }
    await call('playoutStop', { channelId: channel.id });
    await waitFor('no monitor ffmpeg left', () =>
      served.core.ffmpegRegistry.list().every((p) => !p.label.startsWith('monitor')),
    );
  });
});
