import { describe, expect, it } from 'vitest';
import { ariaSort, compareValues, nextSort, sortRows } from '../../src-renderer/ui/table-sort';

describe('nextSort', () => {
  it('cycles ascending, descending, the data’s own order', () => {
    const a = nextSort([], 'name');
    expect(a).toEqual([{ id: 'name', desc: false }]);
    const b = nextSort(a, 'name');
    expect(b).toEqual([{ id: 'name', desc: true }]);
    expect(nextSort(b, 'name')).toEqual([]);
  });

  it('starts a new column from its first direction', () => {
    expect(nextSort([{ id: 'name', desc: true }], 'size')).toEqual([{ id: 'size', desc: false }]);
    expect(nextSort([], 'at', true)).toEqual([{ id: 'at', desc: true }]);
    expect(nextSort([{ id: 'at', desc: true }], 'at', true)).toEqual([{ id: 'at', desc: false }]);
  });

  it('says the state as aria-sort does', () => {
    expect(ariaSort([{ id: 'a', desc: false }], 'a')).toBe('ascending');
    expect(ariaSort([{ id: 'a', desc: true }], 'a')).toBe('descending');
    expect(ariaSort([{ id: 'a', desc: true }], 'b')).toBe('none');
  });
});

describe('sortRows', () => {
  const rows = [
    { name: 'Item 10', n: 3 },
    { name: 'item 2', n: null },
    { name: 'Item 1', n: 1 },
    { name: '', n: 3 },
  ];
  const value = (row: (typeof rows)[number], id: string) => (id === 'name' ? row.name : row.n);

  it('orders text naturally and without case', () => {
    expect(sortRows(rows, [{ id: 'name', desc: false }], value).map((r) => r.name)).toEqual([
      'Item 1',
      'item 2',
      'Item 10',
      '',
    ]);
  });

  it('keeps empty values last in both directions and equal rows in their order', () => {
    expect(sortRows(rows, [{ id: 'n', desc: true }], value).map((r) => r.name)).toEqual([
      'Item 10',
      '',
      'Item 1',
      'item 2',
    ]);
    expect(sortRows(rows, [{ id: 'n', desc: false }], value).map((r) => r.n)).toEqual([
      1,
      3,
      3,
      null,
    ]);
  });

  it('leaves the rows alone without a sort', () => {
    expect(sortRows(rows, [], value)).toEqual(rows);
  });

  it('compares numbers as numbers', () => {
    expect(compareValues(9, 10)).toBeLessThan(0);
    expect(compareValues('9', '10')).toBeLessThan(0);
  });
});
