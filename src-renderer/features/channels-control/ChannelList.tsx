import type { Channel, PlayoutStatus } from '../../../src-shared/contract';
import { countdown, liveView, stationClock, type Zone } from './format';
import { selectChannel } from './store';
import { TallyBadge } from '../../ui';
import { tallyOf } from './tally';

/** Every channel with its tally, what is on and how long until the next event. */
export function ChannelList({
  channels,
  statuses,
  selectedId,
  coreNow,
  zone,
}: {
  channels: readonly Channel[];
  statuses: ReadonlyMap<number, PlayoutStatus>;
  selectedId: number | null;
  coreNow: number | null;
  zone: Zone;
}) {
  return (
    <nav className="cc-channels" aria-label="Channels">
      <ul>
        {channels.map((channel) => {
          const status = statuses.get(channel.id);
          const tally = tallyOf(status);
          const view = status ? liveView(status, coreNow) : null;
          const nextAt = view?.now?.endsAt ?? view?.next?.startsAt ?? null;
          const alarm = status?.lastAlarm ?? null;
          return (
            <li key={channel.id}>
              <button
                type="button"
                className="cc-channel"
                data-testid={`channel-row-${channel.id}`}
                data-tally={tally}
                aria-current={channel.id === selectedId ? 'true' : undefined}
                onClick={() => selectChannel(channel.id)}
              >
                <TallyBadge state={tally} testId={`tally-${channel.id}`} />
                <span className="cc-channel__number mono">{channel.number}</span>
                <span className="cc-channel__name">{channel.name}</span>
                <span className="cc-channel__now" title={view?.now?.title}>
                  {tally === 'off' ? (
                    <span className="muted">Off air</span>
                  ) : (
                    (view?.now?.title ?? <span className="muted">Nothing scheduled</span>)
                  )}
                </span>
                <span className="cc-channel__countdown mono" title="Until the next event">
                  {nextAt !== null && coreNow !== null && tally !== 'off'
                    ? `−${countdown(nextAt - coreNow)}`
                    : ''}
                </span>
                {alarm && (
                  <span
                    className="cc-alarm-badge"
                    data-testid={`alarm-badge-${channel.id}`}
                    title={`${stationClock(alarm.at, zone)} ${alarm.message}`}
                  >
                    ⚠ {stationClock(alarm.at, zone)}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
