import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { AssetSummary } from '../../../src-shared/contract';
import type { LibraryActions } from './actions';
import { formatBytes, formatResolution, timecode } from './format';
import { itemHandlers, paneKeyHandler } from './pane-interactions';
import { Poster } from './Poster';
import { RenameInput } from './RenameInput';
import { StateBadge } from './StateBadge';
import { setSort, useLibraryPrefs, useLibraryUi, type SortField } from './store';

export const LIST_ROW_HEIGHT = 44;

export type PaneProps = {
  items: AssetSummary[];
  ordered: number[];
  total: number;
  loadMore: () => void;
  actions: LibraryActions;
  emptyText: string;
};

const columns: { key: string; label: string; sort?: SortField; className: string }[] = [
  { key: 'thumb', label: '', className: 'col-thumb' },
  { key: 'name', label: 'Name', sort: 'name', className: 'col-name' },
  { key: 'duration', label: 'Duration', sort: 'durationMs', className: 'col-duration' },
  { key: 'res', label: 'Size', className: 'col-res' },
  { key: 'codec', label: 'Codec', className: 'col-codec' },
  { key: 'bytes', label: 'File', sort: 'sizeBytes', className: 'col-bytes' },
  { key: 'state', label: 'State', sort: 'state', className: 'col-state' },
];

/** The table view: one row per asset, virtualized so ten thousand rows cost the same as ten. */
export function AssetList({ items, ordered, total, loadMore, actions, emptyText }: PaneProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const selected = useLibraryUi((ui) => ui.selected);
  const focusId = useLibraryUi((ui) => ui.focusId);
  const renamingId = useLibraryUi((ui) => ui.renamingId);
  const sort = useLibraryPrefs((prefs) => prefs.sort);
  const direction = useLibraryPrefs((prefs) => prefs.direction);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LIST_ROW_HEIGHT,
    overscan: 12,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastIndex = virtualRows[virtualRows.length - 1]?.index ?? 0;

  // Rows past what is loaded are placeholders until their page arrives.
  useEffect(() => {
    if (lastIndex >= items.length - 40 && items.length < total) loadMore();
  }, [lastIndex, items.length, total, loadMore]);

  const onKeyDown = paneKeyHandler({
    ordered,
    columns: 1,
    scrollToIndex: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
    elementFor: (id) => scrollRef.current?.querySelector(`[data-asset-id="${id}"]`) ?? null,
  });

  return (
    <div
      className="asset-list"
      role="grid"
      aria-label="Assets"
      aria-rowcount={total + 1}
      aria-multiselectable="true"
    >
      <div className="asset-list__head" role="row" aria-rowindex={1}>
        {columns.map((column) => (
          <div
            key={column.key}
            role="columnheader"
            className={`asset-list__cell ${column.className}`}
            aria-sort={
              column.sort && column.sort === sort
                ? direction === 'asc'
                  ? 'ascending'
                  : 'descending'
                : undefined
            }
          >
            {column.sort ? (
              <button
                type="button"
                className="ui-table__sort"
                onClick={() => setSort(column.sort!)}
              >
                {column.label}
                {column.sort === sort && (
                  <span aria-hidden="true">{direction === 'asc' ? ' ↑' : ' ↓'}</span>
                )}
              </button>
            ) : (
              column.label
            )}
          </div>
        ))}
      </div>
      <div
        ref={scrollRef}
        className="asset-pane asset-list__scroll"
        role="rowgroup"
        tabIndex={0}
        data-testid="asset-pane"
        aria-label="Asset list, use arrow keys"
        onKeyDown={onKeyDown}
      >
        {total === 0 && (
          // A row of its own: an empty grid still has the row structure it announces.
          <div role="row" className="asset-pane__empty">
            <span role="gridcell">{emptyText}</span>
          </div>
        )}
        {/* Only positions the rows: "none" keeps them owned by the row group. */}
        <div role="none" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualRows.map((row) => {
            const asset = items[row.index];
            const style = { transform: `translateY(${row.start}px)`, height: row.size };
            if (!asset) {
              return (
                <div
                  key={`pending-${row.index}`}
                  className="asset-row asset-row--pending"
                  style={style}
                  role="row"
                  aria-rowindex={row.index + 2}
                  aria-busy="true"
                >
                  <div className="asset-list__cell col-name muted">Loading…</div>
                </div>
              );
            }
            const isSelected = selected.has(asset.id);
            return (
              <div
                key={asset.id}
                role="row"
                aria-rowindex={row.index + 2}
                aria-selected={isSelected}
                data-asset-id={asset.id}
                data-testid={`asset-row-${asset.id}`}
                className={`asset-row${isSelected ? ' is-selected' : ''}${focusId === asset.id ? ' is-focused' : ''}`}
                style={style}
                {...itemHandlers(asset, items, ordered)}
              >
                <div role="gridcell" className="asset-list__cell col-thumb">
                  <Poster asset={asset} className="poster--thumb" />
                </div>
                <div role="gridcell" className="asset-list__cell col-name" title={asset.name}>
                  {renamingId === asset.id ? (
                    <RenameInput asset={asset} actions={actions} />
                  ) : (
                    <span className="asset-row__name" data-testid={`asset-name-${asset.id}`}>
                      {asset.name}
                    </span>
                  )}
                  {asset.tags.length > 0 && (
                    <span className="asset-row__tags">
                      {asset.tags.map((tag) => (
                        <span key={tag} className="tag-chip tag-chip--small">
                          {tag}
                        </span>
                      ))}
                    </span>
                  )}
                </div>
                <div role="gridcell" className="asset-list__cell col-duration mono">
                  {asset.durationMs === null ? '—' : timecode(asset.durationMs)}
                </div>
                <div role="gridcell" className="asset-list__cell col-res mono">
                  {formatResolution(asset.width, asset.height)}
                </div>
                <div role="gridcell" className="asset-list__cell col-codec">
                  {asset.videoCodec ?? '—'}
                </div>
                <div role="gridcell" className="asset-list__cell col-bytes mono">
                  {formatBytes(asset.sizeBytes)}
                </div>
                <div role="gridcell" className="asset-list__cell col-state">
                  <StateBadge asset={asset} />
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
