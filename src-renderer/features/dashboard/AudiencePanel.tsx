import { useQuery, useQueryClient } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { useEffect, useMemo, useState } from 'react';
import type { DashboardChannel, ProgrammeAudience } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import { DataTable, EmptyState, Field, type ColumnDef } from '../../ui';
import { TimeChart, type ChartSeries } from '../../ui/TimeChart';
import { useClockStore } from '../clock/store';
import { Panel } from '../station/Panel';
import { addAudienceMinutes, type AudienceSeriesData } from './audience-cache';

const MINUTE_MS = 60_000;
const PERIODS = {
  hour: { label: 'Last hour (per minute)', ms: 3_600_000, stepMinutes: 1 },
  day: { label: 'Last day (per 15 minutes)', ms: 86_400_000, stepMinutes: 15 },
  week: { label: 'Last week (per hour)', ms: 7 * 86_400_000, stepMinutes: 60 },
} as const;
type Period = keyof typeof PERIODS;
/** Lines drawn: the channels with the most watch time (the table has every programme). */
const MAX_LINES = 8;
/** The core's time (minutes are the core's), from the clock ticks' offset to this machine's. */
const coreNow = () => Date.now() + useClockStore.getState().offsetMs;
const audienceKeys = {
  series: (period: Period) => ['dashboard', 'audience', 'series', period] as const,
  programmes: ['dashboard', 'audience', 'programmes'] as const,
};

/**
 * Viewers per channel over the last hour, day or week, and the ratings of the last day's
 * programmes. Read once when opened; `audienceMinutes` events (one a minute) extend the chart in
 * place and refresh the ratings table, so nothing polls.
 */
export function AudiencePanel({
  channels,
  timeZone,
  now,
}: {
  channels: readonly DashboardChannel[];
  timeZone: string;
  now: number;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [period, setPeriod] = useState<Period>('hour');
  const series = useQuery({
    queryKey: audienceKeys.series(period),
    queryFn: async (): Promise<AudienceSeriesData> => {
      const { ms, stepMinutes } = PERIODS[period];
      const to = Math.floor(coreNow() / MINUTE_MS) * MINUTE_MS;
      const from = to - ms;
      const answer = await api.call('audienceSeries', { from, to, stepMinutes });
      return {
        ...answer,
        coveredTo: to,
        steps: Math.ceil((to - from) / (stepMinutes * MINUTE_MS)),
      };
    },
    staleTime: Infinity,
    gcTime: 0,
  });
  const programmes = useQuery({
    queryKey: audienceKeys.programmes,
    queryFn: () => {
      const to = coreNow();
      return api.call('audienceByProgramme', { from: to - 86_400_000, to });
    },
    staleTime: Infinity,
    gcTime: 0,
  });
  useEffect(
    () =>
      api.on('audienceMinutes', ({ minutes }) => {
        for (const p of Object.keys(PERIODS) as Period[])
          queryClient.setQueryData<AudienceSeriesData>(audienceKeys.series(p), (old) =>
            old ? addAudienceMinutes(old, minutes) : old,
          );
        void queryClient.invalidateQueries({ queryKey: audienceKeys.programmes });
      }),
    [api, queryClient],
  );

  const names = useMemo(() => new Map(channels.map((c) => [c.channelId, c.name])), [channels]);
  const chart = useMemo(() => {
    const data = series.data;
    if (!data) return null;
    const step = data.stepMinutes * MINUTE_MS;
    const x = Array.from({ length: data.steps }, (_, i) => data.from + i * step);
    const total = (w: readonly number[]) => w.reduce((a, b) => a + b, 0);
    const lines: ChartSeries[] = [...data.channels]
      .sort((a, b) => total(b.watchMs) - total(a.watchMs))
      .slice(0, MAX_LINES)
      .map((c) => ({
        label: names.get(c.channelId) ?? `Channel ${c.channelId}`,
        values: x.map((_, i) => c.peak[i] ?? 0),
      }));
    return { x, lines };
  }, [series.data, names]);

  const columns = useMemo<ColumnDef<ProgrammeAudience, unknown>[]>(
    () => [
      {
        id: 'channel',
        header: 'Channel',
        accessorFn: (p) => names.get(p.channelId) ?? String(p.channelId),
      },
      { id: 'title', header: 'Programme', accessorFn: (p) => p.title },
      {
        id: 'aired',
        header: 'Aired',
        accessorFn: (p) => p.airedAt,
        cell: (c) =>
          DateTime.fromMillis(c.row.original.airedAt, { zone: timeZone }).toFormat('ccc HH:mm'),
      },
      { id: 'unique', header: 'Unique viewers', accessorFn: (p) => p.uniqueViewers },
      { id: 'peak', header: 'Peak', accessorFn: (p) => p.peakViewers },
      {
        id: 'average',
        header: 'Average',
        accessorFn: (p) => p.averageViewers,
        cell: (c) => c.row.original.averageViewers.toFixed(1),
      },
      {
        id: 'watch',
        header: 'Watch minutes',
        accessorFn: (p) => p.watchMs,
        cell: (c) => (c.row.original.watchMs / MINUTE_MS).toFixed(1),
      },
      {
        id: 'share',
        header: 'Share',
        accessorFn: (p) => p.share,
        cell: (c) => `${(c.row.original.share * 100).toFixed(1)} %`,
      },
    ],
    [names, timeZone],
  );
  const rated = useMemo(
    () => (programmes.data?.programmes ?? []).filter((p) => p.airedAt <= now),
    [programmes.data, now],
  );

  return (
    <Panel title="Audience">
      <div className="dash-audience" data-testid="dash-audience">
        <Field label="Period">
          <select
            value={period}
            onChange={(e) => setPeriod(e.target.value as Period)}
            data-testid="dash-audience-period"
          >
            {(Object.keys(PERIODS) as Period[]).map((p) => (
              <option key={p} value={p}>
                {PERIODS[p].label}
              </option>
            ))}
          </select>
        </Field>
        {chart && chart.lines.length > 0 ? (
          <TimeChart
            title={`Viewers per channel, ${PERIODS[period].label.toLowerCase()}`}
            x={chart.x}
            series={chart.lines}
            zone={timeZone}
            unit="viewers"
            testId="dash-audience-chart"
          />
        ) : (
          <EmptyState title="No viewers in this period" testId="dash-audience-empty">
            Players fetching a channel's playlists and segments appear here, minute by minute.
          </EmptyState>
        )}
        <DataTable
          data={rated}
          columns={columns}
          getRowId={(p) => `${p.channelId}:${p.airedAt}`}
          label="Ratings per programme, last 24 hours"
          testId="dash-audience-ratings"
          emptyText="No programmes aired in the last 24 hours."
          initialSort={[{ id: 'aired', desc: true }]}
        />
      </div>
    </Panel>
  );
}
