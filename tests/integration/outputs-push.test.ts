// Push outputs on a real core: two generated clips on air (then slate), a real HTTP server
// published to the core, and a UDP receiver on loopback. The push's ffmpeg is killed from
// outside and must come back; disabling it or taking the channel off air leaves no ffmpeg.
import { createSocket, type Socket } from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, PushOutput, Request, Response } from '../../src-shared/contract';
import type { Core } from '../../src-main/core/create-core';
import type { RunningServer } from '../../src-main/core/http/http-server';
import { makeClip } from '../helpers/media-fixtures';
import { startServedCore, waitFor, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';

const CLIP_S = 6;
const TS_PACKET = 188;

/** Pids of live processes whose command line mentions `needle` (reads /proc, Linux only). */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      // A zombie has an empty cmdline: it is gone, only not reaped yet.
      if (cmdline.split('\0').some((arg) => arg.includes(needle))) pids.push(Number(name));
    } catch {
      // Exited between readdir and read.
    }
  }
  return pids;
}

describe('push outputs on a real core', () => {
  const dir = makeTempDir('airdeck-push-');
  let served: ServedCore;
  let core: Core;
  let server: RunningServer;
  let receiver: Socket;
  let udpPort = 0;
  let channelId = 0;
  /** TS packets (188 bytes, sync byte 0x47) received so far. */
  let packets = 0;
  let badDatagrams = 0;
  const states: PushOutput['state'][] = [];

  const call = <M extends MethodName>(method: M, params: Request<M>): Promise<Response<M>> =>
    served.call(method, params);
  const push = async () =>
    (await call('pushOutputsList', {})).outputs.find((o) => o.channelId === channelId);
  const target = () => `udp://127.0.0.1:${udpPort}`;
  const pushPids = () =>
    core.ffmpegRegistry
      .list()
      .filter((p) => p.args.some((a) => a.startsWith(target())))
      .map((p) => p.pid);

  beforeAll(async () => {
    receiver = createSocket('udp4');
    receiver.on('message', (message: Buffer) => {
      if (message.length % TS_PACKET !== 0) badDatagrams++;
      for (let at = 0; at + TS_PACKET <= message.length; at += TS_PACKET)
        if (message[at] === 0x47) packets++;
    });
    await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
    udpPort = receiver.address().port;

    served = await startServedCore(dir.path);
    ({ core, server } = served);
    core.bus.on('pushOutputsChanged', ({ outputs }) => {
      const mine = outputs.find((o) => o.channelId === channelId);
      if (mine && states.at(-1) !== mine.state) states.push(mine.state);
    });
    await call('settingsSet', {
      houseProfile: { width: 320, height: 180, fps: 25, segmentSeconds: 2 },
    });
    await call('scheduleSettingsSet', { lockHorizonMs: 0 });
    // Clips are made in this test's temp folder: allow it (the default allows <data>/import).
    await call('settingsSet', { allowedRoots: [dir.path] });
    const a = await makeClip(join(dir.path, 'a.mp4'), { durationS: CLIP_S });
    const b = await makeClip(join(dir.path, 'b.mp4'), { durationS: CLIP_S });
    const imported = await call('libraryImportPaths', { paths: [a, b], folderId: 1 });
    const ids = imported.assets.map((x) => x.assetId!);
    for (let i = 0; i < 600; i++) {
      const assets = await Promise.all(ids.map((id) => call('libraryAsset', { id })));
      if (assets.every((s) => s.state === 'ready')) break;
      if (assets.some((s) => s.state === 'failed')) throw new Error('ingest failed');
      await new Promise((r) => setTimeout(r, 250));
    }
    const channel = await call('channelCreate', { name: 'Push', number: 7, slug: 'push' });
    channelId = channel.id;
    // Back to back from two seconds on, then slate for as long as the test runs.
    const t0 = Math.ceil(Date.now() / 1000) * 1000 + 2000;
    await call('scheduleAdd', { channelId, kind: 'asset', assetId: ids[0]!, startsAt: t0 });
    await call('scheduleAdd', {
      channelId,
      kind: 'asset',
      assetId: ids[1]!,
      startsAt: t0 + CLIP_S * 1000,
    });
    await call('playoutStart', { channelId });
  }, 120_000);

  afterAll(async () => {
    // The core first: it ends the pushes, which are clients of the server.
    await served?.close();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
    dir.remove();
  });

  it('refuses targets it cannot push to', async () => {
    for (const url of [
      'http://127.0.0.1:9/x',
      'file:///etc/passwd',
      'udp://127.0.0.1',
      'srt://example.com',
      '-f',
      '',
    ]) {
      const result = await core.dispatch('pushOutputSet', { channelId, url, enabled: true });
      expect(result.ok, url).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid_request');
        expect(result.error.message).toMatch(/url/);
      }
    }
    const wrongScheme = await core.dispatch('pushOutputSet', {
      channelId,
      url: 'ftp://host/x',
      enabled: true,
    });
    expect(!wrongScheme.ok && wrongScheme.error.message).toContain(
      'only udp://host:port, srt://host:port and rtmp(s)://… targets are supported',
    );
    const noChannel = await core.dispatch('pushOutputSet', {
      channelId: 9999,
      url: 'udp://127.0.0.1:5000',
      enabled: true,
    });
    expect(!noChannel.ok && noChannel.error.code).toBe('not_found');
    expect((await call('pushOutputsList', {})).outputs).toEqual([]);
  });

  it('pushes the channel as MPEG-TS over UDP', async () => {
    const { outputs } = await call('pushOutputSet', { channelId, url: target(), enabled: true });
    expect(outputs).toEqual([
      expect.objectContaining({ channelId, url: target(), enabled: true, restarts: 0 }),
    ]);
    await waitFor('packets', () => packets >= 500);
    expect(badDatagrams).toBe(0);
    await waitFor('running', async () => (await push())?.state === 'running');
    const [info] = core.ffmpegRegistry.list().filter((p) => p.label === 'push push');
    expect(info?.args).toEqual(
      expect.arrayContaining([
        '-c',
        'copy',
        '-f',
        'mpegts',
        `${target()}?pkt_size=1316`,
        `${server.url}channels/push/live.ts`,
      ]),
    );
    expect(info?.args).not.toContain('-re');
    expect(states).toContain('running');
  });

  it('restarts ffmpeg killed from outside, and packets flow again', async () => {
    const [pid] = pushPids();
    expect(pid).toBeGreaterThan(0);
    states.length = 0;
    process.kill(pid!, 'SIGKILL');
    await waitFor('restarting', async () => (await push())?.state === 'restarting');
    const restarting = await push();
    expect(restarting?.lastError).toMatch(/SIGKILL/);
    await waitFor('a new child', () => {
      const pids = pushPids();
      return pids.length === 1 && pids[0] !== pid;
    });
    await waitFor('running again', async () => (await push())?.state === 'running');
    const before = packets;
    await waitFor('packets again', () => packets >= before + 200);
    expect((await push())?.restarts).toBe(1);
    expect(states).toEqual(expect.arrayContaining(['restarting', 'running']));
    expect(states.indexOf('restarting')).toBeLessThan(states.lastIndexOf('running'));
  });

  it('follows the station key: the push reads live.ts with ?key=', async () => {
    await call('outputsSettingsSet', { requireKey: true, key: 'push-key-1234' });
    await waitFor('a child with the key', () =>
      core.ffmpegRegistry
        .list()
        .some((p) => p.args.includes(`${server.url}channels/push/live.ts?key=push-key-1234`)),
    );
    await waitFor('running with the key', async () => (await push())?.state === 'running');
    const before = packets;
    await waitFor('packets with the key', () => packets >= before + 200);
    await call('outputsSettingsSet', { requireKey: false, key: '' });
  });

  it('disabling stops the push and leaves no ffmpeg behind', async () => {
    const { outputs } = await call('pushOutputSet', { channelId, url: target(), enabled: false });
    expect(outputs[0]).toMatchObject({ enabled: false, state: 'stopped' });
    expect(pushPids()).toEqual([]);
    expect(processesMentioning(`127.0.0.1:${udpPort}`)).toEqual([]);
  });

  it('stops when the channel goes off air', async () => {
    await call('pushOutputSet', { channelId, url: target(), enabled: true });
    await waitFor('running', async () => (await push())?.state === 'running');
    expect(processesMentioning(`127.0.0.1:${udpPort}`)).toHaveLength(1);
    await call('playoutStop', { channelId });
    await waitFor('stopped', async () => (await push())?.state === 'stopped');
    await waitFor('no ffmpeg', () => processesMentioning(`127.0.0.1:${udpPort}`).length === 0);
    expect(pushPids()).toEqual([]);
  });

  it('removes the target with url null', async () => {
    const { outputs } = await call('pushOutputSet', { channelId, url: null, enabled: false });
    expect(outputs).toEqual([]);
  });
});
