import { DateTime } from 'luxon';
import { useState } from 'react';
import type {
  Channel,
  Person,
  RecordedSource,
  Shift,
  ShiftKind,
  ShiftSeries,
  ShiftTemplate,
} from '../../../src-shared/contract';
import { errorText } from '../../app/api/api-client';
import { useApi } from '../../app/api/use-api';
import { Button, Dialog, Field, FieldError } from '../../ui';
import { AssignmentFields } from './AssignmentFields';
import { fromLocalInput, repeatRules, toLocalInput, type Repeat } from './model';
import { occurrenceChange } from '../../../src-shared/shifts/occurrence-change';

type Common = {
  people: readonly Person[];
  templates: readonly ShiftTemplate[];
  channels: readonly Channel[];
  sources: readonly RecordedSource[];
  onClose(): void;
};
type Props = Common &
  (
    | { mode: 'create'; personId: number | null; start: number; end: number }
    | { mode: 'edit'; shift: Shift; series: ShiftSeries | null }
  );

type Scope = 'occurrence' | 'series';

/**
 * Creates a shift (or a series), or edits one: a single shift is saved as a whole; an occurrence
 * of a series is changed or skipped on its own ("this occurrence") or the series is changed.
 */
export function ShiftDialog(props: Props) {
  const api = useApi();
  const editing = props.mode === 'edit' ? props.shift : null;
  const series = props.mode === 'edit' ? props.series : null;
  const [personId, setPersonId] = useState<number | null>(
    editing?.personId ??
      (props.mode === 'create' ? props.personId : null) ??
      props.people[0]?.id ??
      null,
  );
  const [start, setStart] = useState(
    toLocalInput(editing?.start ?? (props.mode === 'create' ? props.start : 0)),
  );
  const [end, setEnd] = useState(
    toLocalInput(editing?.end ?? (props.mode === 'create' ? props.end : 0)),
  );
  const [kind, setKind] = useState<ShiftKind>(editing?.kind ?? 'custom');
  const [assign, setAssign] = useState({
    channelIds: editing?.channelIds ?? [],
    sourceIds: editing?.sourceIds ?? [],
  });
  const [note, setNote] = useState(editing?.note ?? '');
  const [repeat, setRepeat] = useState<Repeat>('none');
  const [scope, setScope] = useState<Scope>('occurrence');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const applyTemplate = (id: string) => {
    const template = props.templates.find((t) => String(t.id) === id);
    const from = fromLocalInput(start);
    if (!template || from === null) return;
    const [h, m] = template.startTime.split(':').map(Number);
    const begins = DateTime.fromMillis(from).set({ hour: h, minute: m, second: 0, millisecond: 0 });
    setStart(toLocalInput(begins.toMillis()));
    setEnd(toLocalInput(begins.plus({ minutes: template.durationMinutes }).toMillis()));
    setKind(template.kind);
  };

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      props.onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const save = () => {
    const from = fromLocalInput(start);
    const to = fromLocalInput(end);
    if (personId === null) return setError('Choose a person.');
    if (from === null || to === null || to <= from)
      return setError('The shift must end after it starts.');
    const fields = { personId, start: from, end: to, kind, ...assign, note };
    const local = DateTime.fromMillis(from);
    const seriesFields = (rrule: string, startDate: string) => ({
      personId,
      rrule,
      startDate,
      startTime: local.toFormat('HH:mm'),
      durationMinutes: Math.round((to - from) / 60_000),
      kind,
      ...assign,
      note,
    });
    if (!editing) {
      const rule = repeatRules[repeat];
      return void run(() =>
        rule
          ? api.call('shiftSeriesCreate', seriesFields(rule, local.toISODate() ?? ''))
          : api.call('shiftCreate', fields),
      );
    }
    if (editing.shiftId !== null)
      return void run(() => api.call('shiftUpdate', { id: editing.shiftId!, ...fields }));
    if (!series || editing.occurrenceStart === null) return;
    if (scope === 'occurrence')
      return void run(() =>
        api.call('shiftSeriesException', {
          seriesId: series.id,
          occurrenceStart: editing.occurrenceStart!,
          exception: occurrenceChange(series, editing.occurrenceStart!, {
            start: from,
            end: to,
            personId,
            ...assign,
            note,
          }),
        }),
      );
    return void run(() =>
      api.call('shiftSeriesUpdate', {
        id: series.id,
        ...seriesFields(series.rrule, series.startDate),
      }),
    );
  };

  const occurrence = editing !== null && editing.seriesId !== null;
  const moved =
    occurrence && series?.exceptions.some((e) => e.occurrenceStart === editing.occurrenceStart);
  const extra = editing && (
    <div className="shf-dialog__extra">
      {editing.shiftId !== null && (
        <Button
          variant="danger"
          data-testid="shift-delete"
          onClick={() => void run(() => api.call('shiftDelete', { id: editing.shiftId! }))}
        >
          Delete shift
        </Button>
      )}
      {occurrence && series && (
        <>
          <Button
            data-testid="shift-skip"
            onClick={() =>
              void run(() =>
                api.call('shiftSeriesException', {
                  seriesId: series.id,
                  occurrenceStart: editing.occurrenceStart!,
                  exception: { kind: 'skip', occurrenceStart: editing.occurrenceStart! },
                }),
              )
            }
          >
            Skip this occurrence
          </Button>
          {moved && (
            <Button
              onClick={() =>
                void run(() =>
                  api.call('shiftSeriesException', {
                    seriesId: series.id,
                    occurrenceStart: editing.occurrenceStart!,
                    exception: null,
                  }),
                )
              }
            >
              Put back where the rule says
            </Button>
          )}
          <Button
            variant="danger"
            onClick={() => void run(() => api.call('shiftSeriesDelete', { id: series.id }))}
          >
            Delete the series
          </Button>
        </>
      )}
    </div>
  );

  return (
    <Dialog
      title={editing ? 'Edit shift' : 'New shift'}
      description="Times are in the station's time zone."
      testId="shift-dialog"
      size="wide"
      onClose={props.onClose}
      onSubmit={save}
      submitLabel={editing ? 'Save' : 'Create'}
      submitTestId="shift-save"
      busy={busy}
      actions={extra}
    >
      <div className="shf-form">
        <Field label="Person">
          <select value={personId ?? ''} onChange={(e) => setPersonId(Number(e.target.value))}>
            {props.people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
                {p.disabled ? ' (disabled)' : ''}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Template" hint="Sets the times and the kind; the date stays.">
          <select
            value=""
            onChange={(e) => applyTemplate(e.target.value)}
            data-testid="shift-template"
          >
            <option value="">Choose…</option>
            {props.templates.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.startTime}, {Math.round(t.durationMinutes / 60)} h)
              </option>
            ))}
          </select>
        </Field>
        <Field label="Starts">
          <input
            type="datetime-local"
            value={start}
            onChange={(e) => setStart(e.target.value)}
            data-testid="shift-start"
          />
        </Field>
        <Field label="Ends">
          <input
            type="datetime-local"
            value={end}
            onChange={(e) => setEnd(e.target.value)}
            data-testid="shift-end"
          />
        </Field>
        {!editing && (
          <Field label="Repeats">
            <select
              value={repeat}
              onChange={(e) => setRepeat(e.target.value as Repeat)}
              data-testid="shift-repeat"
            >
              <option value="none">Does not repeat</option>
              <option value="daily">Every day</option>
              <option value="weekdays">Every weekday (Mon–Fri)</option>
              <option value="weekly">Every week on this day</option>
            </select>
          </Field>
        )}
        {occurrence && (
          <Field
            label="Change"
            hint="This occurrence changes alone (times, person, assignments, note); the series changes every occurrence."
          >
            <select
              value={scope}
              onChange={(e) => setScope(e.target.value as Scope)}
              data-testid="shift-scope"
            >
              <option value="occurrence">This occurrence</option>
              <option value="series">The whole series</option>
            </select>
          </Field>
        )}
        <Field label="Note">
          <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        </Field>
      </div>
      <AssignmentFields
        channels={props.channels}
        sources={props.sources}
        channelIds={assign.channelIds}
        sourceIds={assign.sourceIds}
        onChange={setAssign}
      />
      <FieldError testId="shift-error">{error}</FieldError>
    </Dialog>
  );
}
