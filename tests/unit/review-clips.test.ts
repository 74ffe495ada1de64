// The pure parts of clips: where a range crosses a hole in the recording, the delivered file's
// name, and how the desk's jobs panel groups the clips of one batch.
import { describe, expect, it } from 'vitest';
import type { RecordingGap, ReviewJob } from '../../src-shared/contract';
import { holeIn } from '../../src-main/core/recorder/clip-gaps';
import { clipFileName } from '../../src-main/core/recorder/folder-delivery';
import { groupJobs } from '../../src-renderer/features/review/JobsPanel';

const gap = (fromAt: number, toAt: number | null): RecordingGap => ({
  id: 1,
  sourceId: 1,
  fromAt,
  toAt,
  reason: 'fetch_error',
  detail: '',
});

describe('holeIn', () => {
  const spans = [
    { fromAt: 0, toAt: 10_000 },
    { fromAt: 14_000, toAt: 30_000 },
  ];
  it('finds a gap on record inside the range, and media missing between spans', () => {
    expect(holeIn(spans, [gap(10_000, 14_000)], 5000, 20_000, 40_000)).toMatchObject({
      fromAt: 10_000,
      toAt: 14_000,
      reason: 'fetch error',
    });
    expect(holeIn(spans, [], 5000, 20_000, 40_000)).toMatchObject({
      fromAt: 10_000,
      toAt: 14_000,
      reason: 'not recorded',
    });
  });
  it('lets a range on either side through, and segment-boundary jitter too', () => {
    expect(holeIn(spans, [gap(10_000, 14_000)], 1000, 9000, 40_000)).toBeNull();
    expect(holeIn(spans, [gap(10_000, 14_000)], 15_000, 29_000, 40_000)).toBeNull();
    expect(
      holeIn(
        [
          { fromAt: 0, toAt: 10_000 },
          { fromAt: 10_200, toAt: 20_000 },
        ],
        [],
        5000,
        15_000,
        40_000,
      ),
    ).toBeNull();
  });
  it('counts an open outage up to now, and a range starting before the recording', () => {
    expect(
      holeIn([{ fromAt: 0, toAt: 10_000 }], [gap(10_000, null)], 5000, 20_000, 18_000),
    ).toMatchObject({ fromAt: 10_000, toAt: 18_000 });
    expect(holeIn([{ fromAt: 5000, toAt: 10_000 }], [], 0, 8000, 20_000)).toMatchObject({
      fromAt: 0,
      toAt: 5000,
    });
  });
});

describe('clipFileName', () => {
  it('keeps plain characters only and cannot name a path', () => {
    const name = clipFileName('../../etc/Ünïcode news', Date.UTC(2026, 11, 6, 15, 1, 2, 345), 12);
    expect(name).toBe('etc-Unicode-news_20261206T150102.345Z_clip12.mp4');
    expect(clipFileName('...', 0, 1)).toBe('source_19700101T000000.000Z_clip1.mp4');
  });
});

describe('groupJobs', () => {
  const job = (id: number, batchId: number | null, sourceId = 1): ReviewJob => ({
    id,
    kind: 'clip',
    sourceId,
    personId: null,
    fromAt: 0,
    toAt: 1000,
    format: 'mp4',
    state: 'done',
    progress: 1,
    bytes: 1,
    error: null,
    createdAt: 0,
    finishedAt: 0,
    batchId,
  });
  it('puts the clips of a batch together at its first place, by source', () => {
    const groups = groupJobs([job(5, 2, 3), job(4, null), job(3, 2, 1), job(2, 1)]);
    expect(groups.map((g) => [g.batchId, g.jobs.map((j) => j.id)])).toEqual([
      [2, [3, 5]],
      [null, [4]],
      [1, [2]],
    ]);
  });
});
