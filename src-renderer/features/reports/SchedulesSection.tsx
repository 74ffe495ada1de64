import { DateTime } from 'luxon';
import { useMemo, useState } from 'react';
import type {
  ReportSchedule,
  ReportTarget,
  ReportTemplate,
  StorageLocation,
} from '../../../src-shared/contract';
import { errorText } from '../../app/api/api-client';
import { useApi } from '../../app/api/use-api';
import { useCan } from '../auth/store';
import { useStorageLocations } from '../storage/queries';
import {
  Button,
  CheckField,
  ConfirmDialog,
  DataTable,
  Dialog,
  Field,
  toast,
  type ColumnDef,
} from '../../ui';
import { useReportSchedules } from './queries';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const EMPTY_LOCATIONS: StorageLocation[] = [];

const when = (s: Pick<ReportSchedule, 'frequency' | 'weekday' | 'time'>) =>
  s.frequency === 'daily'
    ? `Daily at ${s.time}`
    : `${WEEKDAYS[(s.weekday ?? 1) - 1]}s at ${s.time}`;

function targetText(target: ReportTarget, locations: readonly StorageLocation[]) {
  if (target.kind === 'folder') return `Folder ${target.folder}`;
  const name =
    locations.find((l) => l.id === target.locationId)?.name ?? `location ${target.locationId}`;
  return `Storage ${name}${target.prefix ? ` / ${target.prefix}` : ''}`;
}

/**
 * Scheduled reports: named templates run daily or weekly at a station time, written to a folder
 * on the server or a storage location. Everyone with reports may run one now; adding, editing
 * and deleting needs the right to reach the server's disk.
 */
export function SchedulesSection(props: { zone: string; templates: readonly ReportTemplate[] }) {
  const api = useApi();
  const canEdit = useCan('disk.manage');
  const schedules = useReportSchedules().data ?? [];
  const locations = useStorageLocations().data ?? EMPTY_LOCATIONS;
  const [editing, setEditing] = useState<ReportSchedule | 'new' | null>(null);
  const [removing, setRemoving] = useState<ReportSchedule | null>(null);
  const { zone, templates } = props;

  const columns = useMemo<ColumnDef<ReportSchedule, unknown>[]>(() => {
    const at = (ms: number | null) =>
      ms === null ? '—' : DateTime.fromMillis(ms, { zone }).toFormat('ccc dd LLL HH:mm');
    return [
      {
        id: 'template',
        header: 'Template',
        accessorFn: (s) =>
          templates.find((t) => t.id === s.templateId)?.name ?? `Template ${s.templateId}`,
      },
      { id: 'when', header: 'When', accessorFn: (s) => when(s) },
      { id: 'target', header: 'Written to', accessorFn: (s) => targetText(s.target, locations) },
      {
        id: 'next',
        header: 'Next run',
        accessorFn: (s) => s.nextRunAt ?? 0,
        cell: ({ row }) => (row.original.enabled ? at(row.original.nextRunAt) : 'Paused'),
      },
      {
        id: 'last',
        header: 'Last run',
        accessorFn: (s) => s.lastRunAt ?? 0,
        cell: ({ row }) => at(row.original.lastRunAt),
      },
      {
        id: 'actions',
        header: 'Actions',
        cell: ({ row }) => {
          const s = row.original;
          const name = templates.find((t) => t.id === s.templateId)?.name ?? `#${s.id}`;
          return (
            <span className="rep-actions-cell">
              <Button
                aria-label={`Run the schedule of ${name} now`}
                data-testid="report-schedule-run"
                onClick={() => {
                  api
                    .call('reportScheduleRunNow', { id: s.id })
                    .then(() => toast(`Running ${name}; see the history`, 'info'))
                    .catch((e: unknown) => toast(errorText(e), 'error'));
                }}
              >
                Run now
              </Button>
              {canEdit && (
                <>
                  <Button aria-label={`Edit the schedule of ${name}`} onClick={() => setEditing(s)}>
                    Edit
                  </Button>
                  <Button
                    variant="ghost"
                    aria-label={`Delete the schedule of ${name}`}
                    onClick={() => setRemoving(s)}
                  >
                    Delete
                  </Button>
                </>
              )}
            </span>
          );
        },
      },
    ];
  }, [api, canEdit, locations, templates, zone]);

  return (
    <section aria-labelledby="rep-schedules-h">
      <div className="rep-section-head">
        <h2 id="rep-schedules-h" className="rep-h2">
          Schedules
        </h2>
        {canEdit && (
          <Button
            onClick={() => setEditing('new')}
            disabled={templates.length === 0}
            title={templates.length === 0 ? 'Save a template first' : undefined}
            data-testid="report-schedule-new"
          >
            New schedule…
          </Button>
        )}
      </div>
      <DataTable
        data={schedules}
        columns={columns}
        getRowId={(s) => String(s.id)}
        label="Report schedules"
        testId="report-schedules"
        emptyText="No scheduled reports."
        sortable={false}
      />
      {editing && (
        <ScheduleDialog
          schedule={editing === 'new' ? null : editing}
          templates={templates}
          locations={locations}
          onClose={() => setEditing(null)}
        />
      )}
      {removing && (
        <ConfirmDialog
          title="Delete this schedule?"
          confirmLabel="Delete"
          tone="danger"
          onClose={() => setRemoving(null)}
          onConfirm={() => {
            void api
              .call('reportScheduleDelete', { id: removing.id })
              .catch((e: unknown) => toast(errorText(e), 'error'))
              .finally(() => setRemoving(null));
          }}
        >
          Reports it already wrote stay where they are and in the history.
        </ConfirmDialog>
      )}
    </section>
  );
}

