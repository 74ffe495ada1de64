import { useState } from 'react';
import { ALARM_KINDS, type AlarmKind, type AlarmSourceKind } from '../../../src-shared/contract';
import { stationClock, type Zone } from '../channels-control/format';
import { Panel } from '../station/Panel';
import { kindLabels, sourceLabel } from './format';
import type { AlarmLogFilter } from './keys';
import { useAlarmLog } from './queries';

/** Every alarm raised, newest first, filtered by kind and source, a page at a time. */
export function AlarmLogPanel({ zone }: { zone: Zone }) {
  const [filter, setFilter] = useState<AlarmLogFilter>({});
  const log = useAlarmLog(filter);
  const rows = log.data?.pages.flatMap((page) => page.log) ?? [];
  return (
    <Panel
      title="Log"
      testId="alarms-log"
      aside={
        <div className="alarms-filters">
          <select
            aria-label="Kind"
            value={filter.kind ?? ''}
            onChange={(e) =>
              setFilter({ ...filter, kind: (e.target.value || undefined) as AlarmKind | undefined })
            }
          >
            <option value="">All kinds</option>
            {ALARM_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kindLabels[kind]}
              </option>
            ))}
          </select>
          <select
            aria-label="Source"
            value={filter.sourceKind ?? ''}
            onChange={(e) =>
              setFilter({
                ...filter,
                sourceKind: (e.target.value || undefined) as AlarmSourceKind | undefined,
              })
            }
          >
            <option value="">All sources</option>
            <option value="channel">Channels</option>
            <option value="outside">Outside streams</option>
          </select>
        </div>
      }
    >
      {log.isError && <p className="form-error">{String(log.error)}</p>}
      <div className="alarms-log__scroll">
        <table className="alarms-table">
          <thead>
            <tr>
              <th>Raised</th>
              <th>Cleared</th>
              <th>Kind</th>
              <th>Source</th>
              <th>Message</th>
              <th>Acknowledged</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((alarm) => (
              <tr
                key={alarm.id}
                data-testid="alarm-log-row"
                data-kind={alarm.kind}
                data-active={alarm.clearedAt === null}
              >
                <td className="mono">{stationClock(alarm.raisedAt, zone)}</td>
                <td className="mono">
                  {alarm.clearedAt === null ? (
                    <span className="alarms-live">active</span>
                  ) : (
                    stationClock(alarm.clearedAt, zone)
                  )}
                </td>
                <td>
                  <span className={`alarm-chip alarm-chip--${alarm.severity}`}>
                    {kindLabels[alarm.kind]}
                  </span>
                </td>
                <td>{sourceLabel(alarm)}</td>
                <td>{alarm.message}</td>
                <td>
                  {alarm.acknowledgedAt === null
                    ? '—'
                    : `${stationClock(alarm.acknowledgedAt, zone)} ${alarm.acknowledgedBy ?? ''}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && !log.isPending && <p className="alarms-empty">Nothing logged.</p>}
      </div>
      {log.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={log.isFetchingNextPage}
          onClick={() => void log.fetchNextPage()}
        >
          Older
        </button>
      )}
    </Panel>
  );
}
