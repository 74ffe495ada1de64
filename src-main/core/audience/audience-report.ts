// Audience per programme and per step, from the stored minutes and sessions plus what is still
// open in memory. Programmes come from the as-run log (what actually aired, breaks cut out).
//
// A programme's figures over its time on air, part by part (a programme split by breaks is
// one programme with several parts):
// - watch time: each minute's watch time times the share of the minute the part covers (a
//   programme starting at 20:00:30 gets half of the 20:00 minute);
// - peak: the most distinct viewers of any minute the part touches;
// - average audience: watch time over time on air (the viewers at an average instant);
// - unique viewers: distinct viewers with a session overlapping a part (from their first hit
//   to their last);
// - share: its watch time over every channel's watch time during its parts.
import type { AudienceSeries, ProgrammeAudience } from '../../../src-shared/contract';
import { MINUTE_MS } from './audience-counter';
import type { MinuteRow, ProgrammeRow, SessionRow } from './audience-store';

type Programme = {
  channelId: number;
  itemId: number | null;
  title: string;
  parts: { from: number; to: number }[];
};

/** As-run rows of one airing (the same schedule item on the same channel) become one. */
export function groupProgrammes(rows: readonly ProgrammeRow[]): Programme[] {
  const byKey = new Map<string, Programme>();
  for (const row of rows) {
    const key = row.itemId === null ? `row:${row.id}` : `${row.channelId}:${row.itemId}`;
    let programme = byKey.get(key);
    if (!programme) {
      programme = { channelId: row.channelId, itemId: row.itemId, title: row.title, parts: [] };
      byKey.set(key, programme);
    }
    programme.parts.push({ from: row.airedAt, to: row.airedAt + row.durationMs });
  }
  return [...byKey.values()];
}

export function programmeAudience(
  programmes: readonly Programme[],
  minutes: readonly MinuteRow[],
  sessions: readonly SessionRow[],
): ProgrammeAudience[] {
  const perChannel = new Map<number, Map<number, MinuteRow>>();
  const station = new Map<number, number>();
  for (const m of minutes) {
    let channel = perChannel.get(m.channelId);
    if (!channel) perChannel.set(m.channelId, (channel = new Map()));
    const had = channel.get(m.at);
    // Stored and still-open figures of one minute (a restart inside it) add up.
    channel.set(
      m.at,
      had ? { ...had, viewers: had.viewers + m.viewers, watchMs: had.watchMs + m.watchMs } : m,
    );
    station.set(m.at, (station.get(m.at) ?? 0) + m.watchMs);
  }
  const sessionsOf = new Map<number, SessionRow[]>();
  for (const s of sessions) {
    const list = sessionsOf.get(s.channelId);
    if (list) list.push(s);
    else sessionsOf.set(s.channelId, [s]);
  }

  return programmes.map((p) => {
    const channel = perChannel.get(p.channelId);
    let watch = 0;
    let stationWatch = 0;
    let peak = 0;
    let duration = 0;
    for (const { from, to } of p.parts) {
      duration += to - from;
      for (let at = Math.floor(from / MINUTE_MS) * MINUTE_MS; at < to; at += MINUTE_MS) {
        const covered = (Math.min(at + MINUTE_MS, to) - Math.max(at, from)) / MINUTE_MS;
        const row = channel?.get(at);
        if (row) {
          watch += row.watchMs * covered;
          peak = Math.max(peak, row.viewers);
        }
        stationWatch += (station.get(at) ?? 0) * covered;
      }
    }
    const viewers = new Set<number>();
    for (const s of sessionsOf.get(p.channelId) ?? []) {
      if (p.parts.some((part) => s.endedAt >= part.from && s.startedAt < part.to))
        viewers.add(s.viewer);
    }
    const first = p.parts[0] ?? { from: 0, to: 0 };
    return {
      channelId: p.channelId,
      itemId: p.itemId,
      title: p.title,
      airedAt: first.from,
      endsAt: p.parts.reduce((max, part) => Math.max(max, part.to), first.to),
      durationMs: duration,
      uniqueViewers: viewers.size,
      peakViewers: peak,
      averageViewers: duration > 0 ? watch / duration : 0,
      watchMs: Math.round(watch),
      share: stationWatch > 0 ? Math.min(1, watch / stationWatch) : 0,
    };
  });
}

/** Viewers per channel in steps of `stepMinutes` from `from` (minutes before it are left out). */
export function audienceSeries(
  minutes: readonly MinuteRow[],
  from: number,
  to: number,
  stepMinutes: number,
  channelId: number | undefined,
): AudienceSeries[] {
  const step = stepMinutes * MINUTE_MS;
  const steps = Math.ceil((to - from) / step);
  const series = new Map<number, AudienceSeries & { peak: number[]; watchMs: number[] }>();
  const seriesOf = (id: number) => {
    let s = series.get(id);
    if (!s) {
      s = {
        channelId: id,
        at: Array.from({ length: steps }, (_, i) => from + i * step),
        peak: new Array<number>(steps).fill(0),
        average: [],
        watchMs: new Array<number>(steps).fill(0),
      };
      series.set(id, s);
    }
    return s;
  };
  if (channelId !== undefined) seriesOf(channelId);
  // Stored and open figures of one minute add up before the peak is taken.
  const merged = new Map<string, MinuteRow>();
  for (const m of minutes) {
    const key = `${m.channelId}:${m.at}`;
    const had = merged.get(key);
    merged.set(
      key,
      had ? { ...m, viewers: had.viewers + m.viewers, watchMs: had.watchMs + m.watchMs } : m,
    );
  }
  for (const m of merged.values()) {
    if (m.at < from || m.at >= to) continue;
    if (channelId !== undefined && m.channelId !== channelId) continue;
    const s = seriesOf(m.channelId);
    const i = Math.floor((m.at - from) / step);
    s.peak[i] = Math.max(s.peak[i] ?? 0, m.viewers);
    s.watchMs[i] = (s.watchMs[i] ?? 0) + m.watchMs;
  }
  return [...series.values()]
    .sort((a, b) => a.channelId - b.channelId)
    .map((s) => ({
      ...s,
      average: s.watchMs.map((w, i) => w / (Math.min(to, (s.at[i] ?? 0) + step) - (s.at[i] ?? 0))),
    }));
}
