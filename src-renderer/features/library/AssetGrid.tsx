import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type PointerEvent } from 'react';
import type { PaneProps } from './AssetList';
import { timecode } from './format';
import { itemHandlers, paneKeyHandler } from './pane-interactions';
import { Poster } from './Poster';
import { RenameInput } from './RenameInput';
import { StateBadge } from './StateBadge';
import { clearSelection, selectMany, useLibraryUi } from './store';

const MIN_CARD = 188;
const GAP = 12;
const PAD = 12;
const CARD_TEXT = 62;

type Band = {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  base: ReadonlySet<number>;
  moved: boolean;
};

/** Poster cards, virtualized by rows; rubber-band selection on the empty space between them. */
export function AssetGrid({ items, ordered, total, loadMore, actions, emptyText }: PaneProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [band, setBand] = useState<Band | null>(null);
  const selected = useLibraryUi((ui) => ui.selected);
  const focusId = useLibraryUi((ui) => ui.focusId);
  const renamingId = useLibraryUi((ui) => ui.renamingId);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const inner = Math.max(0, width - PAD * 2);
  const columns = Math.max(1, Math.floor((inner + GAP) / (MIN_CARD + GAP)));
  const cardWidth = columns > 0 ? (inner - GAP * (columns - 1)) / columns : MIN_CARD;
  const cardHeight = Math.round((cardWidth * 9) / 16) + CARD_TEXT;
  const rowCount = Math.ceil(total / columns);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => cardHeight + GAP,
    paddingStart: PAD,
    paddingEnd: PAD,
    overscan: 3,
  });
  useEffect(() => virtualizer.measure(), [cardHeight, virtualizer]);
  const rows = virtualizer.getVirtualItems();
  const lastRow = rows[rows.length - 1]?.index ?? 0;
  useEffect(() => {
    if ((lastRow + 1) * columns >= items.length - 40 && items.length < total) loadMore();
  }, [lastRow, columns, items.length, total, loadMore]);

  const onKeyDown = paneKeyHandler({
    ordered,
    columns,
    scrollToIndex: (index) =>
      virtualizer.scrollToIndex(Math.floor(index / columns), { align: 'auto' }),
    elementFor: (id) => scrollRef.current?.querySelector(`[data-asset-id="${id}"]`) ?? null,
  });

  // Rubber band: positions are computed from the layout, so cards scrolled out of the DOM count too.
  const toContent = (event: PointerEvent) => {
    const element = scrollRef.current!;
    const rect = element.getBoundingClientRect();
    return {
      x: event.clientX - rect.left + element.scrollLeft,
      y: event.clientY - rect.top + element.scrollTop,
    };
  };
  const idsInBand = (b: Band) => {
    const left = Math.min(b.x0, b.x1);
    const right = Math.max(b.x0, b.x1);
    const top = Math.min(b.y0, b.y1);
    const bottom = Math.max(b.y0, b.y1);
    const rowStride = cardHeight + GAP;
    const colStride = cardWidth + GAP;
    const ids: number[] = [];
    const firstRow = Math.max(0, Math.floor((top - PAD) / rowStride));
    const lastRowHit = Math.min(rowCount - 1, Math.floor((bottom - PAD) / rowStride));
    for (let r = firstRow; r <= lastRowHit; r += 1) {
      const y0 = PAD + r * rowStride;
      if (y0 > bottom || y0 + cardHeight < top) continue;
      for (let c = 0; c < columns; c += 1) {
        const x0 = PAD + c * colStride;
        if (x0 > right || x0 + cardWidth < left) continue;
        const asset = items[r * columns + c];
        if (asset) ids.push(asset.id);
      }
    }
    return ids;
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    if ((event.target as HTMLElement).closest('[data-asset-id]')) return;
    const { x, y } = toContent(event);
    const additive = event.ctrlKey || event.metaKey || event.shiftKey;
    event.currentTarget.setPointerCapture(event.pointerId);
    event.currentTarget.focus();
    setBand({
      x0: x,
      y0: y,
      x1: x,
      y1: y,
      base: additive ? useLibraryUi.getState().selected : new Set(),
      moved: false,
    });
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!band) return;
    const { x, y } = toContent(event);
    const next = {
      ...band,
      x1: x,
      y1: y,
      moved: band.moved || Math.abs(x - band.x0) + Math.abs(y - band.y0) > 4,
    };
    setBand(next);
    if (next.moved) selectMany(idsInBand(next), next.base);
    // Keep going past the edge: the view scrolls under the band.
    const element = event.currentTarget;
    const rect = element.getBoundingClientRect();
    if (event.clientY > rect.bottom - 24) element.scrollTop += 16;
    else if (event.clientY < rect.top + 24) element.scrollTop -= 16;
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    if (!band) return;
    event.currentTarget.releasePointerCapture(event.pointerId);
    if (!band.moved && band.base.size === 0) clearSelection();
    setBand(null);
  };

  return (
    <div
      ref={scrollRef}
      className="asset-pane asset-grid"
      role="grid"
      aria-label="Assets, use arrow keys"
      aria-multiselectable="true"
      aria-rowcount={rowCount}
      tabIndex={0}
      data-testid="asset-pane"
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => setBand(null)}
    >
      {total === 0 && (
        // A row of its own: an empty grid still has the row structure it announces.
        <div role="row" className="asset-pane__empty">
          <span role="gridcell">{emptyText}</span>
        </div>
      )}
      {/* Only positions the rows: "none" keeps them owned by the grid. */}
      <div role="none" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {rows.map((row) => (
          <div
            key={row.key}
            role="row"
            aria-rowindex={row.index + 1}
            className="asset-grid__row"
            style={{
              transform: `translateY(${row.start}px)`,
              gridTemplateColumns: `repeat(${columns}, ${cardWidth}px)`,
              gap: GAP,
              left: PAD,
              height: cardHeight,
            }}
          >
            {Array.from({ length: columns }, (_, c) => {
              const index = row.index * columns + c;
              if (index >= total) return null;
              const asset = items[index];
              if (!asset) {
                return (
                  <div
                    key={`pending-${index}`}
                    className="asset-card asset-card--pending"
                    role="gridcell"
                    aria-busy="true"
                  />
                );
              }
              const isSelected = selected.has(asset.id);
              return (
                <div
                  key={asset.id}
                  role="gridcell"
                  aria-selected={isSelected}
                  aria-label={asset.name}
                  data-asset-id={asset.id}
                  data-testid={`asset-card-${asset.id}`}
                  className={`asset-card${isSelected ? ' is-selected' : ''}${focusId === asset.id ? ' is-focused' : ''}`}
                  {...itemHandlers(asset, items, ordered)}
                >
                  <div className="asset-card__poster">
                    <Poster asset={asset} />
                    {asset.durationMs !== null && (
                      <span className="asset-card__duration mono">
                        {timecode(asset.durationMs)}
                      </span>
                    )}
                  </div>
                  <div className="asset-card__body">
                    {renamingId === asset.id ? (
                      <RenameInput asset={asset} actions={actions} />
                    ) : (
                      <span
                        className="asset-card__name"
                        title={asset.name}
                        data-testid={`asset-name-${asset.id}`}
                      >
                        {asset.name}
                      </span>
                    )}
                    <StateBadge asset={asset} showReason={false} />
                  </div>
                </div>
              );
            })}
          </div>
        ))}
        {band?.moved && (
          <div
            className="rubber-band"
            aria-hidden="true"
            style={{
              left: Math.min(band.x0, band.x1),
              top: Math.min(band.y0, band.y1),
              width: Math.abs(band.x1 - band.x0),
              height: Math.abs(band.y1 - band.y0),
            }}
          />
        )}
      </div>
    </div>
  );
}
