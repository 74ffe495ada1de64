// What the desk reports to the statistics feed: the state of the desk (which sources are open,
// which play at what speed) turned into events by comparing it with the state before. Pure;
// the reporter hook batches the events and sends them.
import type { DeskEvent } from '../../../src-shared/stats/desk-events';

type Unattributed<E> = E extends unknown ? Omit<E, 'personId' | 'deskSession'> : never;
/** A desk event as the desk sends it: the server adds who and which desk session. */
export type ReportedDeskEvent = Unattributed<
  Exclude<DeskEvent, { type: 'noteCreated' | 'screenshot' | 'clip' }>
>;

export type DeskActivity = {
  /** Sources on visible tiles. */
  open: ReadonlySet<number>;
  /** Sources playing, with their speed. */
  playing: ReadonlyMap<number, number>;
};

export const idleActivity: DeskActivity = { open: new Set(), playing: new Map() };

/** Events that take the desk from `before` to `after`, stamped `at`. */
export function activityEvents(
  before: DeskActivity,
  after: DeskActivity,
  at: number,
): ReportedDeskEvent[] {
  const events: ReportedDeskEvent[] = [];
  for (const [sourceId] of before.playing)
    if (!after.playing.has(sourceId)) events.push({ type: 'playbackStop', at, sourceId });
  for (const sourceId of before.open)
    if (!after.open.has(sourceId)) events.push({ type: 'sourceClose', at, sourceId });
  for (const sourceId of after.open)
    if (!before.open.has(sourceId)) events.push({ type: 'sourceOpen', at, sourceId });
  for (const [sourceId, speed] of after.playing)
    if (before.playing.get(sourceId) !== speed)
      events.push({ type: 'playbackStart', at, sourceId, speed });
  return events;
}
