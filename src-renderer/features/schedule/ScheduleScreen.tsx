import { DateTime } from 'luxon';
import { lazy, Suspense, useCallback, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ScheduleItem } from '../../../src-shared/contract';
import { ChannelsPanel } from '../channels/ChannelsPanel';
import { ChannelWeekGrid } from './ChannelWeekGrid';
import { useClockStore } from '../clock/store';
import { useSettings } from '../settings/queries';
import { SNAP_MS, useScheduleActions } from './actions';
import { useShortcuts } from '../../ui';
import { CopyDialog } from './CopyDialog';
import { FillDialog } from './FillDialog';
import { LibraryPanel } from './LibraryPanel';
import { buildItemEvents, channelLabel, computeGaps } from './model';
import { useChannels, useScheduleRange, useScheduleSettings } from './queries';
import {
  clearSelection,
  closeDialog,
  openDialog,
  setChannel,
  setDate,
  setRipple,
  setView,
  setZoom,
  toggleValidation,
  useScheduleUi,
  type CalendarView,
} from './store';
import { TemplatesDialog } from './TemplatesDialog';
import { applyStationZone, stationDay, visibleRange } from './time';
import { TransferDialog } from './TransferDialog';
import { ValidationPanel } from './ValidationPanel';
// The calendar's own styles stay in the main bundle, ahead of ours: loaded with the lazy
// calendar chunk they would land after schedule.css and win over its overrides.
import 'react-big-calendar/lib/css/react-big-calendar.css';
import 'react-big-calendar/lib/addons/dragAndDrop/styles.css';
import '../../ui/calendar/calendar.css';
import './schedule.css';

const VIEW_LABELS: Record<CalendarView, string> = {
  day: 'Day',
  week: 'Week',
  channels: 'All channels',
  month: 'Month',
  agenda: 'Agenda',
};
// react-big-calendar and its drag-and-drop addon load with the first calendar view, so the
// shell and the channel grid do not pay for parsing them.
const ScheduleCalendar = lazy(() =>
  import('./ScheduleCalendar').then((module) => ({ default: module.ScheduleCalendar })),
);
const ZOOM_LABELS = ['Hours', '5 min', 'Minutes'];
/** The channel grid's zooms: the whole week, a day, six hours across the screen. */
const GRID_ZOOM_LABELS = ['Whole week', 'Day', '6 hours'];
const EMPTY: ScheduleItem[] = [];
/** Locks are re-evaluated this often (the core enforces them exactly anyway). */
const LOCK_TICK_MS = 15_000;

/** Channels programmed on a calendar: drag from the library, move, trim, fill, check. */
export function ScheduleScreen() {
  const zone = useSettings().data?.timeZone ?? null;
  // Asked for alongside the settings rather than after them: one round trip less to first paint.
  useChannels();
  if (zone) applyStationZone(zone);
  if (!zone) return <div className="sch-screen muted">Loading station settings…</div>;
  return <ScheduleScreenIn zone={zone} />;
}

