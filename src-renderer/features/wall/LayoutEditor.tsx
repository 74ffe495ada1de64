import { useState } from 'react';
import { WALL_MAX_SIDE } from '../../../src-shared/contract';
import {
  assignCell,
  cellKey,
  cellOf,
  EMPTY_CELL,
  resizeLayout,
  swapCells,
  type DraftLayout,
  type WallSource,
} from './layout-model';
import { setDraft } from './store';

const sourceKey = (s: WallSource) => `${s.kind}:${s.id}`;

const SOURCE_GROUPS: { kind: WallSource['kind']; label: string }[] = [
  { kind: 'channel', label: 'Channels' },
  { kind: 'stream', label: 'Outside streams' },
];

/**
 * Custom layout: the grid size, and for each cell the source it shows (pick from the list, or
 * drag a cell onto another to swap them).
 */
export function LayoutEditor({ draft, sources }: { draft: DraftLayout; sources: WallSource[] }) {
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const byKey = new Map(sources.map((s) => [sourceKey(s), s]));
  const sides = Array.from({ length: WALL_MAX_SIDE }, (_, i) => i + 1);

  return (
    <div className="wall-editor" data-testid="wall-editor">
      <div className="wall-editor__size">
        <label className="field wall-field">
          <span>Columns</span>
          <select
            value={draft.cols}
            data-testid="wall-cols"
            onChange={(e) => setDraft(resizeLayout(draft, Number(e.target.value), draft.rows))}
          >
            {sides.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="field wall-field">
          <span>Rows</span>
          <select
            value={draft.rows}
            data-testid="wall-rows"
            onChange={(e) => setDraft(resizeLayout(draft, draft.cols, Number(e.target.value)))}
          >
            {sides.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ol
        className="wall-editor__grid"
        style={{ gridTemplateColumns: `repeat(${draft.cols}, 1fr)` }}
        aria-label="Cells"
      >
        {draft.cells.map((cell, index) => {
          const key = cellKey(cell);
          const known = cell.kind === 'empty' || byKey.has(key);
          return (
            <li
              key={index}
              className={`wall-editor__cell${dragFrom === index ? ' wall-editor__cell--dragging' : ''}`}
              data-testid="wall-editor-cell"
              draggable={cell.kind !== 'empty'}
              onDragStart={(e) => {
                setDragFrom(index);
                e.dataTransfer.effectAllowed = 'move';
              }}
              onDragEnd={() => setDragFrom(null)}
              onDragOver={(e) => {
                if (dragFrom !== null) e.preventDefault();
              }}
              onDrop={(e) => {
                e.preventDefault();
                if (dragFrom !== null) setDraft(swapCells(draft, dragFrom, index));
                setDragFrom(null);
              }}
            >
              <span className="wall-editor__index">{index + 1}</span>
              <select
                value={key}
                aria-label={`Cell ${index + 1}`}
                onChange={(e) => {
                  const source = byKey.get(e.target.value);
                  setDraft(assignCell(draft, index, source ? cellOf(source) : EMPTY_CELL));
                }}
              >
                <option value="empty">— empty —</option>
                {!known && <option value={key}>(removed source)</option>}
                {SOURCE_GROUPS.map(({ kind, label }) => (
                  <optgroup key={kind} label={label}>
                    {sources
                      .filter((s) => s.kind === kind)
                      .map((s) => (
                        <option key={sourceKey(s)} value={sourceKey(s)}>
                          {s.name}
                        </option>
                      ))}
                  </optgroup>
                ))}
              </select>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
