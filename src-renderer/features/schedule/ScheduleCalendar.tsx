import { memo, useCallback, useMemo, type SyntheticEvent } from 'react';
import type { EventPropGetter, View } from 'react-big-calendar';
import type {
  EventInteractionArgs,
  DragFromOutsideItemArgs,
} from 'react-big-calendar/lib/addons/dragAndDrop';
import type { Channel, ScheduleItem } from '../../../src-shared/contract';
import type { ScheduleActions } from './actions';
import {
  categoryColour,
  channelLabel,
  type CalEvent,
  type GapEvent,
  type ItemEvent,
} from './model';
import {
  openDialog,
  selectItem,
  setDate,
  setView,
  useScheduleUi,
  type CalendarView,
} from './store';
import { dndCalendar } from '../../ui/calendar/dnd-calendar';
import { createStationLocalizer } from '../../ui/calendar/station-localizer';
import { useFocusableTimeGrid } from '../../ui/calendar/use-focusable-time-grid';
import { formatClock, formatLength } from './time';

const DnDCalendar = dndCalendar<CalEvent, Resource>();
type Resource = { id: number; title: string };

const VIEWS: View[] = ['day', 'week', 'month', 'agenda'];
/** Slot length (min) and slots per labelled group at each zoom; heights are in schedule.css. */
const ZOOM = {
  1: { step: 15, timeslots: 4 },
  2: { step: 5, timeslots: 6 },
  3: { step: 1, timeslots: 5 },
};

type Props = {
  zone: string;
  /** The channel grid is not a react-big-calendar view (see ChannelWeekGrid). */
  view: Exclude<CalendarView, 'channels'>;
  date: number;
  channels: Channel[];
  /** Channel of week/month/agenda views. */
  channelId: number | null;
  events: ItemEvent[];
  gaps: GapEvent[];
  selected: ReadonlySet<number>;
  itemsById: ReadonlyMap<number, ScheduleItem>;
  now: () => number;
  lockBefore: number;
  focusAt: number | null;
  actions: ScheduleActions;
};

const problemText = {
  missing: 'Media missing',
  failed: 'Media failed',
  not_ready: 'Media not ready',
} as const;

function EventContent({ event }: { event: CalEvent }) {
  if (event.kind === 'gap') {
    return (
      <div
        className="sch-gap"
        data-testid={`gap-${event.channelId}-${event.startsAt}`}
        data-duration-ms={event.durationMs}
        title={`Gap of ${formatLength(event.durationMs)} — click to fill`}
      >
        <span className="sch-gap__label">Gap {formatLength(event.durationMs)}</span>
      </div>
    );
  }
  if (event.kind === 'preview') return <div className="sch-event__title">{event.title}</div>;
  const { item } = event;
  return (
    <div
      className="sch-event"
      data-testid={`event-${event.id}`}
      data-starts-at={item.startsAt}
      data-ends-at={item.endsAt}
      data-channel-id={item.channelId}
      data-locked={event.locked ? 'true' : undefined}
      title={`${event.title}\n${formatClock(item.startsAt)} – ${formatClock(item.endsAt)} (${formatLength(item.endsAt - item.startsAt)})${event.problem ? `\n${problemText[event.problem]}` : ''}`}
    >
      <div className="sch-event__title">
        {event.problem && (
          <span
            className="sch-badge"
            data-problem={event.problem}
            data-testid={`event-badge-${event.id}`}
          >
            {event.problem === 'not_ready' ? (item.asset?.state ?? 'not ready') : event.problem}
          </span>
        )}
        {event.title}
      </div>
      <div className="sch-event__time">
        {formatClock(item.startsAt)} · {formatLength(item.endsAt - item.startsAt)}
      </div>
    </div>
  );
}

const components = { event: EventContent };

type LayoutArgs = {
  events: CalEvent[];
  slotMetrics: { getRange(start: Date, end: Date): { top: number; height: number } };
};
/**
 * The core refuses overlaps, so a channel's items never share a column: each one spans the
 * full width. Linear, where the stock algorithms compare every event with every other one.
 */
function fullWidthLayout({ events, slotMetrics }: LayoutArgs) {
  return events.map((event) => {
    const { top, height } = slotMetrics.getRange(event.start, event.end);
    return { event, style: { top, height, width: 100, xOffset: 0 } };
  });
}

