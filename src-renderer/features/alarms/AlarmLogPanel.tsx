import { useMemo, useState } from 'react';
import {
  ALARM_KINDS,
  type Alarm,
  type AlarmKind,
  type AlarmSourceKind,
} from '../../../src-shared/contract';
import { DataTable, type ColumnDef } from '../../ui';
import { stationClock, type Zone } from '../channels-control/format';
import { Panel } from '../station/Panel';
import { kindLabels, sourceLabel } from './format';
import type { AlarmLogFilter } from './keys';
import { useAlarmLog } from './queries';

/** Every alarm raised, newest first, filtered by kind and source, a page at a time. */
export function AlarmLogPanel({ zone }: { zone: Zone }) {
  const [filter, setFilter] = useState<AlarmLogFilter>({});
  const log = useAlarmLog(filter);
  const rows = useMemo(() => log.data?.pages.flatMap((page) => page.log) ?? [], [log.data]);
  const columns = useMemo(() => logColumns(zone), [zone]);
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
      <DataTable
        className="alarms-log__scroll"
        label="Alarm log"
        data={rows}
        columns={columns}
        getRowId={(alarm) => String(alarm.id)}
        rowProps={(alarm) => ({
          'data-testid': 'alarm-log-row',
          'data-kind': alarm.kind,
          'data-active': alarm.clearedAt === null,
        })}
        emptyText={log.isPending ? undefined : 'Nothing logged.'}
      />
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

function logColumns(zone: Zone): ColumnDef<Alarm, unknown>[] {
  return [
    {
      id: 'raised',
      header: 'Raised',
      accessorFn: (a) => a.raisedAt,
      cell: ({ getValue }) => stationClock(getValue() as number, zone),
      meta: { className: 'mono' },
    },
    {
      id: 'cleared',
      header: 'Cleared',
      accessorFn: (a) => a.clearedAt,
      cell: ({ getValue }) => {
        const at = getValue() as number | null;
        return at === null ? <span className="alarms-live">active</span> : stationClock(at, zone);
      },
      meta: { className: 'mono' },
    },
    {
      id: 'kind',
      header: 'Kind',
      accessorFn: (a) => kindLabels[a.kind],
      cell: ({ row: { original: a } }) => (
        <span className={`alarm-chip alarm-chip--${a.severity}`}>{kindLabels[a.kind]}</span>
      ),
    },
    { id: 'source', header: 'Source', accessorFn: (a) => sourceLabel(a) },
    { id: 'message', header: 'Message', accessorFn: (a) => a.message },
    {
      id: 'acknowledged',
      header: 'Acknowledged',
      accessorFn: (a) => a.acknowledgedAt,
      cell: ({ row: { original: a } }) =>
        a.acknowledgedAt === null
          ? '—'
          : `${stationClock(a.acknowledgedAt, zone)} ${a.acknowledgedBy ?? ''}`,
    },
  ];
}
