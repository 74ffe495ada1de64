import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSecondTicker } from '../../src-main/core/clock/ticker';

describe('second ticker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2026, 2, 29, 0, 59, 58, 300));
  });
  afterEach(() => vi.useRealTimers());

  it('ticks on whole seconds of the clock, not every 1000 ms from start', () => {
    const ticks: number[] = [];
    const stop = startSecondTicker({ now: () => Date.now() }, (now) => ticks.push(now));
    vi.advanceTimersByTime(699);
    expect(ticks).toEqual([]);
    vi.advanceTimersByTime(1);
    vi.advanceTimersByTime(3000);
    expect(ticks.map((t) => t % 1000)).toEqual([0, 0, 0, 0]);
    expect(ticks[0]).toBe(Date.UTC(2026, 2, 29, 0, 59, 59));
    stop();
    vi.advanceTimersByTime(5000);
    expect(ticks).toHaveLength(4);
  });
});
