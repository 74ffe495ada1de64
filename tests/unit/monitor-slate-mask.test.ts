// Planned slate in front of the set/clear delays: black, freeze and silence while a channel's
// timeline plays slate are not alarms; a condition running on into a programme counts from the
// programme's start; the channel's stream says when it aired through its first timestamp.
import { describe, expect, it } from 'vitest';
import { ConditionDebouncer } from '../../src-main/core/monitor/condition-debouncer';
import { parseDetectLine } from '../../src-main/core/monitor/detect-lines';
import { SlateMaskedCondition, type StreamPlan } from '../../src-main/core/monitor/slate-mask';

const delays = { setDelayMs: 2000, clearDelayMs: 1000 };
const END = 1e15;
/** Programme until 10 s, slate [10 s, 20 s), programme after (stream ms). */
const plan: StreamPlan = (t) =>
  t < 10_000
    ? { slate: false, until: 10_000 }
    : t < 20_000
      ? { slate: true, until: 20_000 }
      : { slate: false, until: END };
const masked = (p: StreamPlan = plan) =>
  new SlateMaskedCondition(new ConditionDebouncer(delays), p);

describe('SlateMaskedCondition', () => {
  it('raises nothing for a condition inside planned slate', () => {
    const c = masked();
    c.advance(10_500);
    expect(c.start(11_000)).toEqual([]);
    expect(c.advance(19_000)).toEqual([]);
    expect(c.end(19_500)).toEqual([]);
    expect(c.advance(40_000)).toEqual([]);
    expect(c.raised).toBe(false);
  });

  it('counts the set delay from the programme start when the condition runs on into it', () => {
    const c = masked();
    c.advance(11_000);
    c.start(12_000);
    expect(c.advance(21_999)).toEqual([]);
    expect(c.present).toBe(true);
    expect(c.advance(22_500)).toEqual([{ type: 'raise', atMs: 22_000 }]);
  });

  it('clears an alarm up when slate begins, after the clear delay, and keeps it down', () => {
    const c = masked();
    c.start(5000);
    expect(c.advance(7000)).toEqual([{ type: 'raise', atMs: 7000 }]);
    expect(c.advance(10_999)).toEqual([]);
    expect(c.advance(11_000)).toEqual([{ type: 'clear', atMs: 11_000 }]);
    expect(c.advance(19_999)).toEqual([]);
    expect(c.raised).toBe(false);
  });

  it('forgets a condition still pending when slate begins', () => {
    const c = masked();
    c.start(9000);
    expect(c.advance(15_000)).toEqual([]);
    // Still there when the programme comes back: a fresh count, not one from 9 s.
    expect(c.advance(21_999)).toEqual([]);
    expect(c.advance(22_000)).toEqual([{ type: 'raise', atMs: 22_000 }]);
  });

  it('judges a start reported late against the plan where it happened', () => {
    // Silence is reported once it has lasted the minimum: the walk is already in the slate.
    const short = masked();
    short.advance(11_000);
    expect(short.start(9000)).toEqual([]);
    expect(short.advance(25_000)).toEqual([{ type: 'raise', atMs: 22_000 }]);
    const long = masked();
    long.advance(11_000);
    expect(long.start(7000)).toEqual([
      { type: 'raise', atMs: 9000 },
      { type: 'clear', atMs: 11_000 },
    ]);
    // Reported after the programme came back: counted from its start.
    const after = masked();
    after.advance(20_500);
    expect(after.start(15_000)).toEqual([]);
    expect(after.advance(22_000)).toEqual([{ type: 'raise', atMs: 22_000 }]);
  });

  it('judges as usual where the plan is not known', () => {
    const c = masked(() => null);
    c.start(11_000);
    expect(c.advance(13_000)).toEqual([{ type: 'raise', atMs: 13_000 }]);
    c.end(15_000);
    expect(c.advance(16_000)).toEqual([{ type: 'clear', atMs: 16_000 }]);
  });

  it('walks a plan of many short stretches (segments) as one', () => {
    // 2 s segments: programme ones, then slate ones from 10 s to 20 s.
    const segments: StreamPlan = (t) => {
      const until = (Math.floor(t / 2000) + 1) * 2000;
      return { slate: t >= 10_000 && t < 20_000, until };
    };
    const c = masked(segments);
    c.start(1000);
    expect(c.advance(5000)).toEqual([{ type: 'raise', atMs: 3000 }]);
    expect(c.advance(30_000)).toEqual([
      { type: 'clear', atMs: 11_000 },
      { type: 'raise', atMs: 22_000 },
    ]);
  });
});

describe('the stream origin', () => {
  it("reads the input's first timestamp from ffmpeg's banner", () => {
    expect(parseDetectLine('  Duration: N/A, start: 65810429.688999, bitrate: N/A')).toEqual({
      type: 'origin',
      ptsMs: 65810429688.999,
    });
    expect(parseDetectLine('  Duration: 00:00:06.00, start: 1.400000, bitrate: 0 kb/s')).toEqual({
      type: 'origin',
      ptsMs: 1400,
    });
  });

  it('notices when the reader jumped ahead in a live playlist', () => {
    expect(
      parseDetectLine('[hls @ 0x55] skipping 3 segments ahead, expired from playlists'),
    ).toEqual({ type: 'skipped' });
  });
});
