// M3U, XMLTV and HDHomeRun answers as pure functions; the guide is checked by the XMLTV
// project's own validator (tv_validate_file, from xmltv-util).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deviceIdChecksum,
  discoverJson,
  isValidDeviceId,
  loadOrCreateDeviceId,
  makeDeviceId,
} from '../../src-main/core/outputs/hdhomerun';
import { buildM3u, tvgId } from '../../src-main/core/outputs/m3u';
import type { OutputChannel } from '../../src-main/core/outputs/output-types';
import { pushFormat, buildPushArgs } from '../../src-main/core/outputs/push-outputs';
import { buildXmltv, roundToSecond, xmltvTime } from '../../src-main/core/outputs/xmltv';
import { makeTempDir } from '../helpers/temp-dir';

const channel = (over: Partial<OutputChannel> = {}): OutputChannel => ({
  id: 1,
  slug: 'news',
  name: 'News & "Weather" <24>',
  number: 101,
  group: 'Local',
  logoUrl: 'https://example.com/logo.png?a=1&b=2',
  enabled: true,
  ...over,
});

const T0 = Date.UTC(2025, 2, 30, 0, 59, 59, 960); // a frame boundary, not a whole second

function validate(file: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    // The validator fetches xmltv.dtd from the network unless pointed at the installed copy.
    const env = {
      ...process.env,
      XMLTV_SUPPLEMENT: process.env.XMLTV_SUPPLEMENT ?? '/usr/share/xmltv',
    };
    execFile('tv_validate_file', [file], { env }, (error, stdout, stderr) =>
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
        output: stdout + stderr,
      }),
    );
  });
}

describe('outputs: M3U', () => {
  it('lists each channel with tvg attributes and its URL, without breaking lines', () => {
    const text = buildM3u(
      [
        { channel: channel(), url: 'http://h/channels/news/index.m3u8', logoUrl: 'http://l/x.png' },
        {
          channel: channel({ id: 2, slug: 'film', name: 'Film\nNight', number: 7, group: null }),
          url: 'http://h/channels/film/index.m3u8?key=k',
          logoUrl: null,
        },
      ],
      'http://h/iptv/epg.xml',
    );
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      '#EXTM3U url-tvg="http://h/iptv/epg.xml" x-tvg-url="http://h/iptv/epg.xml"',
    );
    expect(lines[1]).toBe(
      '#EXTINF:-1 tvg-id="news.airdeck" tvg-name="News &  Weather  <24>" tvg-logo="http://l/x.png" group-title="Local" tvg-chno="101" channel-number="101",News & "Weather" <24>',
    );
    expect(lines[2]).toBe('http://h/channels/news/index.m3u8');
    expect(lines[3]).toContain('tvg-id="film.airdeck"');
    expect(lines[3]).toContain('group-title="Airdeck"');
    expect(lines[3]).not.toContain('tvg-logo');
    expect(lines[3]!.endsWith(',Film Night')).toBe(true);
    expect(lines).toHaveLength(5);
  });
});

