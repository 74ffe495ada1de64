import { useMemo, useState } from 'react';
import type {
  NoteFieldValue,
  NoteTemplate,
  NoteTemplateField,
  RecordedSource,
  ReviewJob,
} from '../../../src-shared/contract';
import { checkNoteValues } from '../../../src-shared/notes/note-values';
import { ApiError } from '../../app/api/api-client';
import { useApi } from '../../app/api/use-api';
import { CheckField, Dialog, Field, FieldError, toast } from '../../ui';

export type NoteDraft = {
  source: RecordedSource;
  /** Air time of the frame on screen when N was pressed. */
  at: number;
  range: { inAt: number; outAt: number } | null;
  /** The screenshot taken of that frame, attached to the note. */
  screenshot: ReviewJob | null;
};

type Values = Record<string, NoteFieldValue>;

/**
 * One template field's control. `id` and the aria props come from the surrounding Field (it
 * clones its child with them), so they must reach the element itself for the label to name it.
 */
function FieldControl({
  field,
  value,
  onChange,
  id,
  'aria-describedby': describedBy,
  'aria-invalid': invalid,
}: {
  field: NoteTemplateField;
  value: NoteFieldValue | undefined;
  onChange(value: NoteFieldValue): void;
  id?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}) {
  const common = {
    'data-testid': `note-field-${field.key}`,
    required: field.required,
    id,
    'aria-describedby': describedBy,
    'aria-invalid': invalid,
  };
  switch (field.kind) {
    case 'longText':
      return (
        <textarea
          {...common}
          rows={3}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'pick':
      return (
        <select
          {...common}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value)}
        >
          <option value="">— choose —</option>
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    case 'multiPick':
      return (
        <select
          {...common}
          multiple
          value={Array.isArray(value) ? value : []}
          onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))}
        >
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    case 'number':
      return (
        <input
          {...common}
          type="number"
          value={typeof value === 'number' ? value : ''}
          onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
        />
      );
    default:
      return (
        <input
          {...common}
          type="text"
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value)}
        />
      );
  }
}

/**
 * A note at the frame on screen, in one of the station's formats: the template's fields (required
 * ones marked, pick lists as lists), free text, and the screenshot of that frame attached. The
 * form is checked as the server checks it; the server's field errors show on their fields.
 */
export function NoteDialog({
  draft,
  templates,
  formatTime,
  onClose,
}: {
  draft: NoteDraft;
  templates: readonly NoteTemplate[];
  formatTime(at: number): string;
  onClose(): void;
}) {
  const api = useApi();
  const offered = useMemo(() => templates.filter((t) => t.active && !t.archived), [templates]);
  const [templateId, setTemplateId] = useState<number | null>(offered[0]?.id ?? null);
  const [values, setValues] = useState<Values>({});
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const template = offered.find((t) => t.id === templateId) ?? null;

  const submit = () => {
    const checked = template
      ? checkNoteValues(template.fields, values)
      : { values: {}, errors: [] };
    if (checked.errors.length > 0) {
      setErrors(Object.fromEntries(checked.errors.map((e) => [e.path, e.message])));
      return;
    }
    if (!template && text.trim() === '') {
      setFormError('Write something, or pick a template.');
      return;
    }
    setBusy(true);
    api
      .call('notesCreate', {
        sourceId: draft.source.id,
        kind: 'note',
        templateId: template?.id ?? null,
        at: draft.at,
        inAt: draft.range?.inAt ?? null,
        outAt: draft.range?.outAt ?? null,
        fields: checked.values,
        text: text.trim(),
        jobIds: draft.screenshot ? [draft.screenshot.id] : [],
      })
      .then(
        () => {
          toast(`Note at ${formatTime(draft.at)} saved`, 'ok', { testId: 'note-saved-toast' });
          onClose();
        },
        (error: unknown) => {
          setBusy(false);
          const fields = error instanceof ApiError ? (error.error.fields ?? []) : [];
          setErrors(Object.fromEntries(fields.map((f) => [f.path, f.message])));
          setFormError(error instanceof Error ? error.message : String(error));
        },
      );
  };

  return (
    <Dialog
      title={`Note on ${draft.source.name} at ${formatTime(draft.at)}`}
      description={
        draft.range
          ? `About ${formatTime(draft.range.inAt)}–${formatTime(draft.range.outAt)}.`
          : 'About the frame on screen.'
      }
      testId="note-dialog"
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Save note"
      submitTestId="note-save"
      busy={busy}
      size="wide"
    >
      <Field label="Template">
        <select
          data-testid="note-template"
          value={templateId ?? ''}
          onChange={(e) => {
            setTemplateId(e.target.value ? Number(e.target.value) : null);
            setErrors({});
          }}
        >
          <option value="">No template (free text)</option>
          {offered.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </Field>
      {template?.fields.map((field) =>
        field.kind === 'boolean' ? (
          <CheckField
            key={field.key}
            label={field.label}
            hint={field.hint || undefined}
            data-testid={`note-field-${field.key}`}
            checked={values[field.key] === true}
            onChange={(e) => setValues((v) => ({ ...v, [field.key]: e.target.checked }))}
          />
        ) : (
          <Field
            key={field.key}
            label={
              <>
                {field.label}
                {field.required && <span aria-hidden="true"> *</span>}
                {field.required && <span className="visually-hidden"> (required)</span>}
              </>
            }
            hint={
              field.hint || (field.kind === 'multiPick' ? 'Ctrl-click picks several.' : undefined)
            }
            error={errors[`fields.${field.key}`]}
          >
            <FieldControl
              field={field}
              value={values[field.key]}
              onChange={(value) => {
                setValues((v) => ({ ...v, [field.key]: value }));
                setErrors(({ [`fields.${field.key}`]: _dropped, ...rest }) => rest);
              }}
            />
          </Field>
        ),
      )}
      <Field label="Text" error={errors.text}>
        <textarea
          data-testid="note-text"
          rows={3}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </Field>
      <p className="review-note__attachment" data-testid="note-attachment">
        {draft.screenshot
          ? `Screenshot of ${formatTime(draft.screenshot.fromAt)} attached.`
          : 'No screenshot attached.'}
      </p>
      <FieldError>{formError}</FieldError>
    </Dialog>
  );
}
