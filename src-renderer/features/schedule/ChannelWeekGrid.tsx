import { useVirtualizer } from '@tanstack/react-virtual';
import { DateTime } from 'luxon';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type MouseEvent as ReactMouseEvent,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import type { Channel, ScheduleItem } from '../../../src-shared/contract';
import { useClockStore } from '../clock/store';
import type { ScheduleActions } from './actions';
import {
  DRAG_THRESHOLD_PX,
  EMPTY_LANE,
  GRID_SPAN_MS,
  buildLanes,
  dragOutcome,
  hourLabelStep,
  laneWindow,
  roundToMinute,
  type ChannelLane,
  type GridDrag,
} from './grid-model';
import { categoryColour, channelLabel, itemProblem, itemTitle, type GapEvent } from './model';
import { openDialog, selectItem, setDate, setDragging, setView, useScheduleUi } from './store';
import { formatClock, formatLength, stationDay } from './time';

const LABEL_W = 148;
const ROW_H = 36;
const HEADER_H = 44;
const HOUR_MS = 3_600_000;
/** An item this wide shows its title; narrower ones are coloured bars (the tooltip names them). */
const TITLE_MIN_PX = 28;
/** An item this wide gets grab handles on both edges for trimming. */
const HANDLES_MIN_PX = 18;

const problemText = {
  missing: 'Media missing',
  failed: 'Media failed',
  not_ready: 'Media not ready',
} as const;

type Props = {
  zone: string;
  from: number;
  to: number;
  /** The picked day: a zoomed-in grid scrolls to it. */
  date: number;
  zoom: 1 | 2 | 3;
  channels: Channel[];
  items: readonly ScheduleItem[];
  gaps: GapEvent[];
  selected: ReadonlySet<number>;
  itemsById: ReadonlyMap<number, ScheduleItem>;
  lockBefore: number;
  focusAt: number | null;
  now: () => number;
  actions: ScheduleActions;
};

type RowProps = {
  label: string;
  channelId: number;
  lane: ChannelLane;
  gaps: readonly GapEvent[];
  from: number;
  to: number;
  pxPerMs: number;
  winFrom: number;
  winTo: number;
  /** Ids selected in this row, comma-joined, so a selection elsewhere leaves the row alone. */
  selectedKey: string;
  /** The lock horizon clamped to the shown week (constant while it lies outside it). */
  lockAt: number;
  top: number;
  width: number;
};

const colourCache = new Map<string | null, string>();
function colourOf(category: string | null): string {
  let colour = colourCache.get(category);
  if (colour === undefined) {
    colour = categoryColour(category);
    colourCache.set(category, colour);
  }
  return colour;
}

/**
 * One channel over the week: a sticky label and one absolutely placed element per item in the
 * scrolled-into-view window. Memoised so a selection or drag in another row costs nothing here.
 */
const GridRow = memo(function GridRow({
  label,
  channelId,
  lane,
  gaps,
  from,
  to,
  pxPerMs,
  winFrom,
  winTo,
  selectedKey,
  lockAt,
  top,
  width,
}: RowProps) {
  const selected = useMemo(
    () => new Set(selectedKey ? selectedKey.split(',').map(Number) : []),
    [selectedKey],
  );
  const [first, last] = laneWindow(lane, winFrom, winTo);
  const cells = [];
  for (let i = first; i < last; i++) {
    const item = lane.items[i]!;
    if (item.endsAt <= winFrom) continue;
    const left = (Math.max(item.startsAt, from) - from) * pxPerMs;
    const w = Math.max(1, (Math.min(item.endsAt, to) - from) * pxPerMs - left);
    const locked = item.startsAt < lockAt;
    const problem = itemProblem(item);
    let className = 'sch-gitem';
    if (locked) className += ' is-locked';
    if (selected.has(item.id)) className += ' is-selected';
    if (problem) className += ' has-problem';
    if (item.kind === 'break') className += ' is-break';
    cells.push(
      <div
        key={item.id}
        className={className}
        style={{ left, width: w, backgroundColor: colourOf(item.category) }}
        data-testid={`event-${item.id}`}
        data-item-id={item.id}
        data-starts-at={item.startsAt}
        data-ends-at={item.endsAt}
      >
        {problem && (
          <span
            className="sch-badge sch-gitem__badge"
            data-problem={problem}
            data-testid={`event-badge-${item.id}`}
          >
            {w >= TITLE_MIN_PX
              ? problem === 'not_ready'
                ? (item.asset?.state ?? 'not ready')
                : problem
              : ''}
          </span>
        )}
        {w >= TITLE_MIN_PX && <span className="sch-gitem__title">{itemTitle(item)}</span>}
        {!locked && w >= HANDLES_MIN_PX && (
          <>
            <span className="sch-gitem__edge is-start" data-edge="start" />
            <span className="sch-gitem__edge is-end" data-edge="end" />
          </>
        )}
      </div>,
    );
  }
  return (
    <div
      className="sch-grid__row"
      style={{ top, height: ROW_H, width }}
      data-testid={`grid-row-${channelId}`}
      data-row-channel={channelId}
    >
      <div className="sch-grid__label" title={label}>
        {label}
      </div>
      <div className="sch-grid__lane">
        {gaps.map((gap) => {
          const start = gap.start.getTime();
          const end = gap.end.getTime();
          if (end <= winFrom || start >= winTo) return null;
          const left = (start - from) * pxPerMs;
          const w = Math.max(2, (end - start) * pxPerMs);
          return (
            <div
              key={gap.id}
              className="sch-ggap"
              style={{ left, width: w }}
              data-testid={`gap-${gap.channelId}-${gap.startsAt}`}
              data-gap-channel={gap.channelId}
              data-gap-start={gap.startsAt}
              data-duration-ms={gap.durationMs}
              title={`Gap of ${formatLength(gap.durationMs)} — click to fill`}
            >
              {w >= 56 && (
                <span className="sch-gap__label">Gap {formatLength(gap.durationMs)}</span>
              )}
            </div>
          );
        })}
        {cells}
      </div>
    </div>
  );
});

