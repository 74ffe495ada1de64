import { describe, expect, it } from 'vitest';
import { createViewerCounter } from '../../src-main/core/monitor/viewer-counter';
import { MONITOR_USER_AGENT } from '../../src-main/core/monitor/detector-args';
import { readStreamProbe } from '../../src-main/core/monitor/stream-probe';
import { proxyPlaylistUrl } from '../../src-main/core/monitor/monitor-feature';

describe('viewer counter', () => {
  it('counts distinct clients (address + user agent) per channel over the window', () => {
    const v = createViewerCounter(30_000);
    v.seen('/channels/news/main.m3u8', '10.0.0.1', 'hls.js', 1000);
    v.seen('/channels/news/main/seg/12', '10.0.0.1', 'hls.js', 2000);
    v.seen('/channels/news/main.m3u8', '10.0.0.1', 'VLC', 3000);
    v.seen('/channels/news/proxy.m3u8?key=abc', '10.0.0.2', undefined, 4000);
    v.seen('/channels/sport/index.m3u8', '10.0.0.3', 'hls.js', 5000);
    expect(v.count(6000)).toEqual(
      new Map([
        ['news', 3],
        ['sport', 1],
      ]),
    );
    // 30 s later only the clients seen since then remain.
    v.seen('/channels/news/main.m3u8', '10.0.0.2', undefined, 33_000);
    expect(v.count(35_500)).toEqual(new Map([['news', 1]]));
    expect(v.count(70_000)).toEqual(new Map());
  });

  it('ignores other paths and our own detectors', () => {
    const v = createViewerCounter();
    v.seen('/media/3/proxy/index.m3u8', '127.0.0.1', 'hls.js', 1);
    v.seen('/channels/', '127.0.0.1', 'hls.js', 1);
    v.seen('/channels/news', '127.0.0.1', 'hls.js', 1);
    v.seen('/channels/news/proxy.m3u8', '127.0.0.1', MONITOR_USER_AGENT, 1);
    v.seen('/api/ws', '127.0.0.1', 'hls.js', 1);
    expect(v.count(2)).toEqual(new Map());
  });

  it('drops a request whose slug is a malformed escape, and still counts the others', () => {
    const counter = createViewerCounter();
    counter.seen('/channels/%zz/main.m3u8', '10.0.0.1', 'player', 1000);
    counter.seen('/channels/one/main.m3u8', '10.0.0.1', 'player', 1000);
    expect(counter.count(2000)).toEqual(new Map([['one', 1]]));
  });

  it('decodes slugs', () => {
    const v = createViewerCounter();
    v.seen('/channels/caf%C3%A9/main.m3u8', '::1', 'x', 1);
    expect(v.count(2)).toEqual(new Map([['café', 1]]));
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
