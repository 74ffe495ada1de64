import { useState } from 'react';
import { Dialog, Field } from '../../ui';

/** Lengths an operator reaches for; any whole number of seconds from 1 to 3600 is allowed. */
const PRESETS = [30, 60, 90, 120, 180];

/** Ask for an ad break's length (and an optional title) to air from the next boundary. */
export function BreakDialog({
  channelName,
  onBreak,
  onClose,
}: {
  channelName: string;
  onBreak: (durationMs: number, title: string | null) => void;
  onClose: () => void;
}) {
  const [seconds, setSeconds] = useState('60');
  const [title, setTitle] = useState('');
  const value = Number(seconds);
  const valid = Number.isInteger(value) && value >= 1 && value <= 3600;
  return (
    <Dialog
      title={`Break now on ${channelName}`}
      testId="break-dialog"
      submitLabel="Break now"
      submitTestId="break-confirm"
      submitDisabled={!valid}
      onSubmit={() => valid && onBreak(value * 1000, title.trim() || null)}
      onClose={onClose}
    >
      <p className="muted">
        Slate from the next segment boundary, announced on the outputs with SCTE-35 markers; the
        interrupted programme resumes after it and later items are pushed.
      </p>
      <Field
        label="Length (seconds)"
        hint={`Presets: ${PRESETS.join(', ')} s`}
        error={valid ? undefined : 'A whole number of seconds from 1 to 3600.'}
      >
        <input
          type="number"
          min={1}
          max={3600}
          step={1}
          list="break-presets"
          data-testid="break-seconds"
          value={seconds}
          onChange={(event) => setSeconds(event.target.value)}
        />
      </Field>
      <datalist id="break-presets">
        {PRESETS.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <Field label="Title (optional)">
        <input
          type="text"
          maxLength={200}
          data-testid="break-title"
          value={title}
          onChange={(event) => setTitle(event.target.value)}
        />
      </Field>
    </Dialog>
  );
}