function itemTooltip(item: ScheduleItem): string {
  const problem = itemProblem(item);
  return `${itemTitle(item)}\n${formatClock(item.startsAt)} – ${formatClock(item.endsAt)} (${formatLength(item.endsAt - item.startsAt)})${problem ? `\n${problemText[problem]}` : ''}`;
}

/**
 * Every enabled channel over one week, broadcast-EPG style: channels as rows, time running
 * left to right. Only the rows and hours scrolled into view are in the DOM, so the week of a
 * whole station opens as fast as one day; items move (also across channels), trim and undo
 * through the same actions as the calendar views.
 */
export const ChannelWeekGrid = memo(function ChannelWeekGrid({
  zone,
  from,
  to,
  date,
  zoom,
  channels,
  items,
  gaps,
  selected,
  itemsById,
  lockBefore,
  focusAt,
  now,
  actions,
}: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rowsRef = useRef<HTMLDivElement>(null);
  const [viewportW, setViewportW] = useState(0);
  const [drag, setDrag] = useState<GridDrag | null>(null);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    setViewportW(el.clientWidth);
    const observer = new ResizeObserver(() => setViewportW(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const spanMs = zoom === 1 ? to - from : GRID_SPAN_MS[zoom];
  const pxPerMs = viewportW > LABEL_W ? (viewportW - LABEL_W) / spanMs : 0;
  const timelineW = Math.ceil((to - from) * pxPerMs);
  const canvasW = LABEL_W + timelineW;
  const hourPx = HOUR_MS * pxPerMs;
  const hourCount = Math.ceil((to - from) / HOUR_MS);

  const channelIds = useMemo(() => channels.map((c) => c.id), [channels]);
  const lanes = useMemo(() => buildLanes(items, channelIds), [items, channelIds]);
  const gapsByChannel = useMemo(() => {
    const map = new Map<number, GapEvent[]>();
    for (const gap of gaps) {
      const list = map.get(gap.channelId);
      if (list) list.push(gap);
      else map.set(gap.channelId, [gap]);
    }
    return map;
  }, [gaps]);
  const selectedByChannel = useMemo(() => {
    const map = new Map<number, number[]>();
    for (const id of selected) {
      const item = itemsById.get(id);
      if (!item) continue;
      const list = map.get(item.channelId);
      if (list) list.push(id);
      else map.set(item.channelId, [id]);
    }
    return map;
  }, [selected, itemsById]);

  const rows = useVirtualizer({
    count: channels.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    scrollMargin: HEADER_H,
    overscan: 4,
  });
  const hours = useVirtualizer({
    horizontal: true,
    count: pxPerMs ? hourCount : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => hourPx,
    scrollMargin: LABEL_W,
    // Half a screen either side, so a short scroll shows items already drawn.
    overscan: Math.ceil(spanMs / HOUR_MS / 2),
  });
  useEffect(() => hours.measure(), [hours, hourPx]);

  // The window of time drawn: the hours in view (whole hours, so scrolling re-renders rows
  // only when an hour enters or leaves).
  const visibleHours = hours.getVirtualItems();
  const winFrom = visibleHours.length ? from + visibleHours[0]!.index * HOUR_MS : from;
  const winTo = visibleHours.length ? from + (visibleHours.at(-1)!.index + 1) * HOUR_MS : from;

  // A zoomed-in grid opens on the focused instant, else on now when it is in this week, else
  // on the start of the picked day.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || !pxPerMs || zoom === 1) return;
    const current = now();
    const target =
      focusAt !== null && focusAt >= from && focusAt < to
        ? focusAt - HOUR_MS
        : current >= from && current < to
          ? current - HOUR_MS
          : stationDay(date).from;
    el.scrollLeft = Math.max(0, (target - from) * pxPerMs);
    // Re-scroll on a jump, a new day, week or zoom, not on every resize or clock move.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusAt, from, date, zoom, pxPerMs > 0]);

  const days = useMemo(() => {
    const out: { start: number; end: number; label: string }[] = [];
    let day = DateTime.fromMillis(from);
    while (day.toMillis() < to) {
      const next = day.plus({ days: 1 });
      out.push({ start: day.toMillis(), end: next.toMillis(), label: day.toFormat('ccc dd LLL') });
      day = next;
    }
    return out;
    // zone: luxon's default zone is the station zone; a new zone means new day boundaries.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [from, to, zone]);

  const minute = useClockStore((s) => (s.coreNow === null ? null : Math.floor(s.coreNow / 60_000)));
  const nowAt = minute === null ? now() : minute * 60_000;
  const lockAt = Math.min(Math.max(lockBefore, from), to);

  const rowAt = useCallback(
    (clientY: number) => {
      const rect = rowsRef.current!.getBoundingClientRect();
      const index = Math.floor((clientY - rect.top) / ROW_H);
      return Math.min(Math.max(index, 0), channels.length - 1);
    },
    [channels.length],
  );
  const timeAt = useCallback(
    (clientX: number) => {
      const rect = rowsRef.current!.getBoundingClientRect();
      return from + (clientX - rect.left - LABEL_W) / pxPerMs;
    },
    [from, pxPerMs],
  );

  const selectionFor = useCallback(
    (item: ScheduleItem): ScheduleItem[] => {
      if (!selected.has(item.id)) return [item];
      const picked = [...selected].flatMap((id) => {
        const held = itemsById.get(id);
        return held ? [held] : [];
      });
      return picked.length ? picked : [item];
    },
    [selected, itemsById],
  );

  const commit = useCallback(
    (item: ScheduleItem, done: GridDrag) => {
      const delta = roundToMinute(done.deltaMs);
      if (done.mode === 'move') {
        const targetId = channels[done.row]?.id;
        const target = targetId !== undefined && targetId !== item.channelId ? targetId : undefined;
        if (delta === 0 && target === undefined) return;
        void actions.move(selectionFor(item), delta, target);
        return;
      }
      if (delta === 0) return;
      const { start, end } = dragOutcome(item, done);
      if (end - start < 1000) return;
      void actions.trim(item, start, end);
    },
    [actions, channels, selectionFor],
  );

  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    const target = event.target as HTMLElement;
    const cell = target.closest<HTMLElement>('[data-item-id]');
    if (!cell) return;
    const item = itemsById.get(Number(cell.dataset.itemId));
    if (!item) return;
    event.preventDefault();
    const editable = item.startsAt >= lockBefore && pxPerMs > 0;
    const mode = (target.dataset.edge as 'start' | 'end' | undefined) ?? 'move';
    const originX = event.clientX;
    const originY = event.clientY;
    const additive = event.ctrlKey || event.metaKey || event.shiftKey;
    const ownRow = channelIds.indexOf(item.channelId);
    let current: GridDrag | null = null;
    const onMove = (move: PointerEvent) => {
      const dx = move.clientX - originX;
      if (!current && Math.hypot(dx, move.clientY - originY) < DRAG_THRESHOLD_PX) return;
      if (!editable) return;
      current = {
        itemId: item.id,
        mode,
        deltaMs: dx / pxPerMs,
        row: mode === 'move' ? rowAt(move.clientY) : ownRow,
      };
      setDrag(current);
    };
    const stop = () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      window.removeEventListener('pointercancel', stop);
      setDrag(null);
    };
    const onUp = () => {
      stop();
      if (current) commit(item, current);
      else selectItem(item.id, additive);
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    // A cancelled pointer (touch taken over, window lost) drops the drag without an edit.
    window.addEventListener('pointercancel', stop);
  };

  const onClick = (event: ReactMouseEvent<HTMLDivElement>) => {
    const gap = (event.target as HTMLElement).closest<HTMLElement>('[data-gap-start]');
    if (!gap) return;
    const startsAt = Number(gap.dataset.gapStart);
    openDialog({
      kind: 'fill',
      channelId: Number(gap.dataset.gapChannel),
      from: startsAt,
      to: startsAt + Number(gap.dataset.durationMs),
      gap: true,
    });
  };

  // Tooltips are built on hover: formatting 8,400 of them up front would cost more than the
  // whole first paint.
  const onMouseOver = (event: ReactMouseEvent<HTMLDivElement>) => {
    const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-item-id]');
    if (!cell || cell.title) return;
    const item = itemsById.get(Number(cell.dataset.itemId));
    if (item) cell.title = itemTooltip(item);
  };

  const onDragOver = (event: DragEvent<HTMLDivElement>) => {
    if (!useScheduleUi.getState().dragging) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    const asset = useScheduleUi.getState().dragging;
    if (!asset || !pxPerMs) return;
    event.preventDefault();
    setDragging(null);
    const channel = channels[rowAt(event.clientY)];
    if (!channel) return;
    void actions.addAsset(channel.id, asset.assetId, roundToMinute(timeAt(event.clientX)));
  };

  const dragged = drag ? itemsById.get(drag.itemId) : undefined;
  const ghost = drag && dragged ? dragOutcome(dragged, drag) : null;
  const rowsH = channels.length * ROW_H;
  const step = hourLabelStep(hourPx);

  return (
    <div className="sch-grid" data-testid="channel-grid" data-zoom={zoom} data-zone={zone}>
      <div className="sch-grid__scroll" ref={scrollRef}>
        <div className="sch-grid__canvas" style={{ width: canvasW, height: HEADER_H + rowsH }}>
          <div className="sch-grid__head" style={{ width: canvasW, height: HEADER_H }}>
            <div className="sch-grid__corner">Channel</div>
            {pxPerMs > 0 &&
              days.map((day) => (
                <button
                  type="button"
                  key={day.start}
                  className="sch-grid__day"
                  style={{
                    left: LABEL_W + (day.start - from) * pxPerMs,
                    width: (day.end - day.start) * pxPerMs,
                  }}
                  title="Open this day"
                  onClick={() => {
                    setDate(day.start + 12 * HOUR_MS);
                    setView('day');
                  }}
                >
                  <span className="sch-grid__daytext">{day.label}</span>
                </button>
              ))}
            {visibleHours.map((hour) =>
              hour.index % step === 0 ? (
                <span
                  key={hour.index}
                  className="sch-grid__hour"
                  style={{ left: LABEL_W + hour.index * hourPx }}
                >
                  {DateTime.fromMillis(from + hour.index * HOUR_MS).toFormat('HH')}
                </span>
              ) : null,
            )}
          </div>
          <div
            className="sch-grid__rows"
            ref={rowsRef}
            style={{ height: rowsH, width: canvasW }}
            onPointerDown={onPointerDown}
            onClick={onClick}
            onMouseOver={onMouseOver}
            onDragOver={onDragOver}
            onDrop={onDrop}
          >
            {pxPerMs > 0 &&
              days.map((day) => (
                <div
                  key={day.start}
                  className="sch-grid__dayline"
                  style={{ left: LABEL_W + (day.start - from) * pxPerMs }}
                />
              ))}
            {pxPerMs > 0 && nowAt >= from && nowAt < to && (
              <div className="sch-grid__now" style={{ left: LABEL_W + (nowAt - from) * pxPerMs }} />
            )}
            {pxPerMs > 0 &&
              rows.getVirtualItems().map((row) => {
                const channel = channels[row.index]!;
                return (
                  <GridRow
                    key={channel.id}
                    label={channelLabel(channel)}
                    channelId={channel.id}
                    lane={lanes.get(channel.id) ?? EMPTY_LANE}
                    gaps={gapsByChannel.get(channel.id) ?? []}
                    from={from}
                    to={to}
                    pxPerMs={pxPerMs}
                    winFrom={winFrom}
                    winTo={winTo}
                    selectedKey={selectedByChannel.get(channel.id)?.join(',') ?? ''}
                    lockAt={lockAt}
                    top={row.start - HEADER_H}
                    width={canvasW}
                  />
                );
              })}
            {ghost && drag && (
              <div
                className="sch-grid__ghost"
                data-testid="grid-ghost"
                style={{
                  top: drag.row * ROW_H + 3,
                  left: LABEL_W + (ghost.start - from) * pxPerMs,
                  width: Math.max(2, (ghost.end - ghost.start) * pxPerMs),
                }}
              >
                {formatClock(ghost.start)}
              </div>
            )}
          </div>
        </div>
      </div>
    </div>
  );
});
