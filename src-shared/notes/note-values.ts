// A note's template values, checked against the template: pure, so the desk can check a form
// as it is typed and the server checks the same way before it stores anything.
import {
  NOTE_LONG_TEXT_MAX,
  NOTE_TEXT_MAX,
  type NoteFieldValue,
  type NoteTemplateField,
} from '../contract/notes';
import type { FieldError } from '../contract/errors';

export type CheckedValues = {
  /** The values to store: trimmed, empty ones dropped, only the template's keys. */
  values: Record<string, NoteFieldValue>;
  errors: FieldError[];
};

const isEmpty = (value: NoteFieldValue | undefined) =>
  value === undefined ||
  value === null ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

/** Matches a pick-list value to its option regardless of case; the option's spelling is kept. */
function option(field: NoteTemplateField, value: string): string | undefined {
  const wanted = value.trim().toLowerCase();
  return field.options.find((o) => o.toLowerCase() === wanted);
}

function checkOne(
  field: NoteTemplateField,
  value: NoteFieldValue,
): { value: NoteFieldValue } | { error: string } {
  switch (field.kind) {
    case 'text':
    case 'longText': {
      if (typeof value !== 'string') return { error: 'must be text' };
      const max = field.kind === 'text' ? NOTE_TEXT_MAX : NOTE_LONG_TEXT_MAX;
      const trimmed = value.trim();
      if (trimmed.length > max) return { error: `at most ${max} characters` };
      if (field.kind === 'text' && /[\r\n]/.test(trimmed)) return { error: 'one line only' };
      return { value: trimmed };
    }
    case 'pick': {
      if (typeof value !== 'string') return { error: 'must be one of the options' };
      const picked = option(field, value);
      return picked === undefined
        ? { error: `"${value.slice(0, 60)}" is not one of the options` }
        : { value: picked };
    }
    case 'multiPick': {
      const list = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(list)) return { error: 'must be a list of options' };
      const picked: string[] = [];
      for (const item of list) {
        const match = option(field, item);
        if (match === undefined)
          return { error: `"${item.slice(0, 60)}" is not one of the options` };
        if (!picked.includes(match)) picked.push(match);
      }
      // Stored in the template's order, so two notes with the same picks compare equal.
      return { value: field.options.filter((o) => picked.includes(o)) };
    }
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? { value }
        : { error: 'must be a number' };
    case 'boolean':
      return typeof value === 'boolean' ? { value } : { error: 'must be yes or no' };
  }
}

/** Checks `values` against the template's fields; errors carry paths like `fields.brand`. */
export function checkNoteValues(
  fields: readonly NoteTemplateField[],
  values: Readonly<Record<string, NoteFieldValue>>,
): CheckedValues {
  const errors: FieldError[] = [];
  const out: Record<string, NoteFieldValue> = {};
  const known = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(values))
    if (!known.has(key))
      errors.push({ path: `fields.${key}`, message: 'the template has no such field' });
  for (const field of fields) {
    const value = values[field.key];
    // A boolean false is a value: "no" is an answer, not a missing one.
    if (isEmpty(value)) {
      if (field.required)
        errors.push({ path: `fields.${field.key}`, message: `${field.label} is required` });
      continue;
    }
    const checked = checkOne(field, value as NoteFieldValue);
    if ('error' in checked)
      errors.push({ path: `fields.${field.key}`, message: `${field.label}: ${checked.error}` });
    else if (!isEmpty(checked.value)) out[field.key] = checked.value;
    else if (field.required)
      errors.push({ path: `fields.${field.key}`, message: `${field.label} is required` });
  }
  return { values: out, errors };
}

/** The words of a note's values the full-text index holds (text and picks, not numbers). */
export function searchableFieldText(
  fields: readonly NoteTemplateField[],
  values: Readonly<Record<string, NoteFieldValue>>,
): string {
  const parts: string[] = [];
  for (const field of fields) {
    const value = values[field.key];
    if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) parts.push(value.join(', '));
  }
  // Values of fields the template no longer has are still the note's words.
  const known = new Set(fields.map((f) => f.key));
  for (const [key, value] of Object.entries(values))
    if (!known.has(key) && (typeof value === 'string' || Array.isArray(value)))
      parts.push(Array.isArray(value) ? value.join(', ') : value);
  return parts.join('\n');
}

/** Characters typed for a note: its free text and its text fields (not picks: they are chosen). */
export function noteCharacters(
  fields: readonly NoteTemplateField[],
  text: string,
  values: Readonly<Record<string, NoteFieldValue>>,
): number {
  let n = text.length;
  for (const field of fields) {
    const value = values[field.key];
    if ((field.kind === 'text' || field.kind === 'longText') && typeof value === 'string')
      n += value.length;
  }
  return n;
}