describe('outputs: XMLTV', () => {
  const tmp = makeTempDir('airdeck-xmltv-');
  afterAll(() => tmp.remove());

  it('rounds frame-exact boundaries to the nearest second, the same way on both sides', () => {
    expect(roundToSecond(T0)).toBe(T0 + 40);
    expect(roundToSecond(Date.UTC(2025, 0, 1, 0, 0, 0, 480))).toBe(Date.UTC(2025, 0, 1));
    expect(roundToSecond(Date.UTC(2025, 0, 1, 0, 0, 0, 500))).toBe(Date.UTC(2025, 0, 1, 0, 0, 1));
    expect(xmltvTime(roundToSecond(T0))).toBe('20250330010000 +0000');
  });

  it('is accepted by tv_validate_file and escapes everything', async () => {
    const xml = buildXmltv(
      [
        {
          channel: channel(),
          logoUrl: 'https://example.com/logo.png?a=1&b=2',
          programmes: [
            {
              title: 'Tom & Jerry <live> "special" \u0007',
              startsAt: T0,
              endsAt: T0 + 1_800_000,
              kind: 'programme',
              category: 'Kids & Family',
            },
            // Starts where the first ends: same rounding, so no gap and no overlap.
            {
              title: '',
              startsAt: T0 + 1_800_000,
              endsAt: T0 + 1_800_320,
              kind: 'slate',
              category: null,
            },
            {
              title: 'Film',
              startsAt: T0 + 1_800_320,
              endsAt: T0 + 7_200_000,
              kind: 'programme',
              category: null,
            },
          ],
        },
        {
          channel: channel({ id: 2, slug: 'film', name: 'Film', number: 7 }),
          logoUrl: null,
          programmes: [],
        },
      ],
      'Station <1>',
      { from: T0, to: T0 + 7_200_000 },
    );
    expect(xml).toContain('<!DOCTYPE tv SYSTEM "xmltv.dtd">');
    expect(xml).toContain('<title>Tom &amp; Jerry &lt;live&gt; &quot;special&quot; </title>');
    expect(xml).toContain('<icon src="https://example.com/logo.png?a=1&amp;b=2" />');
    expect(xml).toContain('start="20250330010000 +0000" stop="20250330013000 +0000"');
    // 320 ms of slate rounds to nothing and is left out.
    // A channel with nothing planned gets one programme under its name.
    expect(xml.match(/<programme /g)).toHaveLength(3);
    expect(xml).toContain('channel="film.airdeck">\n    <title>Film</title>');
    expect(xml).toContain('start="20250330013000 +0000" stop="20250330030000 +0000"');
    // Channels sorted by id: film before news.
    expect(xml.indexOf('id="film.airdeck"')).toBeLessThan(xml.indexOf('id="news.airdeck"'));
    const file = join(tmp.path, 'epg.xml');
    writeFileSync(file, xml);
    const result = await validate(file);
    expect(result.output).toContain('Validated ok');
    expect(result.code).toBe(0);
    expect(tvgId(channel())).toBe('news.airdeck');
  });
});

describe('outputs: HDHomeRun', () => {
  const tmp = makeTempDir('airdeck-hdhr-');
  afterAll(() => tmp.remove());

  it('makes device ids that pass libhdhomerun’s check and keeps them', () => {
    for (const random of [0, 0x12345678, 0xffffffff, 0x10a3b5c0]) {
      const id = makeDeviceId(random);
      expect(id).toMatch(/^[0-9A-F]{8}$/);
      expect(deviceIdChecksum(parseInt(id, 16))).toBe(0);
    }
    expect(isValidDeviceId('12345678')).toBe(deviceIdChecksum(0x12345678) === 0);
    const first = loadOrCreateDeviceId(tmp.path);
    expect(isValidDeviceId(first)).toBe(true);
    expect(loadOrCreateDeviceId(tmp.path)).toBe(first);
  });

  it('answers discover.json with the shape media servers expect', () => {
    const body = discoverJson({
      friendlyName: 'Station',
      deviceId: 'ABCDEF01',
      baseUrl: 'http://10.0.0.2:8080',
      firmwareVersion: '0.1.0',
      tunerCount: 3,
      query: '?key=secretkey',
    });
    expect(body).toMatchObject({
      FriendlyName: 'Station',
      ModelNumber: 'HDTC-2US',
      FirmwareName: 'hdhomeruntc_atsc',
      FirmwareVersion: '0.1.0',
      DeviceID: 'ABCDEF01',
      BaseURL: 'http://10.0.0.2:8080',
      LineupURL: 'http://10.0.0.2:8080/lineup.json?key=secretkey',
      TunerCount: 3,
    });
    expect(typeof body.DeviceAuth).toBe('string');
  });
});

describe('outputs: push targets', () => {
  it('accepts UDP, SRT and RTMP with the right muxer and refuses the rest', () => {
    expect(pushFormat('udp://239.0.0.1:1234?pkt_size=1316')).toEqual({ format: 'mpegts' });
    expect(pushFormat('srt://example.com:9000?mode=caller')).toEqual({ format: 'mpegts' });
    expect(pushFormat('rtmp://live.example.com/app/streamkey')).toEqual({ format: 'flv' });
    expect(pushFormat('udp://127.0.0.1')).toHaveProperty('error');
    expect(pushFormat('file:///etc/passwd')).toHaveProperty('error');
    expect(pushFormat('-f')).toHaveProperty('error');
    expect(() => buildPushArgs('http://127.0.0.1:1/channels/a/live.ts', 'http://x')).toThrow(
      RangeError,
    );
    expect(buildPushArgs('http://in', 'rtmp://h/app/key').slice(-5)).toEqual([
      '-bsf:a',
      'aac_adtstoasc',
      '-f',
      'flv',
      'rtmp://h/app/key',
    ]);
    expect(buildPushArgs('http://in', 'udp://127.0.0.1:5000')).toContain('mpegts');
  });
});
