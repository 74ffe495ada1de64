import { useState } from 'react';
import type { Person, TimeOff } from '../../../src-shared/contract';
import { errorText } from '../../app/api/api-client';
import { useApi } from '../../app/api/use-api';
import { ConfirmDialog, Dialog, Field, FieldError } from '../../ui';
import { formatSpan, fromLocalInput, toLocalInput } from './model';

/** Time off for a person (shifts in it are flagged as conflicts, not removed). */
export function TimeOffDialog(props: {
  people: readonly Person[];
  personId: number | null;
  start: number;
  end: number;
  onClose(): void;
}) {
  const api = useApi();
  const [personId, setPersonId] = useState(props.personId ?? props.people[0]?.id ?? null);
  const [start, setStart] = useState(toLocalInput(props.start));
  const [end, setEnd] = useState(toLocalInput(props.end));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    const from = fromLocalInput(start);
    const to = fromLocalInput(end);
    if (personId === null) return setError('Choose a person.');
    if (from === null || to === null || to <= from)
      return setError('Time off ends after it starts.');
    setBusy(true);
    try {
      await api.call('timeOffCreate', { personId, start: from, end: to, reason });
      props.onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title="Time off"
      description="Times are in the station's time zone."
      testId="timeoff-dialog"
      onClose={props.onClose}
      onSubmit={() => void save()}
      submitLabel="Add time off"
      busy={busy}
    >
      <Field label="Person">
        <select value={personId ?? ''} onChange={(e) => setPersonId(Number(e.target.value))}>
          {props.people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
            </option>
          ))}
        </select>
      </Field>
      <Field label="From">
        <input type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} />
      </Field>
      <Field label="Until">
        <input type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} />
      </Field>
      <Field label="Reason" hint="Optional; shown on the calendar.">
        <input value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
      </Field>
      <FieldError>{error}</FieldError>
    </Dialog>
  );
}

export function RemoveTimeOffDialog(props: { off: TimeOff; name: string; onClose(): void }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  return (
    <ConfirmDialog
      title="Remove time off?"
      confirmLabel="Remove"
      tone="danger"
      busy={busy}
      onClose={props.onClose}
      onConfirm={() => {
        setBusy(true);
        void api.call('timeOffDelete', { id: props.off.id }).finally(() => props.onClose());
      }}
    >
      {props.name}: {formatSpan(props.off.start, props.off.end)}
      {props.off.reason ? ` (${props.off.reason})` : ''}
    </ConfirmDialog>
  );
}
