import { useEffect, useMemo, useState } from 'react';
import type { AuditEntry } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import { Button, DataTable, Field, FieldError, saveFile, toast, type ColumnDef } from '../../ui';
import { errorText } from './PersonDialogs';
import {
  auditActions,
  auditFilterFromForm,
  auditResults,
  emptyAuditFilterForm,
  type AuditFilterForm,
} from './model';
import { useAuditLog, usePeople } from './queries';
import { useStationTime } from './use-station-time';
import './people.css';

const resultLabels: Record<AuditEntry['result'], string> = {
  ok: 'OK',
  denied: 'Denied',
  failed: 'Failed',
};

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The audit log: who did what, when and from where; newest first, live, filterable, exportable. */
export function AuditScreen() {
  const api = useApi();
  const { timeZone, format } = useStationTime();
  const people = usePeople().data ?? [];
  const [form, setForm] = useState<AuditFilterForm>(emptyAuditFilterForm);
  // Typing in the text box asks the core once the typing pauses, not at every key.
  const text = useDebounced(form.text, 250);
  const { filter, errors } = useMemo(
    () => auditFilterFromForm({ ...form, text }, timeZone),
    [form, text, timeZone],
  );
  const log = useAuditLog(filter);
  const entries = useMemo(() => log.data?.pages.flatMap((page) => page.entries) ?? [], [log.data]);
  const [exporting, setExporting] = useState(false);
  const edit = (change: Partial<AuditFilterForm>) =>
    setForm((current) => ({ ...current, ...change }));

  const exportCsv = () => {
    setExporting(true);
    api
      .call('auditExport', { filter })
      .then(({ filename, csv }) => saveFile(filename, 'text/csv;charset=utf-8', csv))
      .catch((error: unknown) => toast(errorText(error), 'error'))
      .finally(() => setExporting(false));
  };

  const columns = useMemo<ColumnDef<AuditEntry, unknown>[]>(
    () => [
      {
        id: 'at',
        header: 'When',
        accessorKey: 'at',
        cell: ({ row }) => format(row.original.at),
        meta: { className: 'mono' },
        size: 190,
      },
      { id: 'person', header: 'Person', accessorKey: 'personName' },
      { id: 'action', header: 'Action', accessorKey: 'action', meta: { className: 'mono' } },
      { id: 'target', header: 'Target', accessorKey: 'target' },
      {
        id: 'result',
        header: 'Result',
        accessorKey: 'result',
        cell: ({ row }) => (
          <span className={`audit-result audit-result--${row.original.result}`}>
            {resultLabels[row.original.result]}
          </span>
        ),
      },
      { id: 'detail', header: 'Detail', accessorKey: 'detail' },
      { id: 'address', header: 'Address', accessorKey: 'address', meta: { className: 'mono' } },
    ],
    [format],
  );

  return (
    <div className="audit-screen" data-testid="audit-screen">
      <header className="section-header people-screen__header">
        <h1>Audit log</h1>
        <span className="muted">Times in {timeZone}</span>
        <Button
          data-testid="audit-export"
          disabled={exporting}
          onClick={exportCsv}
          className="people-screen__push"
        >
          {exporting ? 'Exporting…' : 'Export CSV'}
        </Button>
      </header>
      <form
        className="audit-filters"
        aria-label="Filter the audit log"
        onSubmit={(event) => event.preventDefault()}
      >
        <Field label="Person">
          <select
            value={form.personId}
            data-testid="audit-filter-person"
            onChange={(e) => edit({ personId: e.target.value })}
          >
            <option value="">Everyone</option>
            {people.map((person) => (
              <option key={person.id} value={String(person.id)}>
                {person.displayName}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Action">
          <select
            value={form.action}
            data-testid="audit-filter-action"
            onChange={(e) => edit({ action: e.target.value })}
          >
            <option value="">Every action</option>
            {auditActions.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Result">
          <select
            value={form.result}
            data-testid="audit-filter-result"
            onChange={(e) => edit({ result: e.target.value as AuditFilterForm['result'] })}
          >
            <option value="">Any result</option>
            {auditResults.map((result) => (
              <option key={result} value={result}>
                {resultLabels[result]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Text">
          <input
            type="search"
            value={form.text}
            placeholder="Target, detail or name"
            data-testid="audit-filter-text"
            onChange={(e) => edit({ text: e.target.value })}
          />
        </Field>
        <Field label="From" error={errors.from}>
          <input
            type="datetime-local"
            value={form.from}
            data-testid="audit-filter-from"
            onChange={(e) => edit({ from: e.target.value })}
          />
        </Field>
        <Field label="To (including that minute)" error={errors.to}>
          <input
            type="datetime-local"
            value={form.to}
            data-testid="audit-filter-to"
            onChange={(e) => edit({ to: e.target.value })}
          />
        </Field>
        <Button
          className="audit-filters__clear"
          disabled={JSON.stringify(form) === JSON.stringify(emptyAuditFilterForm)}
          onClick={() => setForm(emptyAuditFilterForm)}
        >
          Clear filters
        </Button>
      </form>
      {log.isError && <FieldError>{errorText(log.error)}</FieldError>}
      <DataTable
        data={entries}
        columns={columns}
        getRowId={(e) => String(e.id)}
        label="Audit log"
        testId="audit-table"
        className="audit-table"
        // The log is long by nature: only what is on screen is in the page.
        virtualizeAbove={60}
        rowHeight={36}
        rowProps={(e) => ({ 'data-testid': 'audit-row', 'data-action': e.action })}
        emptyText={log.isPending ? 'Loading the log…' : 'No entry matches.'}
      />
      <div className="audit-more">
        {log.hasNextPage ? (
          <Button
            data-testid="audit-older"
            disabled={log.isFetchingNextPage}
            onClick={() => void log.fetchNextPage()}
          >
            {log.isFetchingNextPage ? 'Loading older…' : 'Load older'}
          </Button>
        ) : (
          entries.length > 0 && <span className="muted">The start of the log.</span>
        )}
      </div>
    </div>
  );
}
