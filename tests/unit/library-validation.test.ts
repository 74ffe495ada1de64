import { describe, expect, it } from 'vitest';
import { mediaSegments } from '../../src-main/core/http/media-routes';
import { parseRange } from '../../src-main/core/http/send-file';
import { safeUploadFileName } from '../../src-main/core/http/upload-routes';
import { isIgnoredFileName } from '../../src-main/core/library/import-paths';
import {
  assetNameFromFile,
  cleanName,
  isStorableName,
  splitLibraryPath,
} from '../../src-main/core/library/names';
import { describeUsage } from '../../src-main/core/library/usage-message';

describe('library names', () => {
  it('drops control characters and keeps quotes, spaces and every script', () => {
    expect(cleanName("  “Evening”\tNews\u0000 – Ειδήσεις 東京 'x'\n")).toBe(
      "“Evening”News – Ειδήσεις 東京 'x'",
    );
    expect(cleanName('a'.repeat(300))).toHaveLength(255);
    expect(isStorableName('a/b')).toBe(false);
    expect(isStorableName('..')).toBe(false);
    expect(isStorableName('.. ok')).toBe(true);
  });

  it('derives asset names from file names', () => {
    expect(assetNameFromFile('/x/Evening News.final.mp4')).toBe('Evening News.final');
    expect(assetNameFromFile('/x/.mp4')).toBe('.mp4');
    expect(assetNameFromFile('/x/\u0001.mp4')).toBe('.mp4');
    expect(splitLibraryPath('/News//Today/ ')).toEqual(['News', 'Today']);
  });

  it('ignores hidden and in-progress files', () => {
    expect(
      ['.DS_Store', '._clip.mov', 'clip.mp4.part', 'x.crdownload', '~$doc', 'Thumbs.db'].every(
        isIgnoredFileName,
      ),
    ).toBe(true);
    expect(isIgnoredFileName('clip.mp4')).toBe(false);
  });
});

describe('usage message', () => {
  const at = Date.UTC(2026, 10, 21, 18, 0);
  it('names the first use and counts the rest', () => {
    const use = (assetId: number, i: number) => ({
      assetId,
      channelId: 1,
      channelName: 'Channel 1',
      itemId: i,
      startsAt: at + i,
    });
    expect(describeUsage(new Map([[1, 'Evening News']]), [use(1, 0)])).toBe(
      '“Evening News” is scheduled on Channel 1 at 2026-11-21 18:00 UTC. Remove it from the schedule first.',
    );
    expect(
      describeUsage(
        new Map([
          [1, 'A'],
          [2, 'B'],
        ]),
        [use(1, 0), use(2, 1), use(2, 2)],
      ),
    ).toBe(
      '“A” is scheduled on Channel 1 at 2026-11-21 18:00 UTC (and 2 more). 2 of these assets are on the schedule. Remove them from the schedule first.',
    );
  });
});

describe('media paths and ranges', () => {
  it('accepts only plain segments below a numeric asset id', () => {
    expect(mediaSegments('/media/12/main/index.m3u8?token=x')).toEqual({
      assetId: '12',
      segments: ['main', 'index.m3u8'],
    });
    expect(mediaSegments('/media/12/%E6%9D%B1.jpg')?.segments).toEqual(['東.jpg']);
    for (const bad of [
      '/media/12/../1/a.ts',
      '/media/12/%2e%2e/a.ts',
      '/media/12/a%2Fb.ts',
      '/media/12/a%5Cb.ts',
      '/media/12/.partial-1/a.ts',
      '/media/012/a.ts',
      '/media/1.partial-x/a.ts',
      '/media/12/%E0%A4%A.ts',
      '/media/12',
    ]) {
      expect(mediaSegments(bad)).toBeNull();
    }
  });

  it('parses single byte ranges', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-5', 100)).toEqual({ start: 95, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
  });

  it('reduces upload names to a safe file name', () => {
    expect(safeUploadFileName('../../etc/passwd')).toBe('passwd');
    expect(safeUploadFileName('C:\\Users\\x\\clip.mp4')).toBe('clip.mp4');
    expect(safeUploadFileName('..')).toBe('upload');
    expect(safeUploadFileName('...hidden.mov')).toBe('hidden.mov');
    expect(safeUploadFileName(`${'東'.repeat(100)}.mp4`)).toMatch(/^[0-9a-f-]{36}\.mp4$/);
  });
});
