import type { SeriesException, Shift, ShiftSeries } from '../contract/shifts';

const sameIds = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * The exception that gives one occurrence these times and fields. Only what differs from the
 * series is kept, so what still matches keeps following later changes to the series.
 */
export function occurrenceChange(
  series: Pick<ShiftSeries, 'personId' | 'channelIds' | 'sourceIds' | 'note'>,
  occurrenceStart: number,
  next: Pick<Shift, 'start' | 'end' | 'personId' | 'channelIds' | 'sourceIds' | 'note'>,
): SeriesException {
  return {
    kind: 'move',
    occurrenceStart,
    start: next.start,
    end: next.end,
    ...(next.personId !== series.personId ? { personId: next.personId } : {}),
    ...(sameIds(next.channelIds, series.channelIds) ? {} : { channelIds: next.channelIds }),
    ...(sameIds(next.sourceIds, series.sourceIds) ? {} : { sourceIds: next.sourceIds }),
    ...(next.note !== series.note ? { note: next.note } : {}),
  };
}