function ScheduleDialog(props: {
  schedule: ReportSchedule | null;
  templates: readonly ReportTemplate[];
  locations: readonly StorageLocation[];
  onClose(): void;
}) {
  const api = useApi();
  const s = props.schedule;
  const [templateId, setTemplateId] = useState(s?.templateId ?? props.templates[0]?.id ?? 0);
  const [frequency, setFrequency] = useState<'daily' | 'weekly'>(s?.frequency ?? 'daily');
  const [weekday, setWeekday] = useState(s?.weekday ?? 1);
  const [time, setTime] = useState(s?.time ?? '06:00');
  const [kind, setKind] = useState<ReportTarget['kind']>(s?.target.kind ?? 'folder');
  const [folder, setFolder] = useState(s?.target.kind === 'folder' ? s.target.folder : '');
  const [locationId, setLocationId] = useState(
    s?.target.kind === 'storage' ? s.target.locationId : (props.locations[0]?.id ?? 0),
  );
  const [prefix, setPrefix] = useState(s?.target.kind === 'storage' ? s.target.prefix : 'reports/');
  const [enabled, setEnabled] = useState(s?.enabled ?? true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const target: ReportTarget =
    kind === 'folder' ? { kind, folder: folder.trim() } : { kind, locationId, prefix };
  const ready =
    templateId > 0 && /^\d\d:\d\d$/.test(time) && (kind === 'folder' ? folder.trim() : locationId);

  return (
    <Dialog
      title={s ? 'Edit schedule' : 'New schedule'}
      description="The report covers the template's number of whole days before the day it runs, in the station's time zone."
      testId="report-schedule-dialog"
      onClose={props.onClose}
      submitLabel="Save"
      submitTestId="report-schedule-save"
      submitDisabled={!ready}
      busy={busy}
      onSubmit={() => {
        setBusy(true);
        setError(null);
        api
          .call('reportScheduleSave', {
            ...(s ? { id: s.id } : {}),
            templateId,
            frequency,
            weekday: frequency === 'weekly' ? weekday : null,
            time,
            target,
            enabled,
          })
          .then(() => {
            toast('Schedule saved', 'ok');
            props.onClose();
          })
          .catch((e: unknown) => setError(errorText(e)))
          .finally(() => setBusy(false));
      }}
    >
      <div className="rep-dialog-grid">
        <Field label="Template">
          <select
            value={templateId}
            onChange={(e) => setTemplateId(Number(e.target.value))}
            data-testid="report-schedule-template"
          >
            {props.templates.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.format.toUpperCase()}, {t.periodDays} day
                {t.periodDays === 1 ? '' : 's'})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Repeat">
          <select
            value={frequency}
            onChange={(e) => setFrequency(e.target.value as 'daily' | 'weekly')}
            data-testid="report-schedule-frequency"
          >
            <option value="daily">Every day</option>
            <option value="weekly">Every week</option>
          </select>
        </Field>
        {frequency === 'weekly' && (
          <Field label="On">
            <select value={weekday} onChange={(e) => setWeekday(Number(e.target.value))}>
              {WEEKDAYS.map((d, i) => (
                <option key={d} value={i + 1}>
                  {d}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field label="At (station time)">
          <input
            type="time"
            value={time}
            onChange={(e) => setTime(e.target.value)}
            data-testid="report-schedule-time"
          />
        </Field>
        <Field label="Write to">
          <select
            value={kind}
            onChange={(e) => setKind(e.target.value as ReportTarget['kind'])}
            data-testid="report-schedule-kind"
          >
            <option value="folder">A folder on the server</option>
            <option value="storage" disabled={props.locations.length === 0}>
              A storage location
            </option>
          </select>
        </Field>
        {kind === 'folder' ? (
          <Field
            label="Folder"
            hint="An absolute path inside the data folder's reports folder or an allowed folder."
            error={error}
          >
            <input
              value={folder}
              onChange={(e) => setFolder(e.target.value)}
              placeholder="/srv/airdeck/data/reports"
              data-testid="report-schedule-folder"
            />
          </Field>
        ) : (
          <>
            <Field label="Storage location">
              <select value={locationId} onChange={(e) => setLocationId(Number(e.target.value))}>
                {props.locations.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Key prefix" hint="Inside the location's own prefix." error={error}>
              <input value={prefix} onChange={(e) => setPrefix(e.target.value)} />
            </Field>
          </>
        )}
        <CheckField
          label="Enabled"
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
        />
      </div>
    </Dialog>
  );
}
