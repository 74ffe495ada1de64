import { memo, useCallback, useMemo, type ReactNode } from 'react';
import type { EventPropGetter } from 'react-big-calendar';
import type { EventInteractionArgs } from 'react-big-calendar/lib/addons/dragAndDrop';
import type { Person } from '../../../src-shared/contract';
import { dndCalendar } from '../../ui/calendar/dnd-calendar';
import { createStationLocalizer } from '../../ui/calendar/station-localizer';
import { useFocusableTimeGrid } from '../../ui/calendar/use-focusable-time-grid';
import { conflictText, formatSpan, NEEDS_COVER_COLUMN, type CalEvent } from './model';
import { openShiftDialog, type ShiftsView } from './store';

type Resource = { id: number; title: string };
const DnDCalendar = dndCalendar<CalEvent, Resource>();

function EventContent({ event }: { event: CalEvent }) {
  if (event.kind === 'uncovered')
    return (
      <div
        className="shf-uncovered"
        data-testid="uncovered-event"
        title={`${event.title} ${formatSpan(event.conflict.start, event.conflict.end)}`}
      >
        {conflictText.uncovered.mark} {event.title}
      </div>
    );
  if (event.kind === 'off')
    return (
      <div className="shf-off" data-testid={`timeoff-${event.off.id}`}>
        ✕ {event.title}
      </div>
    );
  const { shift, problems } = event;
  const label = `${event.title} ${formatSpan(shift.start, shift.end)}${
    problems.length ? ` — ${problems.map((p) => conflictText[p].label).join(', ')}` : ''
  }`;
  return (
    <div
      className="shf-event"
      data-testid={`shift-${shift.key}`}
      data-start={shift.start}
      data-end={shift.end}
      data-person={shift.personId}
      data-problems={problems.join(' ') || undefined}
      title={label}
    >
      <div className="shf-event__title">
        {shift.seriesId !== null && (
          <span className="shf-repeat" aria-label="Recurring">
            ↻
          </span>
        )}
        {event.title}
        {problems.map((p) => (
          <span key={p} className="shf-badge" data-kind={p}>
            {conflictText[p].mark} {conflictText[p].label}
          </span>
        ))}
      </div>
      <div className="shf-event__meta">
        {shift.sourceIds.length + shift.channelIds.length > 0
          ? `${shift.channelIds.length} ch · ${shift.sourceIds.length} src`
          : 'No assignment'}
      </div>
    </div>
  );
}

/**
 * The stock day header is a `columnheader` outside any row (the resource week lays days under each
 * person without a table), which assistive tech cannot place: plain text reads the same.
 */
function DayHeader({ label }: { label: ReactNode }) {
  return <span>{label}</span>;
}

const components = { event: EventContent, header: DayHeader };

/** Opening an event: edit a shift, remove time off, or plan a shift over what nobody covers. */
function dialogFor(event: CalEvent): Parameters<typeof openShiftDialog>[0] {
  if (event.kind === 'shift') return { kind: 'edit', key: event.shift.key };
  if (event.kind === 'off') return { kind: 'removeTimeOff', id: event.off.id };
  return {
    kind: 'create',
    personId: null,
    start: event.conflict.start,
    end: event.conflict.end,
  };
}

type Props = {
  zone: string;
  view: ShiftsView;
  date: number;
  people: Person[];
  events: CalEvent[];
  canEdit: boolean;
  onMove(event: CalEvent, start: number, end: number, personId: number): void;
};

/** Shifts on react-big-calendar in the station zone, one column (resource) per person. */
export const ShiftsCalendar = memo(function ShiftsCalendar({
  zone,
  view,
  date,
  people,
  events,
  canEdit,
  onMove,
}: Props) {
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const localizer = useMemo(() => createStationLocalizer(), [zone]);
  const needsCover = events.some((e) => e.kind === 'uncovered');
  const resources = useMemo(
    () => [
      ...(needsCover ? [{ id: NEEDS_COVER_COLUMN, title: 'Needs cover' }] : []),
      ...people.map((p) => ({
        id: p.id,
        title: p.disabled ? `${p.displayName} (disabled)` : p.displayName,
      })),
    ],
    [people, needsCover],
  );

  const eventPropGetter = useCallback<EventPropGetter<CalEvent>>((event) => {
    if (event.kind === 'off') return { className: 'shf-rbc-off' };
    if (event.kind === 'uncovered') return { className: 'shf-rbc-uncovered' };
    const classes = ['shf-rbc-shift', `is-${event.shift.kind}`];
    if (event.problems.length) classes.push('has-problem');
    return { className: classes.join(' ') };
  }, []);

  const move = useCallback(
    ({ event, start, end, resourceId }: EventInteractionArgs<CalEvent>) => {
      const from = new Date(start).getTime();
      const to = new Date(end).getTime();
      if (to <= from) return;
      const person = resourceId !== undefined ? Number(resourceId) : event.resourceId;
      if (person === NEEDS_COVER_COLUMN) return;
      onMove(event, from, to, person);
    },
    [onMove],
  );

  // Opens a few hours before the day's instant, so the hours leading up to now are in view.
  const scrollTo = useMemo(() => new Date(date - 4 * 3_600_000), [date]);
  const rootRef = useFocusableTimeGrid('Shift grid');

  return (
    <div
      ref={rootRef}
      className="shf-calendar ui-calendar"
      data-testid="shifts-calendar"
      data-view={view}
    >
      <DnDCalendar
        localizer={localizer}
        events={events}
        view={view}
        views={['week', 'day']}
        onView={() => undefined}
        date={new Date(date)}
        onNavigate={() => undefined}
        toolbar={false}
        step={view === 'week' ? 60 : 30}
        timeslots={view === 'week' ? 2 : 2}
        resources={resources}
        resourceIdAccessor={(r) => r.id}
        resourceTitleAccessor={(r) => r.title}
        resourceAccessor={(e) => e.resourceId}
        eventPropGetter={eventPropGetter}
        components={components}
        draggableAccessor={(e) => canEdit && e.kind === 'shift'}
        resizableAccessor={(e) => canEdit && e.kind === 'shift'}
        onEventDrop={move}
        onEventResize={move}
        selectable={canEdit}
        onSelectSlot={({ start, end, resourceId }) =>
          openShiftDialog({
            kind: 'create',
            personId:
              resourceId !== undefined && Number(resourceId) !== NEEDS_COVER_COLUMN
                ? Number(resourceId)
                : null,
            start: new Date(start).getTime(),
            end: new Date(end).getTime(),
          })
        }
        onSelectEvent={(event) => openShiftDialog(dialogFor(event))}
        onKeyPressEvent={(event, e) => {
          const key = (e.nativeEvent as KeyboardEvent).key;
          if (key !== 'Enter' && key !== ' ') return;
          e.preventDefault();
          openShiftDialog(dialogFor(event));
        }}
        showMultiDayTimes
        tooltipAccessor={null}
        scrollToTime={scrollTo}
        formats={{ timeGutterFormat: 'HH:mm', eventTimeRangeFormat: () => '' }}
      />
    </div>
  );
});
