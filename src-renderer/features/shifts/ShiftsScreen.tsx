import { DateTime } from 'luxon';
import { lazy, Suspense, useCallback, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Conflict, Person } from '../../../src-shared/contract';
import { errorText } from '../../app/api/api-client';
import { useApi } from '../../app/api/use-api';
import { applyStationZone } from '../../ui/calendar/station-zone';
import { Button, toast, useShortcuts } from '../../ui';
import { useAuthStore } from '../auth/store';
import { usePeople } from '../people/queries';
import { useChannels } from '../schedule/queries';
import { useSettings } from '../settings/queries';
import { buildEvents, conflictText, formatSpan, type CalEvent } from './model';
import { useRecordedSources, useShiftsRange, useShiftTemplates } from './queries';
import { ShiftDialog } from './ShiftDialog';
import {
  closeShiftDialog,
  openShiftDialog,
  PEOPLE_PER_WEEK_PAGE,
  setFirstPerson,
  setShiftsDate,
  setShiftsView,
  stepShiftsDate,
  useShiftsUi,
} from './store';
import { RemoveTimeOffDialog, TimeOffDialog } from './TimeOffDialogs';
import 'react-big-calendar/lib/css/react-big-calendar.css';
import 'react-big-calendar/lib/addons/dragAndDrop/styles.css';
import '../../ui/calendar/calendar.css';
import './shifts.css';
import { occurrenceChange } from '../../../src-shared/shifts/occurrence-change';

const ShiftsCalendar = lazy(() =>
  import('./ShiftsCalendar').then((module) => ({ default: module.ShiftsCalendar })),
);
const HOUR = 3_600_000;
const EMPTY_PEOPLE: Person[] = [];

/** Who works when: shifts per person in the station zone, planned with drag and drop. */
export function ShiftsScreen() {
  const zone = useSettings().data?.timeZone ?? null;
  if (zone) applyStationZone(zone);
  if (!zone) return <div className="shf-screen muted">Loading station settings…</div>;
  return <ShiftsScreenIn zone={zone} />;
}

