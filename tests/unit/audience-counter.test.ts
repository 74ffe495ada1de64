import { describe, expect, it } from 'vitest';
import { createAudienceCounter, MINUTE_MS } from '../../src-main/core/audience/audience-counter';

const T = 1_800_000_000_000 - (1_800_000_000_000 % MINUTE_MS);

describe('audience counter', () => {
  it('counts a viewer once per minute and its segments as watch time', () => {
    const counter = createAudienceCounter({ idleMs: 30_000 });
    for (let s = 0; s < 60; s += 2) counter.hit('news', 'a', 2000, T + s * 1000);
    counter.hit('news', 'b', 0, T + 40_000);
    counter.hit('news', 'b', 2000, T + 61_000);
    const { minutes, sessions } = counter.drain(T + 62_000);
    expect(minutes).toEqual([{ slug: 'news', minute: T / MINUTE_MS, viewers: 2, watchMs: 60_000 }]);
    expect(sessions).toEqual([]);
    const all = counter.drain(T + 62_000, true);
    expect(all.minutes).toEqual([
      { slug: 'news', minute: T / MINUTE_MS + 1, viewers: 1, watchMs: 2000 },
    ]);
    expect(all.sessions.map((s) => [s.startedAt - T, s.lastAt - T, s.watchMs])).toEqual([
      [0, 58_000, 60_000],
      [40_000, 61_000, 2000],
    ]);
  });

  it('ends a session after the idle time; coming back in the same minute is one viewer', () => {
    const counter = createAudienceCounter({ idleMs: 10_000 });
    counter.hit('news', 'a', 2000, T);
    counter.hit('news', 'a', 2000, T + 40_000);
    const { minutes, sessions } = counter.drain(T + 60_000);
    expect(minutes[0]?.viewers).toBe(1);
    expect(sessions.map((s) => s.startedAt - T)).toEqual([0, 40_000]);
    expect(counter.size()).toBe(0);
  });

  it('holds at most maxViewers sessions, closing the least recently active first', () => {
    const counter = createAudienceCounter({ maxViewers: 100, idleMs: 120_000 });
    for (let i = 0; i < 10_000; i += 1) counter.hit('news', `flood ${i} ${'x'.repeat(500)}`, 0, T);
    expect(counter.size()).toBe(100);
    counter.hit('news', 'kept', 0, T + MINUTE_MS);
    counter.hit('news', 'flood 9999 ' + 'x'.repeat(500), 0, T + MINUTE_MS);
    counter.hit('news', 'new', 0, T + MINUTE_MS);
    const { sessions } = counter.drain(T + MINUTE_MS);
    // 9,900 flooders closed early, then the oldest of the first minute's survivors.
    expect(sessions).toHaveLength(9_902);
    expect(counter.size()).toBe(100);
  });
});
