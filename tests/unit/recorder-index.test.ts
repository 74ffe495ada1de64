import { describe, expect, it } from 'vitest';
import { parsePlaylist, type MediaPlaylist } from '../../src-main/core/recorder/hls-parse';
import { planSegments } from '../../src-main/core/recorder/segment-plan';
import {
  buildRecordingPlaylist,
  parseInstant,
  type IndexedSegment,
} from '../../src-main/core/recorder/playlist-builder';
import { planFreeSpace, planRetention } from '../../src-main/core/recorder/retention-plan';

const BASE = 'http://source.example/live/main.m3u8';
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

function media(first: number, count: number, options: { pdt?: boolean; durationS?: number } = {}) {
  const d = options.durationS ?? 2;
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${d}`,
    `#EXT-X-MEDIA-SEQUENCE:${first}`,
  ];
  for (let i = 0; i < count; i++) {
    if (options.pdt)
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(T0 + (first + i) * d * 1000).toISOString()}`);
    lines.push(`#EXTINF:${d}.000,`, `seg${first + i}.ts`);
  }
  return parsePlaylist(lines.join('\n'), BASE) as MediaPlaylist;
}

describe('reading a source playlist', () => {
  it('follows a master to its variants and resolves segment URIs', () => {
    const master = parsePlaylist(
      '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nlow/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2000000\nhigh/index.m3u8\n',
      BASE,
    );
    expect(master).toEqual({
      kind: 'master',
      variants: [
        'http://source.example/live/low/index.m3u8',
        'http://source.example/live/high/index.m3u8',
      ],
    });
    const playlist = media(10, 2, { pdt: true });
    expect(playlist.segments.map((s) => [s.mediaSequence, s.uri, s.durationMs])).toEqual([
      [10, 'http://source.example/live/seg10.ts', 2000],
      [11, 'http://source.example/live/seg11.ts', 2000],
    ]);
    expect(playlist.segments[1]!.programDateTime).toBe(T0 + 22_000);
  });

  it('carries a date-time forward by durations but not across a discontinuity', () => {
    const p = parsePlaylist(
      `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PROGRAM-DATE-TIME:${new Date(T0).toISOString()}\n#EXTINF:2,\na.ts\n#EXTINF:1.5,\nb.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2,\nc.ts\n`,
      BASE,
    ) as MediaPlaylist;
    expect(p.segments.map((s) => s.programDateTime)).toEqual([T0, T0 + 2000, null]);
    expect(p.segments.map((s) => s.discontinuity)).toEqual([false, false, true]);
  });

  it('refuses what is not a playlist', () => {
    expect(() => parsePlaylist('<html>', BASE)).toThrow(/EXTM3U/);
  });
});

describe('the gap logic', () => {
  const plan = (input: Partial<Parameters<typeof planSegments>[0]> & { playlist: MediaPlaylist }) =>
    planSegments({
      cursor: null,
      now: T0 + 100_000,
      firstSinceStart: false,
      outage: null,
      ...input,
    });

  it('takes the whole window on a first start, timed by arrival without date-times', () => {
    const result = plan({ playlist: media(5, 3) });
    expect(result.gap).toBeNull();
    expect(result.segments.map((s) => [s.mediaSequence, s.startAt])).toEqual([
      [5, T0 + 94_000],
      [6, T0 + 96_000],
      [7, T0 + 98_000],
    ]);
  });

  it('continues seamlessly from the cursor: no gap, air time chained', () => {
    const result = plan({
      cursor: { mediaSequence: 6, endAt: T0 + 50_000 },
      playlist: media(5, 4),
    });
    expect(result.gap).toBeNull();
    expect(result.segments.map((s) => [s.mediaSequence, s.startAt])).toEqual([
      [7, T0 + 50_000],
      [8, T0 + 52_000],
    ]);
  });

  it('prefers the source program date-time', () => {
    const result = plan({
      cursor: { mediaSequence: 6, endAt: T0 + 14_000 },
      playlist: media(5, 3, { pdt: true }),
    });
    expect(result.segments[0]).toMatchObject({
      mediaSequence: 7,
      startAt: T0 + 14_000,
      timedBySource: true,
    });
  });

  it('names a sequence jump, a restart and an ongoing outage as gaps with their span', () => {
    const cursor = { mediaSequence: 6, endAt: T0 + 14_000 };
    const playlist = media(10, 2, { pdt: true });
    expect(plan({ cursor, playlist }).gap).toEqual({
      reason: 'sequence_jump',
      fromAt: T0 + 14_000,
      toAt: T0 + 20_000,
      detail: '3 segment(s) missed',
    });
    expect(plan({ cursor, playlist, firstSinceStart: true }).gap?.reason).toBe('restart');
    expect(plan({ cursor, playlist, outage: 'fetch_error' }).gap?.reason).toBe('fetch_error');
  });

  it('sees nothing new when the playlist has not grown', () => {
    expect(plan({ cursor: { mediaSequence: 7, endAt: 0 }, playlist: media(5, 3) })).toEqual({
      segments: [],
      gap: null,
    });
  });

  it('treats a sequence that starts again as a source reset', () => {
    const result = plan({
      cursor: { mediaSequence: 900, endAt: T0 + 1000 },
      playlist: media(0, 3),
    });
    expect(result.segments.map((s) => s.mediaSequence)).toEqual([2]);
    expect(result.gap?.reason).toBe('source_reset');
  });
});

