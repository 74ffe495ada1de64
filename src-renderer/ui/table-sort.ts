/**
 * The sorting model of the kit's table, kept pure so it is tested without a browser. One column
 * at a time: a click sorts ascending, the next descending, the third returns to the data's own
 * order (which is often meaningful: a rundown's running order, a log's time).
 */
export type SortState = { id: string; desc: boolean }[];

export function nextSort(current: SortState, columnId: string, firstDesc = false): SortState {
  const now = current.find((s) => s.id === columnId);
  if (!now) return [{ id: columnId, desc: firstDesc }];
  if (now.desc === firstDesc) return [{ id: columnId, desc: !firstDesc }];
  return [];
}

export function ariaSort(
  current: SortState,
  columnId: string,
): 'ascending' | 'descending' | 'none' {
  const now = current.find((s) => s.id === columnId);
  return now ? (now.desc ? 'descending' : 'ascending') : 'none';
}

/** Numbers as numbers, text in the operator's language order, empty values last either way. */
export function compareValues(a: unknown, b: unknown): number {
  const emptyA = a === null || a === undefined || a === '';
  const emptyB = b === null || b === undefined || b === '';
  if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

/** Rows in the order a sort state asks for; stable, so equal rows keep their own order. */
export function sortRows<T>(
  rows: readonly T[],
  sort: SortState,
  valueOf: (row: T, columnId: string) => unknown,
): T[] {
  const first = sort[0];
  if (!first) return [...rows];
  return rows
    .map((row, index) => ({ row, index }))
    .sort((x, y) => {
      const va = valueOf(x.row, first.id);
      const vb = valueOf(y.row, first.id);
      const emptyA = va === null || va === undefined || va === '';
      const emptyB = vb === null || vb === undefined || vb === '';
      // Empty values stay at the bottom whichever way the column is sorted.
      if (emptyA !== emptyB) return emptyA ? 1 : -1;
      const c = compareValues(va, vb);
      return (first.desc ? -c : c) || x.index - y.index;
    })
    .map((x) => x.row);
}
