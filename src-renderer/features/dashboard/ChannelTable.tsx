import { useMemo } from 'react';
import type { Alarm, DashboardChannel } from '../../../src-shared/contract';
import { DataTable, TallyBadge, type ColumnDef } from '../../ui';
import { countdown, stationClock, type Zone } from '../channels-control/format';

const ROW_HEIGHT = 44;

/**
 * Every channel: tally, what is on and for how long, what is next, viewers, alarms. Sortable,
 * and virtualised by the kit's table: a station may have hundreds.
 */
export function ChannelTable({
  channels,
  viewers,
  alarms,
  zone,
  now,
}: {
  channels: readonly DashboardChannel[];
  viewers: ReadonlyMap<number, number>;
  alarms: readonly Alarm[];
  zone: Zone;
  now: number;
}) {
  const alarmsByChannel = useMemo(() => {
    const map = new Map<number, number>();
    for (const a of alarms)
      if (a.sourceKind === 'channel') map.set(a.sourceId, (map.get(a.sourceId) ?? 0) + 1);
    return map;
  }, [alarms]);

  const columns = useMemo<ColumnDef<DashboardChannel, unknown>[]>(
    () => [
      {
        id: 'name',
        header: 'Channel',
        accessorFn: (c) => c.name,
        meta: { className: 'dash-table__name' },
      },
      {
        id: 'tally',
        header: 'Tally',
        // On air first when sorted descending: held counts as on air, off last.
        accessorFn: (c) => (!c.onAir ? 0 : c.held ? 1 : 2),
        cell: ({ row: { original: c } }) => (
          <TallyBadge state={!c.onAir ? 'off' : c.held ? 'held' : 'on-air'} />
        ),
      },
      {
        id: 'now',
        header: 'On now',
        accessorFn: (c) => (c.onAir ? (c.now?.title ?? '') : ''),
        cell: ({ getValue }) => (getValue() as string) || '—',
        meta: { className: 'dash-table__title' },
      },
      {
        id: 'remaining',
        header: 'Remaining',
        accessorFn: (c) => (c.onAir && c.now ? c.now.endsAt : null),
        cell: ({ getValue }) => {
          const endsAt = getValue() as number | null;
          return endsAt === null ? '' : countdown(endsAt - now);
        },
        meta: { className: 'mono' },
      },
      {
        id: 'next',
        header: 'Next',
        accessorFn: (c) => c.next?.startsAt ?? null,
        cell: ({ row: { original: c } }) =>
          c.next ? `${stationClock(c.next.startsAt, zone)} ${c.next.title}` : '',
        meta: { className: 'dash-table__next' },
      },
      {
        id: 'viewers',
        header: 'Viewers',
        accessorFn: (c) => viewers.get(c.channelId) ?? 0,
        cell: ({ getValue }) => <span data-testid="dash-viewers">{getValue() as number}</span>,
        meta: { className: 'mono' },
      },
      {
        id: 'alarms',
        header: 'Alarms',
        accessorFn: (c) => alarmsByChannel.get(c.channelId) ?? 0,
        cell: ({ getValue }) => {
          const count = getValue() as number;
          return count > 0 ? (
            <span className="dash-alarm-count">
              {count}
              <span className="visually-hidden"> active</span>
            </span>
          ) : null;
        },
      },
    ],
    [alarmsByChannel, viewers, zone, now],
  );

  return (
    <DataTable
      className="dash-channels"
      label="Channels"
      data={channels}
      columns={columns}
      getRowId={(c) => String(c.channelId)}
      rowHeight={ROW_HEIGHT}
      virtualizeAbove={40}
      rowProps={(c) => ({
        style: { height: ROW_HEIGHT },
        'data-testid': 'dash-channel',
        'data-slug': c.slug,
      })}
      emptyText="No channels yet."
    />
  );
}