describe('recording playlists', () => {
  const seg = (
    id: number,
    msn: number,
    startAt: number,
    durationMs = 2000,
    discontinuity = false,
  ): IndexedSegment => ({
    id,
    mediaSequence: msn,
    startAt,
    durationMs,
    discontinuity,
  });
  const uri = (s: IndexedSegment) => `seg/${s.id}`;

  it('builds a VOD window with one date-time per run and a discontinuity at each gap', () => {
    const text = buildRecordingPlaylist(
      [seg(1, 10, T0), seg(2, 11, T0 + 2000), seg(3, 15, T0 + 10_000, 1960)],
      { kind: 'vod', fromAt: T0 + 500, uri },
    );
    expect(text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-TARGETDURATION:2',
        '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXT-X-DISCONTINUITY-SEQUENCE:0',
        '#EXT-X-PLAYLIST-TYPE:VOD',
        '#EXT-X-START:TIME-OFFSET=0.500,PRECISE=YES',
        '#EXT-X-PROGRAM-DATE-TIME:2030-01-01T12:00:00.000Z',
        '#EXTINF:2.000,',
        'seg/1',
        '#EXTINF:2.000,',
        'seg/2',
        '#EXT-X-DISCONTINUITY',
        '#EXT-X-PROGRAM-DATE-TIME:2030-01-01T12:00:10.000Z',
        '#EXTINF:1.960,',
        'seg/3',
        '#EXT-X-ENDLIST',
        '',
      ].join('\n'),
    );
  });

  it('builds an EVENT playlist without an end, marks source discontinuities, rounds target up', () => {
    const text = buildRecordingPlaylist([seg(1, 1, T0, 2500), seg(2, 2, T0 + 2500, 2000, true)], {
      kind: 'event',
      fromAt: T0,
      targetDurationMs: 2000,
      uri,
    });
    expect(text).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(text).toContain('#EXT-X-TARGETDURATION:3');
    expect(text).not.toContain('ENDLIST');
    expect(text).not.toContain('EXT-X-START');
    expect(text.match(/DISCONTINUITY\n/g)).toHaveLength(1);
    expect(text.match(/PROGRAM-DATE-TIME/g)).toHaveLength(2);
  });

  it('repeats the date-time where air time drifts from the durations', () => {
    const text = buildRecordingPlaylist([seg(1, 1, T0), seg(2, 2, T0 + 2040)], {
      kind: 'vod',
      fromAt: T0,
      uri,
    });
    expect(text.match(/PROGRAM-DATE-TIME/g)).toHaveLength(2);
    expect(text).not.toContain('#EXT-X-DISCONTINUITY\n');
  });

  it('reads instants as ms or ISO 8601, nothing else', () => {
    expect(parseInstant(String(T0))).toBe(T0);
    expect(parseInstant('2030-01-01T12:00:00Z')).toBe(T0);
    expect(parseInstant('yesterday')).toBeNull();
    expect(parseInstant(undefined)).toBeNull();
    expect(parseInstant('-5')).toBeNull();
  });
});

describe('retention', () => {
  const c = (id: number, endAt: number, bytes = 100) => ({ id, endAt, bytes, startAt: endAt - 10 });
  it('deletes what expired, then the oldest until under the cap', () => {
    const candidates = [c(1, 10), c(2, 20), c(3, 30), c(4, 40)];
    expect(
      planRetention(candidates, { expiresBefore: 15, totalBytes: 400, capBytes: null }).map(
        (x) => x.id,
      ),
    ).toEqual([1]);
    expect(
      planRetention(candidates, { expiresBefore: 0, totalBytes: 400, capBytes: 250 }).map(
        (x) => x.id,
      ),
    ).toEqual([1, 2]);
    expect(
      planRetention(candidates, { expiresBefore: 0, totalBytes: 400, capBytes: null }),
    ).toEqual([]);
  });
  it('frees space from the oldest air time across sources', () => {
    expect(planFreeSpace([[c(1, 10), c(2, 30)], [c(3, 20)]], 150)).toEqual([1, 3]);
  });
});
