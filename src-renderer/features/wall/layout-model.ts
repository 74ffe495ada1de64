import { WALL_MAX_SIDE, type WallCell, type WallLayout } from '../../../src-shared/contract';

/** A layout being shown or edited: saved ones have an id, the automatic one has none. */
export type DraftLayout = {
  id: number | null;
  name: string;
  cols: number;
  rows: number;
  cells: WallCell[];
};

export type WallSource =
  { kind: 'channel'; id: number; name: string } | { kind: 'stream'; id: number; name: string };

export const EMPTY_CELL: WallCell = { kind: 'empty' };

export function cellKey(cell: WallCell): string {
  if (cell.kind === 'channel') return `channel:${cell.channelId}`;
  if (cell.kind === 'stream') return `stream:${cell.sourceId}`;
  return 'empty';
}

export function cellOf(source: WallSource): WallCell {
  return source.kind === 'channel'
    ? { kind: 'channel', channelId: source.id }
    : { kind: 'stream', sourceId: source.id };
}

/** Smallest square preset that holds `count` tiles (1 … 5 per side). */
export function squareSideFor(count: number): number {
  return Math.min(5, Math.max(1, Math.ceil(Math.sqrt(count))));
}

/**
 * The layout shown when none is chosen: every source in order (channels first) in the smallest
 * square that holds them, up to 5 × 5.
 */
export function automaticLayout(sources: readonly WallSource[]): DraftLayout {
  const side = squareSideFor(sources.length);
  return {
    id: null,
    name: 'All sources',
    cols: side,
    rows: side,
    cells: fillCells(side * side, sources.map(cellOf)),
  };
}

function fillCells(size: number, cells: readonly WallCell[]): WallCell[] {
  const out = cells.slice(0, size);
  while (out.length < size) out.push(EMPTY_CELL);
  return out;
}

/**
 * A new grid size keeps each tile where it was (same row and column) as far as it fits; tiles
 * that fall outside move into the first free cells, so shrinking loses only what has no room.
 */
export function resizeLayout(layout: DraftLayout, cols: number, rows: number): DraftLayout {
  const c = clampSide(cols);
  const r = clampSide(rows);
  const cells: WallCell[] = Array.from({ length: c * r }, () => EMPTY_CELL);
  const overflow: WallCell[] = [];
  layout.cells.forEach((cell, index) => {
    if (cell.kind === 'empty') return;
    const row = Math.floor(index / layout.cols);
    const col = index % layout.cols;
    if (row < r && col < c) cells[row * c + col] = cell;
    else overflow.push(cell);
  });
  for (const cell of overflow) {
    const free = cells.findIndex((x) => x.kind === 'empty');
    if (free === -1) break;
    cells[free] = cell;
  }
  return { ...layout, cols: c, rows: r, cells };
}

function clampSide(n: number): number {
  return Math.min(WALL_MAX_SIDE, Math.max(1, Math.round(n)));
}

/** Puts a source in a cell; if it was already on the wall elsewhere, the two cells swap. */
export function assignCell(layout: DraftLayout, index: number, cell: WallCell): DraftLayout {
  if (index < 0 || index >= layout.cells.length) return layout;
  const cells = [...layout.cells];
  const key = cellKey(cell);
  const previous = cell.kind === 'empty' ? -1 : cells.findIndex((x) => cellKey(x) === key);
  if (previous !== -1 && previous !== index) cells[previous] = cells[index] ?? EMPTY_CELL;
  cells[index] = cell;
  return { ...layout, cells };
}

/** Drag a tile onto another: they swap places. */
export function swapCells(layout: DraftLayout, from: number, to: number): DraftLayout {
  const size = layout.cells.length;
  if (from === to || from < 0 || to < 0 || from >= size || to >= size) return layout;
  const cells = [...layout.cells];
  [cells[from], cells[to]] = [cells[to]!, cells[from]!];
  return { ...layout, cells };
}

export function fromSaved(layout: WallLayout): DraftLayout {
  return {
    id: layout.id,
    name: layout.name,
    cols: layout.cols,
    rows: layout.rows,
    cells: layout.cells,
  };
}

export function sameLayout(a: DraftLayout, b: DraftLayout): boolean {
  return (
    a.name === b.name &&
    a.cols === b.cols &&
    a.rows === b.rows &&
    a.cells.length === b.cells.length &&
    a.cells.every((cell, i) => cellKey(cell) === cellKey(b.cells[i]!))
  );
}
