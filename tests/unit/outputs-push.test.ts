// Push outputs without ffmpeg: target validation in the contract, the arguments ffmpeg gets,
// the input URL, and the feature's rule for when a push runs (on a station without ffmpeg,
// a push that should run is `failed`, which makes the rule visible without a child).
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkPushUrl,
  methods,
  type OutputsSettings,
  type PushOutput,
} from '../../src-shared/contract';
import type { CoreContext } from '../../src-main/core/core-context';
import { openDatabase } from '../../src-main/core/db/open-database';
import { EventBus } from '../../src-main/core/events/event-bus';
import { createFfmpegRegistry } from '../../src-main/core/ffmpeg';
import { silentLogger } from '../../src-main/core/logger';
import { buildPushArgs } from '../../src-main/core/outputs/push-outputs';
import {
  createPushOutputsFeature,
  liveInputUrl,
  type PushEndpoint,
} from '../../src-main/core/outputs/push-outputs-feature';
import { makeTempDir } from '../helpers/temp-dir';
import { SYSTEM } from '../../src-main/core/rpc/caller';

describe('push targets', () => {
  const parse = (url: unknown) =>
    methods.pushOutputSet.request.safeParse({ channelId: 1, url, enabled: true });

  it('accepts udp://host:port, srt://host:port and rtmp(s)://…', () => {
    for (const url of [
      'udp://239.0.0.1:1234',
      'udp://127.0.0.1:5000?ttl=4',
      'srt://example.com:9000?mode=caller&latency=200000',
      'rtmp://live.example.com/app/streamkey',
      'rtmps://live.example.com:443/app/key',
    ])
      expect(parse(url).success, url).toBe(true);
    expect(parse(null).success).toBe(true);
    expect(checkPushUrl('srt://h:1')).toEqual({ format: 'mpegts' });
    expect(checkPushUrl('rtmps://h/a')).toEqual({ format: 'flv' });
  });

  it('refuses anything else with a message saying what is expected', () => {
    const message = (url: unknown) => {
      const result = parse(url);
      return result.success ? null : result.error.issues.map((i) => i.message).join('; ');
    };
    expect(message('http://example.com/in')).toMatch(/only udp:\/\/host:port, srt:\/\/host:port/);
    expect(message('file:///etc/passwd')).toMatch(/only udp/);
    expect(message('udp://127.0.0.1')).toMatch(/needs a port/);
    expect(message('udp://127.0.0.1:0')).toMatch(/needs a port/);
    expect(message('srt://:9000')).not.toBeNull();
    expect(message('-f')).toMatch(/not a URL/);
    expect(message('')).not.toBeNull();
    expect(message('udp://h:1/' + 'x'.repeat(2100))).not.toBeNull();
    expect(
      methods.pushOutputSet.request.safeParse({ channelId: 1, url: 'udp://h:1', enabled: 1 })
        .success,
    ).toBe(false);
  });
});

describe('push arguments', () => {
  const input = 'http://127.0.0.1:8740/channels/news/live.ts';

  it('copies into MPEG-TS over UDP in 1316-byte datagrams, without pacing', () => {
    const args = buildPushArgs(input, 'udp://239.0.0.1:1234');
    expect(args.slice(-3)).toEqual(['-f', 'mpegts', 'udp://239.0.0.1:1234?pkt_size=1316']);
    expect(args).toEqual(expect.arrayContaining(['-i', input, '-c', 'copy', '0:a:0?']));
    expect(args).not.toContain('-re');
    expect(buildPushArgs(input, 'udp://h:1?ttl=2').at(-1)).toBe('udp://h:1?ttl=2&pkt_size=1316');
    expect(buildPushArgs(input, 'udp://h:1?pkt_size=188').at(-1)).toBe('udp://h:1?pkt_size=188');
  });

  it('uses MPEG-TS for SRT and FLV for RTMP', () => {
    expect(buildPushArgs(input, 'srt://h:9000?mode=caller').slice(-3)).toEqual([
      '-f',
      'mpegts',
      'srt://h:9000?mode=caller',
    ]);
    expect(buildPushArgs(input, 'rtmps://h/app/key').slice(-3)).toEqual([
      '-f',
      'flv',
      'rtmps://h/app/key',
    ]);
    expect(() => buildPushArgs(input, 'ftp://h/x')).toThrow(RangeError);
  });

  it("reads the channel's live.ts from the published server, with the key when required", () => {
    expect(liveInputUrl('http://127.0.0.1:8740/', 'news', null)).toBe(
      'http://127.0.0.1:8740/channels/news/live.ts',
    );
    expect(liveInputUrl('http://0.0.0.0:8740/', 'a b', 'k-1234567')).toBe(
      'http://127.0.0.1:8740/channels/a%20b/live.ts?key=k-1234567',
    );
    expect(liveInputUrl('http://[::]:80', 'x', null)).toBe('http://[::1]/channels/x/live.ts');
  });
});

