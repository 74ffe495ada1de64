import { describe, expect, it } from 'vitest';
import { airTimeAt, positionForAirTime } from '../../src-renderer/features/review/air-time';

// Two runs of 2 s fragments with an outage of 10 s between them, as a recording playlist has.
const T0 = Date.UTC(2026, 11, 6, 10, 0, 0);
const fragments = [
  { start: 0, duration: 2, programDateTime: T0 },
  { start: 2, duration: 2, programDateTime: T0 + 2000 },
  { start: 4, duration: 2, programDateTime: T0 + 14_000 },
  { start: 6, duration: 2, programDateTime: T0 + 16_000 },
];

describe('review air time', () => {
  it('maps a media position to the air time of that frame, across a gap', () => {
    expect(airTimeAt(fragments, 0)).toBe(T0);
    expect(airTimeAt(fragments, 3.04)).toBe(T0 + 3040);
    expect(airTimeAt(fragments, 4.5)).toBe(T0 + 14_500);
    expect(airTimeAt(fragments, 8)).toBe(T0 + 18_000);
    expect(airTimeAt(fragments, 8.5)).toBeNull();
  });

  it('maps air time back to the media, a gap to what follows it', () => {
    expect(positionForAirTime(fragments, T0 + 3040)).toEqual({ kind: 'inside', position: 3.04 });
    expect(positionForAirTime(fragments, T0 + 9000)).toEqual({ kind: 'gap', position: 4 });
    expect(positionForAirTime(fragments, T0 + 17_000)).toEqual({ kind: 'inside', position: 7 });
    expect(positionForAirTime(fragments, T0 - 1)).toEqual({ kind: 'before', position: 0 });
    expect(positionForAirTime(fragments, T0 + 60_000)).toEqual({ kind: 'after', position: 8 });
    expect(positionForAirTime([], T0)).toBeNull();
  });

  it('round-trips every position inside the fragments', () => {
    for (let p = 0; p < 8; p += 0.04) {
      const at = airTimeAt(fragments, p)!;
      const back = positionForAirTime(fragments, at);
      expect(back?.kind).toBe('inside');
      expect(back!.position).toBeCloseTo(p, 6);
    }
  });
});
