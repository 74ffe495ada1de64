import { describe, expect, it } from 'vitest';
import { createViewerCounter } from '../../src-main/core/monitor/viewer-counter';
import { isViewerHit } from '../../src-main/core/http/viewer-hits';
import { MONITOR_USER_AGENT } from '../../src-main/core/monitor/detector-args';
import { readStreamProbe } from '../../src-main/core/monitor/stream-probe';
import { proxyPlaylistUrl } from '../../src-main/core/monitor/monitor-feature';

describe('viewer counter', () => {
  it('counts distinct clients (address + user agent) per channel over the window', () => {
    const v = createViewerCounter(30_000);
    v.seen('news', '10.0.0.1', 'hls.js', 1000);
    v.seen('news', '10.0.0.1', 'hls.js', 2000);
    v.seen('news', '10.0.0.1', 'VLC', 3000);
    v.seen('news', '10.0.0.2', undefined, 4000);
    v.seen('sport', '10.0.0.3', 'hls.js', 5000);
    expect(v.count(6000)).toEqual(
      new Map([
        ['news', 3],
        ['sport', 1],
      ]),
    );
    // 30 s later only the clients seen since then remain.
    v.seen('news', '10.0.0.2', undefined, 33_000);
    expect(v.count(35_500)).toEqual(new Map([['news', 1]]));
    expect(v.count(70_000)).toEqual(new Map());
    expect(v.size()).toBe(0);
  });

  it('ignores our own detectors', () => {
    const v = createViewerCounter();
    v.seen('news', '127.0.0.1', MONITOR_USER_AGENT, 1);
    expect(v.count(2)).toEqual(new Map());
  });

  it('keeps a client seen again, dropping only those gone quiet', () => {
    const v = createViewerCounter(10);
    v.seen('a', '10.0.0.1', 'x', 0);
    v.seen('a', '10.0.0.2', 'x', 5);
    v.seen('a', '10.0.0.1', 'x', 8);
    expect(v.count(16)).toEqual(new Map([['a', 1]]));
  });

  it('holds a fixed-size key per client, however long its User-Agent', () => {
    const v = createViewerCounter();
    const ua = 'u'.repeat(100_000);
    v.seen('news', '10.0.0.1', ua, 1);
    v.seen('news', '10.0.0.1', `${ua}!`, 1);
    expect(v.count(2)).toEqual(new Map([['news', 2]]));
  });

  it('never holds more than its cap, dropping the least recently seen', () => {
    const v = createViewerCounter(30_000, 100);
    for (let i = 0; i < 10_000; i++) v.seen('news', `10.0.${i >> 8}.${i & 255}`, 'p', i);
    expect(v.size()).toBe(100);
    // A client of the last hundred is still there; the first one is gone.
    v.seen('news', '10.0.39.15', 'p', 10_000);
    expect(v.size()).toBe(100);
    v.seen('news', '10.0.0.0', 'p', 10_001);
    expect(v.size()).toBe(100);
    expect(v.count(10_002)).toEqual(new Map([['news', 100]]));
  });
});

describe('viewer hits', () => {
  it('counts 2xx GETs of playlists and segments, nothing else', () => {
    expect(isViewerHit('GET', '/channels/:slug/main.m3u8', 200)).toBe(true);
    expect(isViewerHit('GET', '/channels/:slug/:variant/seg/:msn', 200)).toBe(true);
    expect(isViewerHit('GET', '/channels/:slug/index.m3u8', 404)).toBe(false);
    expect(isViewerHit('GET', '/channels/:slug/main.m3u8', 503)).toBe(false);
    expect(isViewerHit('HEAD', '/channels/:slug/main.m3u8', 200)).toBe(false);
    // live.ts reports its viewer from its route while it streams.
    expect(isViewerHit('GET', '/channels/:slug/live.ts', 200)).toBe(false);
    expect(isViewerHit('GET', '/media/:id/proxy/index.m3u8', 200)).toBe(false);
    expect(isViewerHit('GET', undefined, 404)).toBe(false);
  });
});

describe('outside stream probe', () => {
  it('reports codec, size, frame rate and audio from ffprobe JSON', () => {
    expect(
      readStreamProbe({
        format: { format_name: 'hls' },
        streams: [
          { codec_type: 'data', codec_name: 'timed_id3' },
          {
            codec_type: 'video',
            codec_name: 'h264',
            width: 1280,
            height: 720,
            avg_frame_rate: '0/0',
            r_frame_rate: '30000/1001',
          },
          { codec_type: 'audio', codec_name: 'aac', channels: 2, sample_rate: '48000' },
        ],
      }),
    ).toEqual({
      format: 'hls',
      video: { codec: 'h264', width: 1280, height: 720, fps: 29.97 },
      audio: { codec: 'aac', channels: 2, sampleRate: 48000 },
    });
    expect(readStreamProbe({ streams: [] })).toBeNull();
  });

  it('builds the proxy URL of a channel on our own server', () => {
    expect(proxyPlaylistUrl('http://0.0.0.0:8740/', 'news', null)).toBe(
      'http://127.0.0.1:8740/channels/news/proxy.m3u8',
    );
    expect(proxyPlaylistUrl('http://127.0.0.1:9', 'a b', 'k&y')).toBe(
      'http://127.0.0.1:9/channels/a%20b/proxy.m3u8?key=k%26y',
    );
  });
});
