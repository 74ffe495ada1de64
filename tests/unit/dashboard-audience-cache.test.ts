import { describe, expect, it } from 'vitest';
import {
  addAudienceMinutes,
  type AudienceSeriesData,
} from '../../src-renderer/features/dashboard/audience-cache';

const T = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);

const series = (): AudienceSeriesData => ({
  from: T,
  stepMinutes: 1,
  coveredTo: T + 2 * 60_000,
  steps: 2,
  channels: [
    {
      channelId: 1,
      at: [T, T + 60_000],
      peak: [3, 4],
      average: [1, 2],
      watchMs: [60_000, 120_000],
    },
  ],
});

describe('audience chart cache', () => {
  it('adds minutes after what was read, once, growing the chart with the clock', () => {
    const next = addAudienceMinutes(series(), [
      // Already in the answer: skipped.
      { channelId: 1, at: T + 60_000, viewers: 9, watchMs: 9 },
      { channelId: 1, at: T + 2 * 60_000, viewers: 5, watchMs: 150_000 },
      { channelId: 2, at: T + 2 * 60_000, viewers: 1, watchMs: 30_000 },
    ]);
    expect(next.steps).toBe(3);
    expect(next.channels.map((c) => [c.channelId, c.peak, c.watchMs])).toEqual([
      [1, [3, 4, 5], [60_000, 120_000, 150_000]],
      [2, [0, 0, 1], [0, 0, 30_000]],
    ]);
    expect(next.channels[0]!.average[2]).toBe(2.5);
    expect(next.channels[1]!.at).toEqual([T, T + 60_000, T + 120_000]);
  });

  it('keeps coarse steps: minutes of one step add up, the peak is the largest', () => {
    const hourly: AudienceSeriesData = {
      from: T,
      stepMinutes: 60,
      coveredTo: T,
      steps: 1,
      channels: [],
    };
    const next = addAudienceMinutes(hourly, [
      { channelId: 1, at: T, viewers: 2, watchMs: 60_000 },
      { channelId: 1, at: T + 60_000, viewers: 4, watchMs: 120_000 },
    ]);
    expect(next.channels[0]!.peak).toEqual([4]);
    expect(next.channels[0]!.watchMs).toEqual([180_000]);
    expect(next.channels[0]!.average[0]).toBeCloseTo(180_000 / 3_600_000, 12);
  });
});
