import type { AudienceMinute, Response } from '../../../src-shared/contract';

export type AudienceSeriesData = Response<'audienceSeries'> & {
  /** Minutes before this are in the answer already; `audienceMinutes` events add the later ones. */
  coveredTo: number;
  /** Steps on the chart (grows as minutes arrive). */
  steps: number;
};

const MINUTE_MS = 60_000;

/**
 * Adds rolled-up minutes to a series in place of a refetch. The series was asked up to the
 * start of the minute it was read in, so each later minute arrives exactly once as an event
 * (the core announces a minute when it writes it); earlier ones are skipped. Steps past the end
 * are appended, so an open chart keeps growing with the clock.
 */
export function addAudienceMinutes(
  data: AudienceSeriesData,
  minutes: readonly AudienceMinute[],
): AudienceSeriesData {
  const step = data.stepMinutes * MINUTE_MS;
  const fresh = minutes.filter((m) => m.at >= data.coveredTo && m.at >= data.from);
  if (fresh.length === 0) return data;
  const lastIndex = Math.max(...fresh.map((m) => Math.floor((m.at - data.from) / step)));
  const length = Math.max(lastIndex + 1, data.steps);
  const grow = (values: readonly number[]) =>
    values.length >= length
      ? [...values]
      : [...values, ...new Array<number>(length - values.length).fill(0)];
  const channels = new Map(
    data.channels.map((c) => [
      c.channelId,
      {
        channelId: c.channelId,
        at: Array.from({ length }, (_, i) => data.from + i * step),
        peak: grow(c.peak),
        average: grow(c.average),
        watchMs: grow(c.watchMs),
      },
    ]),
  );
  for (const m of fresh) {
    let c = channels.get(m.channelId);
    if (!c) {
      c = {
        channelId: m.channelId,
        at: Array.from({ length }, (_, i) => data.from + i * step),
        peak: new Array<number>(length).fill(0),
        average: new Array<number>(length).fill(0),
        watchMs: new Array<number>(length).fill(0),
      };
      channels.set(m.channelId, c);
    }
    const i = Math.floor((m.at - data.from) / step);
    c.peak[i] = Math.max(c.peak[i] ?? 0, m.viewers);
    c.watchMs[i] = (c.watchMs[i] ?? 0) + m.watchMs;
    c.average[i] = (c.watchMs[i] ?? 0) / step;
  }
  return {
    ...data,
    steps: length,
    channels: [...channels.values()].sort((a, b) => a.channelId - b.channelId),
  };
}
