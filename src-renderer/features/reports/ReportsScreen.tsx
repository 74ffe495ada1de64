import { DateTime } from 'luxon';
import { useMemo, useState } from 'react';
import {
  reportFormats,
  type Person,
  type ReportRun,
  type ReportTemplate,
} from '../../../src-shared/contract';
import { errorText } from '../../app/api/api-client';
import { useApi } from '../../app/api/use-api';
import {
  Button,
  CheckList,
  ConfirmDialog,
  DataTable,
  Dialog,
  Field,
  FieldError,
  saveBase64File,
  toast,
  useShortcuts,
  type ColumnDef,
} from '../../ui';
import { usePeople } from '../people/queries';
import { useSettings } from '../settings/queries';
import { useRecordedSources } from '../shifts/queries';
import { useReportHistory, useReportProgress, useReportTemplates } from './queries';
import { SchedulesSection } from './SchedulesSection';
import './reports.css';

type Format = (typeof reportFormats)[number];
const formatLabel: Record<Format, string> = {
  docx: 'DOCX (Word, Google Docs)',
  xlsx: 'XLSX (one sheet per table)',
  pdf: 'PDF',
  csv: 'CSV',
};
const stateLabel = { building: '⏳ Building…', done: '✓ Done', failed: '✕ Failed' } as const;
const EMPTY_PEOPLE: Person[] = [];

/** Reports on the desk's notes and statistics for a period, people and sources, in office formats. */
export function ReportsScreen() {
  const zone = useSettings().data?.timeZone ?? null;
  if (!zone) return <div className="rep-screen muted">Loading station settings…</div>;
  return <ReportsScreenIn zone={zone} />;
}

