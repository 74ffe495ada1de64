import { describe, expect, it } from 'vitest';
import { closedSegments, playlistSegments } from '../../src-main/core/ingest/segment-verifier';

describe('closedSegments', () => {
  it('lists every segment file but the newest, in segment order', () => {
    expect(closedSegments(['seg_00002.ts', 'index.m3u8', 'seg_00000.ts', 'seg_00001.ts'])).toEqual([
      'seg_00000.ts',
      'seg_00001.ts',
    ]);
  });

  it('orders by number, not by name, past the padding', () => {
    expect(closedSegments(['seg_100000.ts', 'seg_99999.ts', 'seg_99998.ts'])).toEqual([
      'seg_99998.ts',
      'seg_99999.ts',
    ]);
  });

  it('has nothing closed while the first segment is being written', () => {
    expect(closedSegments(['seg_00000.ts'])).toEqual([]);
    expect(closedSegments([])).toEqual([]);
    expect(closedSegments(['index.m3u8', 'notes.txt'])).toEqual([]);
  });
});

describe('playlistSegments', () => {
  it('reads segment names in playlist order, skipping tags', () => {
    const playlist = [
      '#EXTM3U',
      '#EXT-X-TARGETDURATION:2',
      '#EXTINF:2.000000,',
      'seg_00000.ts',
      '#EXTINF:1.200000,',
      'seg_00001.ts',
      '#EXT-X-ENDLIST',
      '',
    ].join('\r\n');
    expect(playlistSegments(playlist)).toEqual(['seg_00000.ts', 'seg_00001.ts']);
  });
});
