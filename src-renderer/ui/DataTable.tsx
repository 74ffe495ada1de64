import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type Row,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState, type HTMLAttributes, type ReactNode } from 'react';
import { ariaSort, nextSort, sortRows } from './table-sort';

export type { ColumnDef } from '@tanstack/react-table';

export type DataTableProps<T> = {
  data: readonly T[];
  columns: ColumnDef<T, unknown>[];
  getRowId: (row: T) => string;
  /** Names the table for screen readers. */
  label: string;
  testId?: string;
  className?: string;
  rowProps?: (row: T) => HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, unknown>;
  /** Rows above this count are virtualised (only what is on screen is in the DOM). */
  virtualizeAbove?: number;
  rowHeight?: number;
  emptyText?: ReactNode;
  initialSort?: SortingState;
  /** Columns are sortable unless a column says `enableSorting: false`; `false` here turns all off. */
  sortable?: boolean;
};

/**
 * The table of every screen: sortable headers (click or Enter; the state is announced through
 * aria-sort) and rows virtualised once there are many, inside its own scroll box.
 */
export function DataTable<T>({
  data,
  columns,
  getRowId,
  label,
  testId,
  className,
  rowProps,
  virtualizeAbove = 150,
  rowHeight = 40,
  emptyText,
  initialSort = [],
  sortable = true,
}: DataTableProps<T>) {
  const [sorting, setSorting] = useState<SortingState>(initialSort);
  const sortedData = useMemo(() => {
    if (!sortable || sorting.length === 0) return data as T[];
    const byId = new Map(columns.map((c) => [columnIdOf(c), c]));
    return sortRows(data, sorting, (row, id) => {
      const column = byId.get(id);
      if (!column) return undefined;
      if ('accessorFn' in column && column.accessorFn) return column.accessorFn(row, 0);
      if ('accessorKey' in column && column.accessorKey)
        return (row as Record<string, unknown>)[String(column.accessorKey)];
      return undefined;
    });
  }, [data, sorting, columns, sortable]);

  // eslint-disable-next-line react-hooks/incompatible-library -- the table is read during render by design
  const table = useReactTable({
    data: sortedData,
    columns,
    getRowId: (row) => getRowId(row),
    getCoreRowModel: getCoreRowModel(),
    // Sorting is ours (table-sort.ts): one tested model for every table.
    manualSorting: true,
    state: { sorting },
    onSortingChange: setSorting,
    enableSorting: sortable,
  });
  const rows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = rows.length > virtualizeAbove;
  const virtualizer = useVirtualizer({
    count: virtual ? rows.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const shown: Row<T>[] = virtual ? items.map((i) => rows[i.index]!) : rows;
  const top = virtual ? (items[0]?.start ?? 0) : 0;
  const bottom = virtual ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const span = table.getVisibleLeafColumns().length;

  return (
    <div className={`ui-table-scroll${className ? ` ${className}` : ''}`} ref={scrollRef}>
      <table className="ui-table" aria-label={label} data-testid={testId}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const canSort = sortable && header.column.getCanSort();
                const content = header.isPlaceholder
                  ? null
                  : flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={canSort ? ariaSort(sorting, header.column.id) : undefined}
                    style={
                      header.column.columnDef.size !== 150
                        ? { width: header.column.columnDef.size }
                        : undefined
                    }
                  >
                    {canSort ? (
                      <button
                        type="button"
                        className="ui-table__sort"
                        onClick={() => setSorting((s) => nextSort(s, header.column.id))}
                      >
                        {content}
                        <span className="ui-table__sort-mark" aria-hidden="true">
                          {ariaSort(sorting, header.column.id) === 'ascending'
                            ? '▲'
                            : ariaSort(sorting, header.column.id) === 'descending'
                              ? '▼'
                              : '↕'}
                        </span>
                      </button>
                    ) : (
                      content
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {top > 0 && (
            <tr aria-hidden="true" style={{ height: top }}>
              <td colSpan={span} />
            </tr>
          )}
          {shown.map((row) => (
            <tr key={row.id} {...rowProps?.(row.original)}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className={cellClass(cell.column.columnDef.meta)}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
          {bottom > 0 && (
            <tr aria-hidden="true" style={{ height: bottom }}>
              <td colSpan={span} />
            </tr>
          )}
          {rows.length === 0 && emptyText && (
            <tr>
              <td colSpan={span} className="ui-table__empty">
                {emptyText}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function columnIdOf<T>(column: ColumnDef<T, unknown>): string {
  if (column.id) return column.id;
  if ('accessorKey' in column && column.accessorKey) return String(column.accessorKey);
  return typeof column.header === 'string' ? column.header : '';
}

function cellClass(meta: unknown): string | undefined {
  if (meta && typeof meta === 'object' && 'className' in meta) {
    const value = (meta as { className?: unknown }).className;
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}
