import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import type { Alarm, DashboardChannel } from '../../../src-shared/contract';
import { countdown, stationClock, type Zone } from '../channels-control/format';
import { TallyBadge } from '../../ui';

const ROW_HEIGHT = 44;

/** Every channel: tally, what is on and for how long, what is next, viewers, alarms. Virtualized: a station may have hundreds. */
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
  const scrollRef = useRef<HTMLDivElement>(null);
  const alarmsByChannel = useMemo(() => {
    const map = new Map<number, number>();
    for (const a of alarms)
      if (a.sourceKind === 'channel') map.set(a.sourceId, (map.get(a.sourceId) ?? 0) + 1);
    return map;
  }, [alarms]);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtual = useVirtualizer({
    count: channels.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtual.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtual.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <div className="dash-channels" ref={scrollRef}>
      <table className="dash-table">
        <thead>
          <tr>
            <th>Channel</th>
            <th>Tally</th>
            <th>On now</th>
            <th>Remaining</th>
            <th>Next</th>
            <th>Viewers</th>
            <th>Alarms</th>
          </tr>
        </thead>
        <tbody>
          {top > 0 && <tr style={{ height: top }} />}
          {items.map((item) => {
            const c = channels[item.index]!;
            const alarmCount = alarmsByChannel.get(c.channelId) ?? 0;
            return (
              <tr
                key={c.channelId}
                style={{ height: ROW_HEIGHT }}
                data-testid="dash-channel"
                data-slug={c.slug}
              >
                <td className="dash-table__name">{c.name}</td>
                <td>
                  <TallyBadge state={!c.onAir ? 'off' : c.held ? 'held' : 'on-air'} />
                </td>
                <td className="dash-table__title">{c.onAir ? (c.now?.title ?? '—') : '—'}</td>
                <td className="mono">{c.onAir && c.now ? countdown(c.now.endsAt - now) : ''}</td>
                <td className="dash-table__next">
                  {c.next ? `${stationClock(c.next.startsAt, zone)} ${c.next.title}` : ''}
                </td>
                <td className="mono" data-testid="dash-viewers">
                  {viewers.get(c.channelId) ?? 0}
                </td>
                <td>{alarmCount > 0 && <span className="dash-alarm-count">{alarmCount}</span>}</td>
              </tr>
            );
          })}
          {bottom > 0 && <tr style={{ height: bottom }} />}
        </tbody>
      </table>
    </div>
  );
}
