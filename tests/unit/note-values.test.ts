import { describe, expect, it } from 'vitest';
import type { NoteTemplateField } from '../../src-shared/contract';
import {
  checkNoteValues,
  noteCharacters,
  searchableFieldText,
} from '../../src-shared/notes/note-values';
import { holdRanges } from '../../src-main/core/notes/notes-feature';

const field = (f: Partial<NoteTemplateField> & Pick<NoteTemplateField, 'key' | 'kind'>) =>
  ({ label: f.key, required: false, options: [], hint: '', ...f }) as NoteTemplateField;
const fields = [
  field({ key: 'brand', kind: 'text', required: true }),
  field({ key: 'body', kind: 'longText' }),
  field({ key: 'sentiment', kind: 'pick', options: ['Good', 'Bad'] }),
  field({ key: 'tags', kind: 'multiPick', options: ['a', 'b', 'c'] }),
  field({ key: 'count', kind: 'number' }),
  field({ key: 'ok', kind: 'boolean', required: true }),
];

describe('note values against their template', () => {
  it('keeps good values in the template’s spelling and order, drops empty ones', () => {
    expect(
      checkNoteValues(fields, {
        brand: '  Acme ',
        body: '',
        sentiment: 'good',
        tags: ['c', 'A', 'c'],
        count: 0,
        ok: false,
      }),
    ).toEqual({
      values: { brand: 'Acme', sentiment: 'Good', tags: ['a', 'c'], count: 0, ok: false },
      errors: [],
    });
  });

  it('reports every problem with its path', () => {
    const { errors } = checkNoteValues(fields, {
      brand: 'two\nlines',
      sentiment: 'Meh',
      tags: ['d'],
      count: '3',
      unknown: 'x',
    });
    expect(errors.map((e) => e.path)).toEqual([
      'fields.unknown',
      'fields.brand',
      'fields.sentiment',
      'fields.tags',
      'fields.count',
      'fields.ok',
    ]);
    expect(errors.at(-1)!.message).toBe('ok is required');
    expect(checkNoteValues(fields, { brand: '   ', ok: true }).errors).toEqual([
      { path: 'fields.brand', message: 'brand is required' },
    ]);
  });

  it('indexes text and picks, and counts only typed characters', () => {
    const values = { brand: 'Acme', body: 'long words', sentiment: 'Good', tags: ['a', 'b'] };
    expect(searchableFieldText(fields, { ...values, gone: 'kept' })).toBe(
      'Acme\nlong words\nGood\na, b\nkept',
    );
    expect(noteCharacters(fields, 'free', values)).toBe(4 + 4 + 10);
  });

  it('merges the ranges a note holds', () => {
    expect(
      holdRanges([
        { from: 50, to: 60 },
        { from: 10, to: 20 },
        { from: 15, to: 30 },
        { from: 30, to: 31 },
      ]),
    ).toEqual([
      { from: 10, to: 31 },
      { from: 50, to: 60 },
    ]);
  });
});