function ShiftsScreenIn({ zone }: { zone: string }) {
  const api = useApi();
  const canEdit = useAuthStore((s) => s.permissions.has('shifts.manage'));
  const ui = useShiftsUi(
    useShallow((s) => ({
      view: s.view,
      date: s.date,
      firstPerson: s.firstPerson,
      dialog: s.dialog,
    })),
  );
  const allPeople = usePeople().data ?? EMPTY_PEOPLE;
  const people = useMemo(
    () => [...allPeople].sort((a, b) => a.displayName.localeCompare(b.displayName)),
    [allPeople],
  );
  const channelsData = useChannels().data;
  const sourcesData = useRecordedSources().data;
  const channels = useMemo(() => channelsData ?? [], [channelsData]);
  const sources = useMemo(() => sourcesData ?? [], [sourcesData]);
  const templates = useShiftTemplates().data ?? [];

  const { from, to } = useMemo(() => {
    const start = DateTime.fromMillis(ui.date).startOf(ui.view === 'week' ? 'week' : 'day');
    return {
      from: start.toMillis(),
      to: start.plus(ui.view === 'week' ? { weeks: 1 } : { days: 1 }).toMillis(),
    };
  }, [ui.date, ui.view]);
  const range = useShiftsRange(from, to).data;

  // A week shows a page of people (7 columns each); a day shows everyone.
  const shown = useMemo(
    () =>
      ui.view === 'week'
        ? people.slice(ui.firstPerson, ui.firstPerson + PEOPLE_PER_WEEK_PAGE)
        : people,
    [people, ui.view, ui.firstPerson],
  );
  const nameOf = useCallback(
    (id: number | null) => people.find((p) => p.id === id)?.displayName ?? `Person ${id}`,
    [people],
  );
  const targetName = useCallback(
    (c: Conflict) => {
      if (!c.target) return nameOf(c.personId);
      if (c.target.kind === 'channel')
        return channels.find((ch) => ch.id === c.target!.id)?.name ?? `Channel ${c.target.id}`;
      return sources.find((s) => s.id === c.target!.id)?.name ?? `Source ${c.target.id}`;
    },
    [nameOf, channels, sources],
  );
  const events = useMemo(
    () =>
      range
        ? buildEvents(
            range.shifts,
            range.timeOff,
            range.conflicts,
            new Set(shown.map((p) => p.id)),
            targetName,
          )
        : [],
    [range, shown, targetName],
  );
  const onMove = useCallback(
    (event: CalEvent, start: number, end: number, personId: number) => {
      if (event.kind !== 'shift') return;
      const { shift } = event;
      const fail = (e: unknown) => toast(`Not moved: ${errorText(e)}`, 'error');
      if (shift.shiftId !== null) {
        void api
          .call('shiftUpdate', {
            id: shift.shiftId,
            personId,
            start,
            end,
            kind: shift.kind,
            channelIds: shift.channelIds,
            sourceIds: shift.sourceIds,
            note: shift.note,
          })
          .catch(fail);
        return;
      }
      const series = range?.series.find((s) => s.id === shift.seriesId);
      if (!series || shift.occurrenceStart === null) return;
      // Dropped in another person's column: this occurrence goes to them, the series stays.
      void api
        .call('shiftSeriesException', {
          seriesId: series.id,
          occurrenceStart: shift.occurrenceStart,
          exception: occurrenceChange(series, shift.occurrenceStart, {
            ...shift,
            start,
            end,
            personId,
          }),
        })
        .catch(fail);
    },
    [api, range],
  );

  const newShift = () => {
    const start = DateTime.fromMillis(from).plus({ hours: 6 }).toMillis();
    openShiftDialog({
      kind: 'create',
      personId: shown[0]?.id ?? null,
      start,
      end: start + 8 * HOUR,
    });
  };
  const newTimeOff = () =>
    openShiftDialog({
      kind: 'timeOff',
      personId: shown[0]?.id ?? null,
      start: from,
      end: from + 24 * HOUR,
    });
  const pagePeople = (direction: 1 | -1) =>
    setFirstPerson(
      Math.max(
        0,
        Math.min(Math.max(0, people.length - 1), ui.firstPerson + direction * PEOPLE_PER_WEEK_PAGE),
      ),
    );

  useShortcuts('shifts', [
    ...(canEdit
      ? [
          { keys: 'N', label: 'New shift…', run: newShift },
          { keys: 'O', label: 'Time off…', run: newTimeOff },
        ]
      : []),
    { keys: 'Alt+ArrowLeft', label: 'Previous week (or day)', run: () => stepShiftsDate(-1) },
    { keys: 'Alt+ArrowRight', label: 'Next week (or day)', run: () => stepShiftsDate(1) },
    { keys: 'Alt+ArrowUp', label: 'Previous people', run: () => pagePeople(-1) },
    { keys: 'Alt+ArrowDown', label: 'Next people', run: () => pagePeople(1) },
    { keys: '', display: 'Drag on the grid', label: 'Create a shift there' },
    { keys: '', display: 'Drag a shift or its edge', label: 'Move or resize it' },
  ]);

  const focusConflict = (c: Conflict) => {
    setShiftsDate(c.start);
    const index = people.findIndex((p) => p.id === c.personId);
    if (index >= 0 && ui.view === 'week')
      setFirstPerson(Math.floor(index / PEOPLE_PER_WEEK_PAGE) * PEOPLE_PER_WEEK_PAGE);
  };

  const dialog = ui.dialog;
  const editing =
    dialog?.kind === 'edit' ? range?.shifts.find((s) => s.key === dialog.key) : undefined;
  const removing =
    dialog?.kind === 'removeTimeOff' ? range?.timeOff.find((t) => t.id === dialog.id) : undefined;

  return (
    <div className="shf-screen" data-testid="shifts-screen" data-zone={zone}>
      <div className="shf-toolbar" role="toolbar" aria-label="Shifts">
        <div className="shf-group">
          <Button onClick={() => stepShiftsDate(-1)} aria-label="Previous">
            ‹
          </Button>
          <Button onClick={() => setShiftsDate(Date.now())}>Today</Button>
          <Button onClick={() => stepShiftsDate(1)} aria-label="Next">
            ›
          </Button>
          <strong className="shf-title" data-testid="shifts-range" aria-live="polite">
            {ui.view === 'week'
              ? `${DateTime.fromMillis(from).toFormat('dd LLL')} – ${DateTime.fromMillis(to - 1).toFormat('dd LLL yyyy')}`
              : DateTime.fromMillis(from).toFormat('cccc dd LLL yyyy')}
          </strong>
          <span className="muted">{zone}</span>
        </div>
        <div className="shf-group" role="group" aria-label="View">
          <Button
            aria-pressed={ui.view === 'week'}
            className={ui.view === 'week' ? 'is-on' : undefined}
            onClick={() => setShiftsView('week')}
          >
            Week
          </Button>
          <Button
            aria-pressed={ui.view === 'day'}
            className={ui.view === 'day' ? 'is-on' : undefined}
            onClick={() => setShiftsView('day')}
          >
            Day (everyone)
          </Button>
        </div>
        {ui.view === 'week' && (
          <div className="shf-group" role="group" aria-label="People shown">
            <Button
              onClick={() => pagePeople(-1)}
              aria-label="Previous people"
              disabled={ui.firstPerson === 0}
            >
              ↑
            </Button>
            <span data-testid="shifts-people-page">
              People {Math.min(people.length, ui.firstPerson + 1)}–
              {Math.min(people.length, ui.firstPerson + PEOPLE_PER_WEEK_PAGE)} of {people.length}
            </span>
            <Button
              onClick={() => pagePeople(1)}
              aria-label="Next people"
              disabled={ui.firstPerson + PEOPLE_PER_WEEK_PAGE >= people.length}
            >
              ↓
            </Button>
          </div>
        )}
        {canEdit && (
          <div className="shf-group">
            <Button variant="primary" onClick={newShift} data-testid="shift-new">
              New shift…
            </Button>
            <Button onClick={newTimeOff} data-testid="timeoff-new">
              Time off…
            </Button>
          </div>
        )}
      </div>
      <div className="shf-body">
        <Suspense fallback={<div className="muted">Loading calendar…</div>}>
          <ShiftsCalendar
            zone={zone}
            view={ui.view}
            date={ui.date}
            people={shown}
            events={events}
            canEdit={canEdit}
            onMove={onMove}
          />
        </Suspense>
        <aside className="shf-conflicts" aria-label="Conflicts" data-testid="shift-conflicts">
          <h2>
            Conflicts <span className="shf-count">{range?.conflicts.length ?? 0}</span>
          </h2>
          {range && range.conflicts.length === 0 && <p className="muted">None in this window.</p>}
          <ul>
            {range?.conflicts.map((c, i) => (
              <li key={`${c.kind}-${c.start}-${i}`} data-kind={c.kind}>
                <button type="button" className="shf-conflict" onClick={() => focusConflict(c)}>
                  <span className="shf-conflict__mark" aria-hidden="true">
                    {conflictText[c.kind].mark}
                  </span>
                  <span>
                    <strong>{conflictText[c.kind].label}</strong>: {targetName(c)}
                    <br />
                    <span className="muted">{formatSpan(c.start, c.end)}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </aside>
      </div>
      {dialog?.kind === 'create' && (
        <ShiftDialog
          mode="create"
          personId={dialog.personId}
          start={dialog.start}
          end={dialog.end}
          people={people}
          templates={templates}
          channels={channels}
          sources={sources}
          onClose={closeShiftDialog}
        />
      )}
      {dialog?.kind === 'edit' && editing && (
        <ShiftDialog
          mode="edit"
          shift={editing}
          series={range?.series.find((s) => s.id === editing.seriesId) ?? null}
          people={people}
          templates={templates}
          channels={channels}
          sources={sources}
          onClose={closeShiftDialog}
        />
      )}
      {dialog?.kind === 'timeOff' && (
        <TimeOffDialog
          people={people}
          personId={dialog.personId}
          start={dialog.start}
          end={dialog.end}
          onClose={closeShiftDialog}
        />
      )}
      {dialog?.kind === 'removeTimeOff' && removing && canEdit && (
        <RemoveTimeOffDialog
          off={removing}
          name={nameOf(removing.personId)}
          onClose={closeShiftDialog}
        />
      )}
    </div>
  );
}
