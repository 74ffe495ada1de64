import { alarmNeedsAttention, type Alarm } from '../../../src-shared/contract';
import { stationClock, type Zone } from '../channels-control/format';
import { Panel } from '../station/Panel';
import { duration, kindLabels, sourceLabel } from './format';
import { useAcknowledge, useAcknowledgeAll } from './queries';

/** What is wrong now. Unacknowledged alarms flash (and sound, when the station wants it). */
export function ActiveAlarmsPanel({
  alarms,
  zone,
  now,
}: {
  alarms: readonly Alarm[];
  zone: Zone;
  now: number;
}) {
  const acknowledge = useAcknowledge();
  const acknowledgeAll = useAcknowledgeAll();
  const waiting = alarms.filter(alarmNeedsAttention).length;
  return (
    <Panel
      title={`Active alarms (${alarms.length})`}
      testId="alarms-active"
      aside={
        <button
          type="button"
          className="button"
          disabled={waiting === 0 || acknowledgeAll.isPending}
          onClick={() => acknowledgeAll.mutate()}
        >
          Acknowledge all
        </button>
      }
    >
      {alarms.length === 0 ? (
        <p className="alarms-empty" data-testid="alarms-none">
          All clear.
        </p>
      ) : (
        <ul className="alarms-list">
          {alarms.map((alarm) => {
            const attention = alarmNeedsAttention(alarm);
            return (
              <li
                key={alarm.id}
                className={`alarm-row alarm-row--${alarm.severity}${attention ? ' alarm-row--attention' : ''}`}
                data-testid="alarm-row"
                data-kind={alarm.kind}
                data-attention={attention}
              >
                <span className="alarm-row__kind">{kindLabels[alarm.kind]}</span>
                <span className="alarm-row__source">{sourceLabel(alarm)}</span>
                <span className="alarm-row__message">{alarm.message}</span>
                <span className="alarm-row__time mono">
                  {stationClock(alarm.raisedAt, zone)} · {duration(now - alarm.raisedAt)}
                </span>
                {attention ? (
                  <button
                    type="button"
                    className="button button--primary"
                    data-testid="alarm-ack"
                    disabled={acknowledge.isPending}
                    onClick={() => acknowledge.mutate(alarm.id)}
                  >
                    Acknowledge
                  </button>
                ) : (
                  <span className="alarm-row__acked" data-testid="alarm-acked">
                    Ack {alarm.acknowledgedBy ?? ''}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}