function ScheduleScreenIn({ zone }: { zone: string }) {
  const actions = useScheduleActions();
  const allChannels = useChannels().data;
  const channels = useMemo(() => (allChannels ?? []).filter((c) => c.enabled), [allChannels]);
  const lockHorizonMs = useScheduleSettings().data?.lockHorizonMs ?? 5 * 60_000;
  const ui = useScheduleUi(
    useShallow((s) => ({
      view: s.view,
      date: s.date,
      channelId: s.channelId,
      selected: s.selected,
      ripple: s.ripple,
      canUndo: s.undo.length > 0,
      canRedo: s.redo.length > 0,
      undoLabel: s.undo.at(-1)?.label,
      redoLabel: s.redo.at(-1)?.label,
      dialog: s.dialog,
      showValidation: s.showValidation,
      focusAt: s.focusAt,
      busy: s.busy,
      zoom: s.zoom,
    })),
  );
  const lockTick = useClockStore((s) =>
    s.coreNow === null ? 0 : Math.floor(s.coreNow / LOCK_TICK_MS),
  );
  const now = useCallback(() => Date.now() + useClockStore.getState().offsetMs, []);

  // The picked channel for week/month/agenda; the first enabled one until the operator picks.
  const channelId =
    ui.channelId !== null && channels.some((c) => c.id === ui.channelId)
      ? ui.channelId
      : (channels[0]?.id ?? null);
  const channel = channels.find((c) => c.id === channelId) ?? null;
  const shownIds = useMemo(
    () =>
      ui.view === 'day' || ui.view === 'channels'
        ? channels.map((c) => c.id)
        : channelId
          ? [channelId]
          : [],
    [ui.view, channels, channelId],
  );
  const range = useMemo(() => visibleRange(ui.view, ui.date), [ui.view, ui.date]);
  const rangeKey = useMemo(
    () => (shownIds.length ? { channelIds: shownIds, from: range.from, to: range.to } : null),
    [shownIds, range],
  );
  const data = useScheduleRange(rangeKey);
  const items = data.data?.items ?? EMPTY;

  const lockBefore = (lockTick ? lockTick * LOCK_TICK_MS : now()) + lockHorizonMs;
  const grid = ui.view === 'channels';
  // The channel grid draws straight from the items; calendar events would be built for nothing.
  const events = useMemo(
    () => (grid ? [] : buildItemEvents(items, lockBefore)),
    [grid, items, lockBefore],
  );
  const gaps = useMemo(
    () => computeGaps(items, shownIds, range.from, range.to),
    [items, shownIds, range],
  );
  const itemsById = useMemo(() => new Map(items.map((item) => [item.id, item])), [items]);
  const selected = useMemo(() => new Set(ui.selected), [ui.selected]);

  const selectedItems = useCallback(
    () =>
      useScheduleUi
        .getState()
        .selected.flatMap((id) => (itemsById.has(id) ? [itemsById.get(id)!] : [])),
    [itemsById],
  );

  const moveSelected = (deltaMs: number) => {
    const picked = selectedItems();
    if (picked.length) void actions.move(picked, deltaMs);
  };
  useShortcuts('schedule', [
    { keys: 'Mod+Z', label: 'Undo', run: () => void actions.undo() },
    { keys: 'Mod+Shift+Z / Mod+Y', label: 'Redo', run: () => void actions.redo() },
    {
      keys: 'Mod+D',
      label: 'Duplicate the selected items',
      run: () => {
        const picked = selectedItems();
        if (picked.length) void actions.duplicate(picked);
      },
    },
    {
      keys: 'Delete / Backspace',
      label: 'Delete the selected items',
      run: () => {
        const picked = selectedItems();
        if (picked.length) void actions.remove(picked);
      },
    },
    { keys: 'Escape', label: 'Clear the selection', run: clearSelection },
    {
      keys: 'Enter / Space',
      label: 'Select the focused item; on a gap, fill it',
      display: 'Enter · Space (on an item)',
    },
    {
      keys: 'Alt+ArrowRight',
      label: `Move the selected items ${SNAP_MS / 60_000} minutes later`,
      run: () => moveSelected(SNAP_MS),
    },
    {
      keys: 'Alt+ArrowLeft',
      label: `Move the selected items ${SNAP_MS / 60_000} minutes earlier`,
      run: () => moveSelected(-SNAP_MS),
    },
    {
      keys: 'Alt+Shift+ArrowRight',
      label: 'Move the selected items an hour later',
      run: () => moveSelected(3_600_000),
    },
    {
      keys: 'Alt+Shift+ArrowLeft',
      label: 'Move the selected items an hour earlier',
      run: () => moveSelected(-3_600_000),
    },
    { keys: 'F', label: 'Fill the shown day…', run: () => fillDay() },
  ]);

  const step = (by: number) => {
    const unit =
      ui.view === 'month'
        ? 'months'
        : ui.view === 'week' || ui.view === 'channels'
          ? 'weeks'
          : 'days';
    setDate(
      DateTime.fromMillis(ui.date)
        .plus({ [unit]: by })
        .toMillis(),
    );
  };
  const title =
    ui.view === 'day'
      ? DateTime.fromMillis(ui.date).toFormat('cccc dd LLLL yyyy')
      : ui.view === 'week' || ui.view === 'channels'
        ? `Week of ${DateTime.fromMillis(range.from).toFormat('dd LLL yyyy')}${grid ? ` — ${channels.length} channels` : ''}`
        : ui.view === 'month'
          ? DateTime.fromMillis(ui.date).toFormat('LLLL yyyy')
          : `30 days from ${DateTime.fromMillis(range.from).toFormat('dd LLL yyyy')}`;
  const day = stationDay(ui.date);
  const hours = Math.round((day.to - day.from) / 3_600_000);
  const dialog = ui.dialog;
  function fillDay() {
    if (channelId) openDialog({ kind: 'fill', channelId, from: day.from, to: day.to, gap: false });
  }

  return (
    <div className="sch-screen" data-testid="schedule-screen" aria-busy={ui.busy}>
      <div className="sch-toolbar" role="toolbar" aria-label="Schedule">
        <div className="sch-group" role="group" aria-label="View">
          {(Object.keys(VIEW_LABELS) as CalendarView[]).map((view) => (
            <button
              key={view}
              type="button"
              className={`button sch-small${ui.view === view ? ' is-on' : ''}`}
              aria-pressed={ui.view === view}
              onClick={() => setView(view)}
            >
              {VIEW_LABELS[view]}
            </button>
          ))}
        </div>
        <div className="sch-group">
          <button
            type="button"
            className="button sch-small"
            aria-label="Previous"
            onClick={() => step(-1)}
          >
            ‹
          </button>
          <button type="button" className="button sch-small" onClick={() => setDate(now())}>
            Today
          </button>
          <button
            type="button"
            className="button sch-small"
            aria-label="Next"
            onClick={() => step(1)}
          >
            ›
          </button>
          <input
            type="date"
            aria-label="Go to date"
            className="sch-date"
            value={DateTime.fromMillis(ui.date).toISODate() ?? ''}
            onChange={(e) => {
              const picked = DateTime.fromISO(e.target.value);
              if (picked.isValid) setDate(picked.set({ hour: 12 }).toMillis());
            }}
          />
        </div>
        <h1 className="sch-title" data-testid="schedule-title">
          {title}
          {ui.view === 'day' && hours !== 24 && (
            <span className="sch-dst" data-testid="dst-hours">
              {hours} h day
            </span>
          )}
          <span className="sch-zone">{zone}</span>
        </h1>
        <select
          aria-label="Zoom"
          data-testid="zoom"
          className="sch-picker"
          value={ui.zoom}
          onChange={(e) => setZoom(Number(e.target.value) as 1 | 2 | 3)}
        >
          {(grid ? GRID_ZOOM_LABELS : ZOOM_LABELS).map((label, i) => (
            <option key={label} value={i + 1}>
              {label}
            </option>
          ))}
        </select>
        {ui.view !== 'day' && !grid && (
          <select
            aria-label="Channel"
            data-testid="channel-picker"
            className="sch-picker"
            value={channelId ?? ''}
            onChange={(e) => setChannel(Number(e.target.value))}
          >
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {channelLabel(c)}
              </option>
            ))}
          </select>
        )}
        <div className="sch-group">
          <button
            type="button"
            className="button sch-small"
            data-testid="undo"
            disabled={!ui.canUndo || ui.busy}
            title={ui.undoLabel ? `Undo ${ui.undoLabel} (Ctrl+Z)` : 'Undo (Ctrl+Z)'}
            onClick={() => void actions.undo()}
          >
            Undo
          </button>
          <button
            type="button"
            className="button sch-small"
            data-testid="redo"
            disabled={!ui.canRedo || ui.busy}
            title={ui.redoLabel ? `Redo ${ui.redoLabel} (Ctrl+Shift+Z)` : 'Redo (Ctrl+Shift+Z)'}
            onClick={() => void actions.redo()}
          >
            Redo
          </button>
          <button
            type="button"
            className="button sch-small"
            disabled={ui.selected.length === 0}
            title="Duplicate (Ctrl+D)"
            onClick={() => void actions.duplicate(selectedItems())}
          >
            Duplicate
          </button>
          <button
            type="button"
            className="button sch-small"
            data-testid="delete-selected"
            disabled={ui.selected.length === 0}
            title="Delete (Del)"
            onClick={() => void actions.remove(selectedItems())}
          >
            Delete{ui.selected.length > 1 ? ` ${ui.selected.length}` : ''}
          </button>
          <label
            className="sch-check sch-ripple"
            title="Push or pull what follows instead of refusing"
          >
            <input
              type="checkbox"
              data-testid="ripple"
              checked={ui.ripple}
              onChange={(e) => setRipple(e.target.checked)}
            />
            Ripple
          </label>
        </div>
        <div className="sch-group">
          <button
            type="button"
            className="button sch-small"
            disabled={!channelId}
            aria-keyshortcuts="F"
            onClick={fillDay}
          >
            Fill day
          </button>
          <button
            type="button"
            className="button sch-small"
            onClick={() => openDialog({ kind: 'templates' })}
          >
            Templates
          </button>
          <button
            type="button"
            className="button sch-small"
            onClick={() => openDialog({ kind: 'copy' })}
          >
            Copy
          </button>
          <button
            type="button"
            className="button sch-small"
            disabled={!channelId}
            onClick={() => openDialog({ kind: 'transfer' })}
          >
            Import/Export
          </button>
          <button
            type="button"
            className={`button sch-small${ui.showValidation ? ' is-on' : ''}`}
            data-testid="validate"
            disabled={!channelId}
            onClick={toggleValidation}
          >
            Check
          </button>
          <button
            type="button"
            className="button sch-small"
            data-testid="channels-button"
            onClick={() => openDialog({ kind: 'channels' })}
          >
            Channels
          </button>
        </div>
      </div>

      <div className="sch-body">
        <LibraryPanel />
        {channels.length === 0 && allChannels ? (
          <div className="sch-empty">
            <p>No enabled channel yet.</p>
            <button
              type="button"
              className="button button--primary"
              onClick={() => openDialog({ kind: 'channels' })}
            >
              Create a channel
            </button>
          </div>
        ) : grid ? (
          <ChannelWeekGrid
            zone={zone}
            from={range.from}
            to={range.to}
            date={ui.date}
            zoom={ui.zoom}
            channels={channels}
            items={items}
            gaps={gaps}
            selected={selected}
            itemsById={itemsById}
            lockBefore={lockBefore}
            focusAt={ui.focusAt}
            now={now}
            actions={actions}
          />
        ) : (
          <Suspense fallback={<div className="sch-calendar muted">Loading calendar…</div>}>
            <ScheduleCalendar
              zone={zone}
              view={ui.view === 'channels' ? 'week' : ui.view}
              date={ui.date}
              channels={channels}
              channelId={channelId}
              events={events}
              gaps={gaps}
              selected={selected}
              itemsById={itemsById}
              now={now}
              lockBefore={lockBefore}
              focusAt={ui.focusAt}
              actions={actions}
            />
          </Suspense>
        )}
        {ui.showValidation && channel && (
          <ValidationPanel
            channelId={channel.id}
            channelName={channelLabel(channel)}
            from={range.from}
            to={range.to}
            scheduleVersion={data.data?.scheduleVersions[String(channel.id)] ?? 0}
          />
        )}
      </div>

      {dialog?.kind === 'fill' && (
        <FillDialog
          channelId={dialog.channelId}
          channelName={channelLabel(
            channels.find((c) => c.id === dialog.channelId) ?? { number: 0, name: '?' },
          )}
          from={dialog.from}
          to={dialog.to}
          gap={dialog.gap}
          actions={actions}
        />
      )}
      {dialog?.kind === 'templates' && (
        <TemplatesDialog
          channels={channels}
          channelId={channelId}
          date={ui.date}
          actions={actions}
        />
      )}
      {dialog?.kind === 'copy' && (
        <CopyDialog channels={channels} channelId={channelId} date={ui.date} actions={actions} />
      )}
      {dialog?.kind === 'transfer' && channel && (
        <TransferDialog
          channelId={channel.id}
          channelName={channel.name}
          from={range.from}
          to={range.to}
          actions={actions}
        />
      )}
      {dialog?.kind === 'channels' && <ChannelsPanel onClose={closeDialog} />}
    </div>
  );
}