/** react-big-calendar with drag and drop, in the station zone, channels as day-view resources. */
export const ScheduleCalendar = memo(function ScheduleCalendar({
  zone,
  view,
  date,
  channels,
  channelId,
  events,
  gaps,
  selected,
  itemsById,
  now,
  lockBefore,
  focusAt,
  actions,
}: Props) {
  // The localizer reads luxon's default zone on every call; a new zone means a new instance so
  // the calendar's memoised metrics are dropped.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const localizer = useMemo(() => createStationLocalizer(), [zone]);
  const dragging = useScheduleUi((s) => s.dragging);
  const zoom = useScheduleUi((s) => s.zoom);

  const resources = useMemo<Resource[] | undefined>(
    () =>
      view === 'day'
        ? channels.map((channel) => ({ id: channel.id, title: channelLabel(channel) }))
        : undefined,
    [view, channels],
  );

  const eventPropGetter = useCallback<EventPropGetter<CalEvent>>(
    (event) => {
      if (event.kind !== 'item') return { className: `sch-rbc-${event.kind}` };
      const classes = ['sch-rbc-item'];
      if (event.locked) classes.push('is-locked');
      if (selected.has(event.id)) classes.push('is-selected');
      if (event.problem) classes.push('has-problem');
      if (event.item.kind === 'break') classes.push('is-break');
      return {
        className: classes.join(' '),
        style: { backgroundColor: categoryColour(event.item.category) },
      };
    },
    [selected],
  );

  const draggable = useCallback(
    (event: CalEvent) =>
      event.kind === 'item' && !event.locked && event.start.getTime() >= lockBefore,
    [lockBefore],
  );

  const selection = useCallback(
    (event: ItemEvent): ScheduleItem[] => {
      if (!selected.has(event.id)) return [event.item];
      const picked = [...selected].flatMap((id) => {
        const item = itemsById.get(id);
        return item ? [item] : [];
      });
      return picked.length ? picked : [event.item];
    },
    [selected, itemsById],
  );

  const onEventDrop = useCallback(
    ({ event, start, resourceId }: EventInteractionArgs<CalEvent>) => {
      if (event.kind !== 'item') return;
      const delta = new Date(start).getTime() - event.item.startsAt;
      const target =
        resourceId !== undefined && Number(resourceId) !== event.item.channelId
          ? Number(resourceId)
          : undefined;
      if (delta === 0 && target === undefined) return;
      void actions.move(selection(event), delta, target);
    },
    [actions, selection],
  );

  const onEventResize = useCallback(
    ({ event, start, end }: EventInteractionArgs<CalEvent>) => {
      if (event.kind !== 'item') return;
      const from = new Date(start).getTime();
      const to = new Date(end).getTime();
      // A zero-length drag (the edge pulled onto the other one) is no edit.
      if (to - from < 1000) return;
      void actions.trim(event.item, from, to);
    },
    [actions],
  );

  const onDropFromOutside = useCallback(
    ({ start, resource }: DragFromOutsideItemArgs) => {
      const asset = useScheduleUi.getState().dragging;
      if (!asset) return;
      const target = resource !== undefined && resource !== null ? Number(resource) : channelId;
      if (!target) return;
      void actions.addAsset(target, asset.assetId, new Date(start).getTime());
    },
    [actions, channelId],
  );

  const dragFromOutsideItem = useCallback((): CalEvent => {
    const asset = useScheduleUi.getState().dragging;
    return {
      kind: 'preview',
      title: asset?.name ?? '',
      start: new Date(0),
      end: new Date(Math.max(60_000, asset?.durationMs ?? 60_000)),
    };
  }, []);

  const onSelectEvent = useCallback((event: CalEvent, e: SyntheticEvent) => {
    if (event.kind === 'gap') {
      openDialog({
        kind: 'fill',
        channelId: event.channelId,
        from: event.startsAt,
        to: event.startsAt + event.durationMs,
        gap: true,
      });
      return;
    }
    if (event.kind !== 'item') return;
    const mouse = e.nativeEvent as MouseEvent;
    selectItem(event.id, mouse.ctrlKey || mouse.metaKey || mouse.shiftKey);
  }, []);

  const getNow = useCallback(() => new Date(now()), [now]);
  const scrollToTime = useMemo(
    () => new Date(focusAt ?? now() - 60 * 60_000),
    // Only a jump re-scrolls; the clock moving must not yank the grid.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [focusAt, date, view],
  );

  const rootRef = useFocusableTimeGrid('Time grid');

  return (
    <div
      ref={rootRef}
      className="sch-calendar ui-calendar"
      data-testid="calendar"
      data-view={view}
      data-zone={zone}
      data-zoom={zoom}
    >
      <DnDCalendar
        localizer={localizer}
        events={events}
        backgroundEvents={view === 'day' || view === 'week' ? gaps : undefined}
        view={view}
        views={VIEWS}
        date={new Date(date)}
        onView={(next) => setView(next as CalendarView)}
        onNavigate={(next) => setDate(next.getTime())}
        toolbar={false}
        step={ZOOM[zoom].step}
        timeslots={ZOOM[zoom].timeslots}
        getNow={getNow}
        scrollToTime={scrollToTime}
        resources={resources}
        resourceIdAccessor={(r) => r.id}
        resourceTitleAccessor={(r) => r.title}
        resourceAccessor={(e) => (e.kind === 'preview' ? undefined : e.resourceId)}
        eventPropGetter={eventPropGetter}
        components={components}
        draggableAccessor={draggable}
        resizableAccessor={draggable}
        onEventDrop={onEventDrop}
        onEventResize={onEventResize}
        onDropFromOutside={onDropFromOutside}
        dragFromOutsideItem={dragging ? dragFromOutsideItem : undefined}
        onDragOver={(e) => e.preventDefault()}
        onSelectEvent={onSelectEvent}
        onKeyPressEvent={(event, e) => {
          const key = (e.nativeEvent as KeyboardEvent).key;
          // Enter or Space on a focused item selects it (a gap opens its fill dialog), as a click.
          if (key === 'Enter' || key === ' ') {
            e.preventDefault();
            onSelectEvent(event, e);
          }
        }}
        selectable={false}
        popup
        showMultiDayTimes
        dayLayoutAlgorithm={fullWidthLayout as unknown as 'overlap'}
        tooltipAccessor={null}
        formats={{ timeGutterFormat: 'HH:mm', eventTimeRangeFormat: () => '' }}
      />
    </div>
  );
});
