// How a subscriber's streams are counted: HLS sessions while they keep fetching, live.ts
// connections while they are open; a stopped player frees its place after the idle window.
import { describe, expect, it } from 'vitest';
import { StreamSessions } from '../../src-main/core/subscribers/stream-sessions';

describe('subscriber stream sessions', () => {
  it('counts a session until it has been idle for the window', () => {
    const sessions = new StreamSessions(15_000);
    expect(sessions.touch(1, 'a', 10, 2, 0)).toBe(true);
    expect(sessions.touch(1, 'b', 10, 2, 1000)).toBe(true);
    expect(sessions.touch(1, 'c', 10, 2, 2000)).toBe(false);
    expect(sessions.hasRoom(1, 2, 2000)).toBe(false);
    // A known session keeps playing at the cap.
    expect(sessions.touch(1, 'a', 10, 2, 14_000)).toBe(true);
    expect(sessions.hasRoom(1, 2, 14_000, 'a')).toBe(true);
    // b last seen at 1000: gone after 16 000; a (seen at 14 000) still counts.
    expect(sessions.count(1, 16_001)).toBe(1);
    expect(sessions.touch(1, 'c', 10, 2, 16_001)).toBe(true);
    // Another subscriber is counted apart.
    expect(sessions.touch(2, 'a', 10, 1, 16_001)).toBe(true);
    expect(sessions.count(1, 16_001)).toBe(2);
  });

  it('holds a live.ts stream until it is released, however long it is idle', () => {
    const sessions = new StreamSessions(15_000);
    const release = sessions.hold(1, 'ts:1', 10, 1, 0);
    expect(release).not.toBeNull();
    expect(sessions.hold(1, 'ts:2', 10, 1, 60_000)).toBeNull();
    expect(sessions.touch(1, 'hls', 10, 1, 60_000)).toBe(false);
    release!();
    expect(sessions.count(1, 60_000)).toBe(0);
    expect(sessions.touch(1, 'hls', 10, 1, 60_000)).toBe(true);
  });

  it('forgets a revoked subscriber’s HLS sessions at once', () => {
    const sessions = new StreamSessions(15_000);
    sessions.touch(1, 'a', 10, 2, 0);
    const release = sessions.hold(1, 'ts', 10, 2, 0)!;
    sessions.forget(1);
    expect(sessions.count(1, 0)).toBe(1);
    release();
    expect(sessions.count(1, 0)).toBe(0);
  });
});