describe('push outputs feature (no ffmpeg on this station)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let feature: ReturnType<typeof createPushOutputsFeature>;
  let bus: EventBus;
  let close: () => void;
  let insertChannel: (id: number, slug: string) => void;
  let deleteChannel: (id: number) => void;
  const events: PushOutput[][] = [];
  const onAir = new Set<number>();
  let endpoint: PushEndpoint = { baseUrl: null };
  let outputs: OutputsSettings = { requireKey: false, key: '' };

  beforeEach(() => {
    dir = makeTempDir('airdeck-push-unit-');
    const { db } = openDatabase(join(dir.path, 'a.db'));
    close = () => db.close();
    const insert = db.prepare(
      'INSERT INTO channels (id, name, number, slug, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)',
    );
    insertChannel = (id, slug) => insert.run(id, slug, id, slug);
    deleteChannel = (id) => db.prepare('DELETE FROM channels WHERE id = ?').run(id);
    bus = new EventBus();
    events.length = 0;
    bus.on('pushOutputsChanged', ({ outputs: list }) => events.push(list));
    onAir.clear();
    endpoint = { baseUrl: null };
    outputs = { requireKey: false, key: '' };
    const context = {
      db,
      bus,
      clock: { now: () => 1_000 },
      logger: silentLogger,
      ffmpeg: { binaries: null, registry: createFfmpegRegistry() },
    } as unknown as CoreContext;
    feature = createPushOutputsFeature(
      context,
      { onAir: () => [...onAir], outputs: { get: () => outputs } },
      () => endpoint,
    );
    feature.start?.();
    insertChannel(1, 'one');
  });
  afterEach(async () => {
    await feature.close?.();
    close();
    dir.remove();
  });

  const set = (url: string | null, enabled: boolean) =>
    feature.handlers.pushOutputSet({ channelId: 1, url, enabled }, SYSTEM);
  const state = () => feature.list()[0]?.state;

  it('runs only while enabled, on air and with the HTTP server published', async () => {
    expect(await set('udp://127.0.0.1:5000', true)).toEqual({
      outputs: [
        {
          channelId: 1,
          url: 'udp://127.0.0.1:5000',
          enabled: true,
          state: 'stopped',
          restarts: 0,
          lastError: null,
          since: 1_000,
        },
      ],
    });
    onAir.add(1);
    await feature.reconcile();
    expect(state()).toBe('stopped'); // no endpoint yet
    endpoint = { baseUrl: 'http://127.0.0.1:8740/' };
    await feature.reconcile();
    expect(feature.list()[0]).toMatchObject({ state: 'failed', lastError: /ffmpeg/ });
    await set('udp://127.0.0.1:5000', false);
    expect(state()).toBe('stopped');
    await set('udp://127.0.0.1:5000', true);
    expect(state()).toBe('failed');
    onAir.delete(1);
    await feature.reconcile();
    expect(state()).toBe('stopped');
  });

  it('refuses an unknown channel, removes with url null, and follows channel deletion', async () => {
    await expect(
      feature.handlers.pushOutputSet({ channelId: 2, url: 'udp://h:1', enabled: true }, SYSTEM),
    ).rejects.toMatchObject({ code: 'not_found' });
    await set('rtmp://h/app/key', true);
    expect((await set(null, false)).outputs).toEqual([]);
    await set('rtmp://h/app/key', true);
    deleteChannel(1);
    expect(feature.list()).toEqual([]);
  });

  it('sends pushOutputsChanged at most a few times a second', async () => {
    endpoint = { baseUrl: 'http://127.0.0.1:8740/' };
    onAir.add(1);
    const started = Date.now();
    for (let i = 0; i < 40; i++) await set('udp://127.0.0.1:5000', i % 2 === 0);
    await new Promise((r) => setTimeout(r, 600));
    const elapsedS = (Date.now() - started) / 1000;
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThanOrEqual(Math.ceil(elapsedS * 4) + 1);
    // The last event has the final state (40 toggles end disabled).
    expect(events.at(-1)?.[0]).toMatchObject({ enabled: false, state: 'stopped' });
  });
});