function ReportsScreenIn({ zone }: { zone: string }) {
  const api = useApi();
  const today = DateTime.now().setZone(zone).toISODate() ?? '';
  const [fromDay, setFromDay] = useState(
    DateTime.now().setZone(zone).minus({ days: 6 }).toISODate() ?? '',
  );
  const [toDay, setToDay] = useState(today);
  const [personIds, setPersonIds] = useState<number[]>([]);
  const [sourceIds, setSourceIds] = useState<number[]>([]);
  const [format, setFormat] = useState<Format>('xlsx');
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [removing, setRemoving] = useState<ReportTemplate | null>(null);
  const people = usePeople().data ?? EMPTY_PEOPLE;
  const sources = useRecordedSources().data ?? [];
  const templates = useReportTemplates().data ?? [];
  const history = useReportHistory().data ?? [];
  const progress = useReportProgress();

  const period = () => {
    const from = DateTime.fromISO(fromDay, { zone }).startOf('day');
    const to = DateTime.fromISO(toDay, { zone }).startOf('day').plus({ days: 1 });
    return from.isValid && to.isValid ? { from: from.toMillis(), to: to.toMillis() } : null;
  };
  const periodDays = () => {
    const w = period();
    return w ? Math.max(1, Math.round((w.to - w.from) / 86_400_000)) : 1;
  };

  const build = async () => {
    const w = period();
    if (!w) return setError('Choose both dates.');
    setBusy(true);
    setError(null);
    try {
      const file = await api.call('reportBuild', {
        ...w,
        personIds: personIds.length ? personIds : null,
        sourceIds: sourceIds.length ? sourceIds : null,
        format,
        title,
      });
      saveBase64File(file.fileName, file.mimeType, file.base64);
      toast(`Report ready: ${file.fileName}`, 'ok');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const applyTemplate = (t: ReportTemplate) => {
    const end = DateTime.now().setZone(zone).startOf('day');
    setToDay(end.toISODate() ?? '');
    setFromDay(end.minus({ days: t.periodDays - 1 }).toISODate() ?? '');
    setPersonIds(t.personIds ?? []);
    setSourceIds(t.sourceIds ?? []);
    setFormat(t.format);
    setTitle(t.title);
    toast(`Template "${t.name}" applied`, 'info');
  };

  useShortcuts('reports', [
    { keys: 'Mod+Enter', label: 'Build and download', inFields: true, run: () => void build() },
  ]);

  const historyColumns = useMemo<ColumnDef<ReportRun, unknown>[]>(
    () => [
      {
        id: 'startedAt',
        header: 'Started',
        accessorFn: (r) => r.startedAt,
        cell: ({ row }) =>
          DateTime.fromMillis(row.original.startedAt, { zone }).toFormat('dd LLL HH:mm:ss'),
      },
      { id: 'title', header: 'Title', accessorKey: 'title' },
      { id: 'format', header: 'Format', accessorFn: (r) => r.format.toUpperCase() },
      {
        id: 'period',
        header: 'Period',
        accessorFn: (r) =>
          `${DateTime.fromMillis(r.from, { zone }).toFormat('dd LLL')} – ${DateTime.fromMillis(r.to - 1, { zone }).toFormat('dd LLL yyyy')}`,
      },
      { id: 'by', header: 'By', accessorKey: 'byName' },
      {
        id: 'state',
        header: 'State',
        accessorFn: (r) => r.state,
        cell: ({ row }) => {
          const r = row.original;
          const done = progress.get(r.id);
          return (
            <span data-state={r.state} title={r.error ?? undefined}>
              {stateLabel[r.state]}
              {r.state === 'building' && (
                <progress
                  className="rep-progress"
                  max={1}
                  value={done ?? 0}
                  aria-label={`Report ${r.id} built ${Math.round((done ?? 0) * 100)} %`}
                />
              )}
              {r.error ? `: ${r.error}` : ''}
            </span>
          );
        },
      },
      {
        id: 'target',
        header: 'Written to',
        accessorFn: (r) => r.target ?? '',
        cell: ({ row }) =>
          row.original.target ?? (row.original.scheduleId === null ? 'Downloaded' : '—'),
      },
      {
        id: 'bytes',
        header: 'Size',
        accessorFn: (r) => r.bytes ?? 0,
        cell: ({ row }) =>
          row.original.bytes === null
            ? '—'
            : `${Math.max(1, Math.round(row.original.bytes / 1024))} KB`,
      },
    ],
    [zone, progress],
  );

  return (
    <div className="rep-screen" data-testid="reports-screen">
      <form
        className="rep-form"
        aria-label="Report"
        onSubmit={(e) => {
          e.preventDefault();
          void build();
        }}
      >
        <div className="rep-row">
          <Field label="From (station date)">
            <input
              type="date"
              value={fromDay}
              max={toDay}
              onChange={(e) => setFromDay(e.target.value)}
              data-testid="report-from"
            />
          </Field>
          <Field label="To (inclusive)">
            <input
              type="date"
              value={toDay}
              min={fromDay}
              onChange={(e) => setToDay(e.target.value)}
              data-testid="report-to"
            />
          </Field>
          <Field label="Format">
            <select
              value={format}
              onChange={(e) => setFormat(e.target.value as Format)}
              data-testid="report-format"
            >
              {reportFormats.map((f) => (
                <option key={f} value={f}>
                  {formatLabel[f]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Title" hint="Optional; printed at the top.">
            <input value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
          </Field>
        </div>
        <div className="rep-row">
          <CheckList
            className="rep-pick"
            testId="report-people"
            legend={`People ${personIds.length ? `(${personIds.length})` : '(everyone)'}`}
            options={people.map((p) => ({ value: p.id, label: p.displayName }))}
            chosen={personIds}
            onChange={setPersonIds}
          />
          <CheckList
            className="rep-pick"
            testId="report-sources"
            legend={`Sources ${sourceIds.length ? `(${sourceIds.length})` : '(all)'}`}
            emptyText="No recorded sources."
            options={sources.map((s) => ({ value: s.id, label: s.name }))}
            chosen={sourceIds}
            onChange={setSourceIds}
          />
        </div>
        <div className="rep-row rep-actions">
          <Button type="submit" variant="primary" disabled={busy} data-testid="report-build">
            {busy ? 'Building…' : 'Build and download'}
          </Button>
          <Button onClick={() => setSaving(true)} data-testid="report-save-template">
            Save as template…
          </Button>
          {busy && <progress aria-label="Building the report" />}
          <FieldError testId="report-error">{error}</FieldError>
        </div>
      </form>

      <section aria-labelledby="rep-templates-h">
        <h2 id="rep-templates-h" className="rep-h2">
          Templates
        </h2>
        {templates.length === 0 && <p className="muted">No saved templates yet.</p>}
        <ul className="rep-templates" data-testid="report-templates">
          {templates.map((t) => (
            <li key={t.id}>
              <span>
                <strong>{t.name}</strong> · last {t.periodDays} day{t.periodDays === 1 ? '' : 's'} ·{' '}
                {t.format.toUpperCase()}
              </span>
              <Button onClick={() => applyTemplate(t)} aria-label={`Use template ${t.name}`}>
                Use
              </Button>
              <Button
                variant="ghost"
                onClick={() => setRemoving(t)}
                aria-label={`Delete template ${t.name}`}
              >
                Delete
              </Button>
            </li>
          ))}
        </ul>
      </section>

      <SchedulesSection zone={zone} templates={templates} />

      <section aria-labelledby="rep-history-h" className="rep-history">
        <h2 id="rep-history-h" className="rep-h2">
          History
        </h2>
        <DataTable
          data={history}
          columns={historyColumns}
          getRowId={(r) => String(r.id)}
          label="Reports built"
          testId="report-history"
          emptyText="No reports built yet."
          sortable={false}
        />
      </section>

      {saving && (
        <SaveTemplateDialog
          onClose={() => setSaving(false)}
          onSave={async (name) => {
            await api.call('reportTemplateSave', {
              name,
              periodDays: Math.min(62, periodDays()),
              personIds: personIds.length ? personIds : null,
              sourceIds: sourceIds.length ? sourceIds : null,
              format,
              title,
            });
            toast(`Template "${name}" saved`, 'ok');
          }}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Delete the template "${removing.name}"?`}
          confirmLabel="Delete"
          tone="danger"
          onClose={() => setRemoving(null)}
          onConfirm={() => {
            void api
              .call('reportTemplateDelete', { id: removing.id })
              .catch((e: unknown) => toast(errorText(e), 'error'))
              .finally(() => setRemoving(null));
          }}
        >
          Reports already built stay in the history.
        </ConfirmDialog>
      )}
    </div>
  );
}

function SaveTemplateDialog(props: { onClose(): void; onSave(name: string): Promise<void> }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog
      title="Save as template"
      description="The period is kept as a number of days up to the day the template is used."
      testId="report-template-dialog"
      onClose={props.onClose}
      submitLabel="Save"
      submitDisabled={!name.trim()}
      busy={busy}
      onSubmit={() => {
        setBusy(true);
        props
          .onSave(name.trim())
          .then(props.onClose)
          .catch((e: unknown) => setError(errorText(e)))
          .finally(() => setBusy(false));
      }}
    >
      <Field label="Name" error={error}>
        <input
          value={name}
          maxLength={80}
          onChange={(e) => setName(e.target.value)}
          data-testid="report-template-name"
        />
      </Field>
    </Dialog>
  );
}
