import { describe, expect, it } from 'vitest';
import { activityEvents, idleActivity } from '../../src-renderer/features/review/desk-events';

const at = 1_000;
const activity = (open: number[], playing: [number, number][]) => ({
  open: new Set(open),
  playing: new Map(playing),
});

describe('review desk events', () => {
  it('opens sources and starts playback with its speed', () => {
    expect(activityEvents(idleActivity, activity([1, 2], [[1, 8]]), at)).toEqual([
      { type: 'sourceOpen', at, sourceId: 1 },
      { type: 'sourceOpen', at, sourceId: 2 },
      { type: 'playbackStart', at, sourceId: 1, speed: 8 },
    ]);
  });

  it('reports a speed change as a new start, and nothing when nothing changed', () => {
    const before = activity([1], [[1, 2]]);
    expect(activityEvents(before, activity([1], [[1, 16]]), at)).toEqual([
      { type: 'playbackStart', at, sourceId: 1, speed: 16 },
    ]);
    expect(activityEvents(before, activity([1], [[1, 2]]), at)).toEqual([]);
  });

  it('stops playback before closing the source it played', () => {
    expect(activityEvents(activity([1, 2], [[2, 4]]), activity([1], []), at)).toEqual([
      { type: 'playbackStop', at, sourceId: 2 },
      { type: 'sourceClose', at, sourceId: 2 },
    ]);
  });
});
