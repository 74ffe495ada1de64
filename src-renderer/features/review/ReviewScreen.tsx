import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RecordedSource } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import { useAuthStore } from '../auth/store';
import { clockText, formatStationTime } from '../clock/format-station-time';
import { useClockStore } from '../clock/store';
import { useSettings } from '../settings/queries';
import { Button, TimeRuler, toast, useShortcuts, type RulerMark, type Shortcut } from '../../ui';
import { deskPlayers } from './desk-players';
import {
  focusTile,
  LAYOUTS,
  loadDeskFor,
  pickSource,
  playingOf,
  setLayout,
  setLocked,
  setPlaying,
  setSpeed,
  SPEEDS,
  speedOf,
  stepSpeed,
  togglePlaying,
  useDesk,
  type Point,
} from './desk-store';
import { MyShiftPanel } from '../shifts/MyShiftPanel';
import { ClipTargetsDialog } from './ClipTargetsDialog';
import { JobsPanel } from './JobsPanel';
import { NoteDialog, type NoteDraft } from './NoteDialog';
import { NotesPanel } from './NotesPanel';
import { useShiftDesk } from './use-shift-desk';
import {
  useCoverage,
  useDeskNotes,
  useNoteTemplates,
  useRecordedSources,
  useReviewEvents,
  useClipDeliveries,
  useClipTargets,
  useReviewJobs,
} from './queries';
import { useDeskReport } from './use-desk-report';
import { ReviewTile } from './ReviewTile';
import './review.css';

const SKIP_MS = 10_000;
const CLIP_AROUND_MARKER_MS = 10_000;
/** Locked tiles further apart than this (air time, scaled by speed) are pulled to the focused one. */
const LOCK_TOLERANCE_MS = 1_500;
const ZOOMS = [
  { ms: 600_000, label: '10 min' },
  { ms: 3_600_000, label: '1 h' },
  { ms: 6 * 3_600_000, label: '6 h' },
  { ms: 24 * 3_600_000, label: '24 h' },
] as const;

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
const errorOf = (error: unknown) => toast(errorText(error), 'error');

/** The focused tile's player, its source and the air time of its frame on screen. */
function focusedTarget(sources: readonly RecordedSource[]) {
  const { focused, tiles } = useDesk.getState();
  const player = deskPlayers.get(focused);
  const sourceId = tiles[focused]?.sourceId ?? null;
  const source = sources.find((s) => s.id === sourceId);
  const at = player?.frameAirTime() ?? null;
  return source && player && at !== null ? { player, source, at: Math.round(at) } : null;
}

type Window = { from: number; to: number };

function rulerWindow(current: Window | null, anchor: number | null, zoom: number): Window | null {
  if (anchor === null) return current;
  if (current && current.to - current.from === zoom) {
    const margin = zoom * 0.1;
    if (anchor > current.from + margin && anchor < current.to - margin) return current;
  }
  const from = Math.floor((anchor - zoom * 0.5) / 10_000) * 10_000;
  return { from, to: from + zoom };
}

/** Polls the focused tile's frame air time (the ruler's playhead) a few times a second. */
function useFocusedAirTime(): number | null {
  const [air, setAir] = useState<number | null>(null);
  useEffect(() => {
    const timer = setInterval(() => {
      const at = deskPlayers.get(useDesk.getState().focused)?.frameAirTime() ?? null;
      setAir(at === null ? null : Math.round(at));
    }, 250);
    return () => clearInterval(timer);
  }, []);
  return air;
}

/** Moves the focused tile, or every tile when locked, to `at` (or by `delta` from its frame). */
function seekDesk(target: { at?: number; delta?: number }) {
  const { locked, focused } = useDesk.getState();
  const leader = deskPlayers.get(focused)?.frameAirTime() ?? null;
  const players = locked ? [...deskPlayers.values()] : [deskPlayers.get(focused)];
  for (const player of players) {
    if (!player) continue;
    const base = locked ? leader : player.frameAirTime();
    const at = target.at ?? (base === null ? null : base + (target.delta ?? 0));
    if (at !== null) player.seekAir(at);
  }
}

/**
 * The review desk: recorded sources side by side at up to 16×, locked to one air time or each on
 * its own, with a ruler in station time, markers, in/out points, screenshots and clips taken at
 * the frame on screen. Keyboard first; every key is on screen.
 */
export function ReviewScreen() {
  useReviewEvents();
  useDeskReport();
  const api = useApi();
  const person = useAuthStore((s) => s.person);
  const canEdit = useAuthStore((s) => s.permissions.has('review.edit'));
  const canManage = useAuthStore((s) => s.permissions.has('settings.manage'));
  const [targetsOpen, setTargetsOpen] = useState(false);
  const settings = useSettings().data;
  const sourcesQuery = useRecordedSources();
  const jobs = useReviewJobs();
  const deliveries = useClipDeliveries();
  const clipTargets = useClipTargets();
  const desk = useDesk();
  const sources = useMemo(() => sourcesQuery.data?.sources ?? [], [sourcesQuery.data]);
  const focusedAir = useFocusedAirTime();
  const [zoom, setZoom] = useState<number>(ZOOMS[0].ms);
  const [win, setWin] = useState<Window | null>(null);
  const [noteDraft, setNoteDraft] = useState<NoteDraft | null>(null);
  const templates = useNoteTemplates();
  const deskSourceIds = useMemo(
    () =>
      [
        ...new Set(
          desk.tiles
            .slice(0, desk.layout)
            .map((t) => t.sourceId)
            .filter((id): id is number => id !== null),
        ),
      ].sort((a, b) => a - b),
    [desk.tiles, desk.layout],
  );
  const notes = useDeskNotes(deskSourceIds);

  useEffect(() => {
    if (person) loadDeskFor(person.id);
  }, [person]);
  // After the saved desk has loaded (the effect above runs first): the shift's sources, once.
  useShiftDesk(person !== null);

  const formatTime = useCallback(
    (at: number) =>
      settings
        ? clockText(formatStationTime(at, settings.timeZone, settings.clockFormat))
        : new Date(at).toLocaleTimeString(),
    [settings],
  );

  const focusedSourceId = desk.tiles[desk.focused]?.sourceId ?? null;
  const focusedSource = sources.find((s) => s.id === focusedSourceId);
  const speed = speedOf(desk, desk.focused);
  const playing = playingOf(desk, desk.focused);

  // The ruler's window follows the playhead in steps, so its coverage query stays put meanwhile.
  const nextWin = rulerWindow(win, focusedAir ?? focusedSource?.lastAt ?? null, zoom);
  if (nextWin !== win) setWin(nextWin);
  const coverage = useCoverage(focusedSourceId, win?.from ?? 0, win?.to ?? 0);

  // Locked tiles follow the focused one: a tile that drifted (a stall, a late start) is pulled back.
  useEffect(() => {
    const timer = setInterval(() => {
      const state = useDesk.getState();
      if (!state.locked || !state.sharedPlaying) return;
      const leader = deskPlayers.get(state.focused);
      const at = leader?.frameAirTime() ?? null;
      // A stalled leader or follower catches up by itself; a seek now would only stall it again.
      if (at === null || leader?.state.status !== 'playing') return;
      const tolerance = LOCK_TOLERANCE_MS * Math.max(1, state.sharedSpeed / 2);
      for (const [index, player] of deskPlayers) {
        if (index === state.focused || index >= state.layout) continue;
        const own = player.frameAirTime();
        if (player.state.status !== 'playing') continue;
        if (own !== null && Math.abs(own - at) > tolerance && player.covers(at)) player.seekAir(at);
      }
    }, 1000);
    return () => clearInterval(timer);
  }, []);

  const addPoint = (kind: 'marker' | 'in' | 'out') => {
    const target = focusedTarget(sources);
    if (!target) return void toast('Nothing on screen to mark yet.', 'error');
    const point: Point = { sourceId: target.source.id, at: target.at };
    if (kind === 'marker') {
      useDesk.setState((s) => ({ markers: [...s.markers, point].slice(-200) }));
      if (canEdit)
        api
          .call('notesCreate', { sourceId: point.sourceId, kind: 'marker', at: point.at })
          .catch(errorOf);
    } else useDesk.setState(kind === 'in' ? { inPoint: point } : { outPoint: point });
    toast(
      `${kind === 'marker' ? 'Marker' : kind === 'in' ? 'In point' : 'Out point'} at ${formatTime(point.at)} on ${target.source.name}`,
      'info',
      { testId: `review-${kind}-toast`, replace: true },
    );
  };

  const screenshot = () => {
    const target = focusedTarget(sources);
    if (!target) return void toast('Nothing on screen to grab yet.', 'error');
    api
      .call('reviewScreenshot', { sourceId: target.source.id, at: target.at, format: 'png' })
      .then(
        () => toast(`Screenshot of ${formatTime(target.at)} queued`, 'ok', { replace: true }),
        errorOf,
      );
  };

  const clip = () => {
    const { inPoint, outPoint, markers } = useDesk.getState();
    const target = focusedTarget(sources);
    const sourceId = target?.source.id ?? focusedSourceId;
    if (sourceId === null) return void toast('Pick a source first.', 'error');
    let range: { inAt: number; outAt: number } | null = null;
    if (
      inPoint &&
      outPoint &&
      inPoint.sourceId === sourceId &&
      outPoint.sourceId === sourceId &&
      outPoint.at > inPoint.at
    )
      range = { inAt: inPoint.at, outAt: outPoint.at };
    else {
      const marker = markers.filter((m) => m.sourceId === sourceId).at(-1);
      if (marker)
        range = {
          inAt: marker.at - CLIP_AROUND_MARKER_MS,
          outAt: marker.at + CLIP_AROUND_MARKER_MS,
        };
    }
    if (!range)
      return void toast('Set in and out points (I, O) or a marker (M) first.', 'error', {
        replace: true,
      });
    const { inAt, outAt } = range;
    api.call('reviewClip', { sourceId, inAt, outAt }).then(() => {
      toast(`Clip ${formatTime(inAt)}–${formatTime(outAt)} queued`, 'ok', { replace: true });
      useDesk.setState({ inPoint: null, outPoint: null });
    }, errorOf);
  };

  /**
   * A: one clip per tile of the same moment, as one job (tiles locked to one time): in to out
   * points, else the last marker ± 10 s, else the frame on screen ± 10 s.
   */
  const clipAll = () => {
    const { locked, inPoint, outPoint, markers, tiles, layout } = useDesk.getState();
    if (!locked)
      return void toast('Lock the tiles to one time first: all tiles clip one moment.', 'error', {
        replace: true,
      });
    const sourceIds = [
      ...new Set(
        tiles
          .slice(0, layout)
          .map((t) => t.sourceId)
          .filter((id): id is number => id !== null),
      ),
    ];
    if (sourceIds.length === 0) return void toast('Pick sources into the tiles first.', 'error');
    const around = (at: number) => ({
      inAt: at - CLIP_AROUND_MARKER_MS,
      outAt: at + CLIP_AROUND_MARKER_MS,
    });
    const marker = markers.at(-1);
    const onScreen = focusedTarget(sources);
    const range =
      inPoint && outPoint && outPoint.at > inPoint.at
        ? { inAt: inPoint.at, outAt: outPoint.at }
        : marker
          ? around(marker.at)
          : onScreen
            ? around(onScreen.at)
            : null;
    if (!range) return void toast('Nothing on screen to clip yet.', 'error', { replace: true });
    api.call('reviewClipBatch', { sourceIds, ...range }).then(() => {
      toast(
        `Clips of ${sourceIds.length} sources, ${formatTime(range.inAt)}–${formatTime(range.outAt)}, queued`,
        'ok',
        { replace: true, testId: 'review-clip-all-toast' },
      );
      useDesk.setState({ inPoint: null, outPoint: null });
    }, errorOf);
  };

  const deliver = (jobId: number, targetId: number) =>
    api
      .call('clipDeliver', { jobId, targetId })
      .then((d) => toast(`Clip sent to ${d.targetName}`, 'info', { replace: true }), errorOf);
  const retryDelivery = (id: number) =>
    api
      .call('clipDeliveryRetry', { id })
      .then((d) => toast(`Sending to ${d.targetName} again`, 'info', { replace: true }), errorOf);

  /** N: the note dialog at the frame on screen, with a screenshot of that frame attached. */
  const openNote = () => {
    const target = focusedTarget(sources);
    if (!target) return void toast('Nothing on screen to note yet.', 'error');
    setPlaying(false);
    const { inPoint, outPoint } = useDesk.getState();
    const range =
      inPoint?.sourceId === target.source.id &&
      outPoint?.sourceId === target.source.id &&
      outPoint.at > inPoint.at
        ? { inAt: inPoint.at, outAt: outPoint.at }
        : null;
    api.call('reviewScreenshot', { sourceId: target.source.id, at: target.at, format: 'png' }).then(
      (screenshot) => setNoteDraft({ source: target.source, at: target.at, range, screenshot }),
      (error: unknown) => {
        errorOf(error);
        setNoteDraft({ source: target.source, at: target.at, range, screenshot: null });
      },
    );
  };

  const jumpLive = () => {
    const now = Date.now() + useClockStore.getState().offsetMs;
    setSpeed(1);
    seekDesk({ at: now - SKIP_MS });
    setPlaying(true);
  };

  const frameStep = (direction: 1 | -1) => {
    setPlaying(false);
    deskPlayers.get(useDesk.getState().focused)?.stepFrame(direction);
  };

  const shortcuts: Shortcut[] = [
    { keys: 'Space', label: 'Play or pause', run: togglePlaying },
    { keys: '[ / -', label: 'Slower', run: () => stepSpeed(-1) },
    { keys: '] / +', label: 'Faster', run: () => stepSpeed(1) },
    { keys: 'J', label: 'Back 10 s', run: () => seekDesk({ delta: -SKIP_MS }) },
    { keys: 'L', label: 'Forward 10 s', run: () => seekDesk({ delta: SKIP_MS }) },
    { keys: ',', label: 'Pause, one frame back', run: () => frameStep(-1) },
    { keys: '.', label: 'Pause, one frame forward', run: () => frameStep(1) },
    { keys: 'G', label: 'Jump to live', run: jumpLive },
    { keys: 'M', label: 'Marker at the frame on screen', run: () => addPoint('marker') },
    { keys: 'I', label: 'In point', run: () => addPoint('in') },
    { keys: 'O', label: 'Out point', run: () => addPoint('out') },
    ...(canEdit
      ? [
          { keys: 'S', label: 'Screenshot of the frame on screen', run: screenshot },
          { keys: 'C', label: 'Clip from in to out (or marker ± 10 s)', run: clip },
          {
            keys: 'A',
            label: 'Clip all tiles at one moment (tiles locked; in to out, or marker ± 10 s)',
            run: clipAll,
          },
          { keys: 'N', label: 'Note at the frame on screen', run: openNote },
        ]
      : []),
    ...Array.from({ length: 9 }, (_, i) => ({
      keys: String(i + 1),
      label: `Focus tile ${i + 1}`,
      run: () => focusTile(i),
      display: i === 0 ? '1–9' : undefined,
    })).slice(0, 9),
  ];
  useShortcuts('review', shortcuts);

  const marks: RulerMark[] = useMemo(() => {
    if (focusedSourceId === null) return [];
    // An editor's markers are stored as notes (drawn from the notes below); a reader's stay here.
    const list: RulerMark[] = (canEdit ? [] : desk.markers)
      .filter((m) => m.sourceId === focusedSourceId)
      .map((m) => ({ at: m.at, kind: 'marker', label: `Marker ${formatTime(m.at)}` }));
    if (desk.inPoint?.sourceId === focusedSourceId)
      list.push({ at: desk.inPoint.at, kind: 'in', label: `In ${formatTime(desk.inPoint.at)}` });
    if (desk.outPoint?.sourceId === focusedSourceId)
      list.push({
        at: desk.outPoint.at,
        kind: 'out',
        label: `Out ${formatTime(desk.outPoint.at)}`,
      });
    for (const note of notes.data?.notes ?? []) {
      if (note.sourceId !== focusedSourceId) continue;
      list.push({
        at: note.at,
        kind: note.kind === 'marker' ? 'marker' : 'note',
        label: `${note.kind === 'marker' ? 'Marker' : 'Note'} ${formatTime(note.at)}${note.text ? `: ${note.text.slice(0, 60)}` : ''}`,
      });
    }
    for (const job of jobs.data?.jobs ?? []) {
      if (job.sourceId !== focusedSourceId || job.state === 'failed') continue;
      list.push(
        job.kind === 'clip'
          ? {
              at: job.fromAt,
              to: job.toAt,
              kind: 'clip',
              label: `Clip ${formatTime(job.fromAt)}–${formatTime(job.toAt)}`,
            }
          : { at: job.fromAt, kind: 'screenshot', label: `Screenshot ${formatTime(job.fromAt)}` },
      );
    }
    return list;
  }, [
    canEdit,
    desk.markers,
    desk.inPoint,
    desk.outPoint,
    jobs.data,
    notes.data,
    focusedSourceId,
    formatTime,
  ]);

  const visibleTiles = desk.tiles.slice(0, desk.layout);
  const columns = Math.sqrt(desk.layout);

  return (
    <div
      className="review"
      data-testid="review-screen"
      data-speed={speed}
      data-locked={desk.locked ? 'yes' : 'no'}
      data-focused={desk.focused}
    >
      <header className="review__header">
        <h1 className="review__title">Review</h1>
        <div className="review__group" role="radiogroup" aria-label="Layout">
          {LAYOUTS.map((layout) => (
            <Button
              key={layout}
              size="sm"
              role="radio"
              aria-checked={desk.layout === layout}
              variant={desk.layout === layout ? 'primary' : 'default'}
              onClick={() => setLayout(layout)}
            >
              {layout === 1 ? '1' : `${Math.sqrt(layout)}×${Math.sqrt(layout)}`}
            </Button>
          ))}
        </div>
        <Button
          size="sm"
          aria-pressed={desk.locked}
          data-testid="review-lock"
          onClick={() => setLocked(!desk.locked)}
        >
          {desk.locked ? 'Locked to one time' : 'Each on its own'}
        </Button>
        <div className="review__group" role="radiogroup" aria-label="Speed">
          {SPEEDS.map((s) => (
            <Button
              key={s}
              size="sm"
              role="radio"
              aria-checked={speed === s}
              variant={speed === s ? 'primary' : 'default'}
              onClick={() => setSpeed(s)}
            >
              {s}×
            </Button>
          ))}
        </div>
        <div className="review__group" aria-label="Transport" role="group">
          <Button size="sm" onClick={() => seekDesk({ delta: -SKIP_MS })} aria-keyshortcuts="J">
            −10 s <kbd>J</kbd>
          </Button>
          <Button
            size="sm"
            variant="go"
            onClick={togglePlaying}
            aria-keyshortcuts="Space"
            data-testid="review-play"
          >
            {playing ? 'Pause' : 'Play'} <kbd>Space</kbd>
          </Button>
          <Button size="sm" onClick={() => seekDesk({ delta: SKIP_MS })} aria-keyshortcuts="L">
            +10 s <kbd>L</kbd>
          </Button>
          <Button size="sm" onClick={jumpLive} aria-keyshortcuts="G">
            Live <kbd>G</kbd>
          </Button>
        </div>
        {canEdit && desk.locked && (
          <Button size="sm" onClick={clipAll} aria-keyshortcuts="A" data-testid="review-clip-all">
            Clip all tiles <kbd>A</kbd>
          </Button>
        )}
      </header>

      <div className="review__pickers">
        {visibleTiles.map((tile, index) => (
          <label key={index} className="review__picker">
            <span>Tile {index + 1}</span>
            <select
              value={tile.sourceId ?? ''}
              data-testid="review-pick"
              onChange={(e) => pickSource(index, e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">— none —</option>
              {sources.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                  {s.state === 'recording' ? '' : ` (${s.state})`}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>

      <div className="review__body">
        <div className="review__desk">
          <div
            className="review__grid"
            style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
          >
            {visibleTiles.map((tile, index) => (
              <ReviewTile
                key={index}
                index={index}
                sourceId={tile.sourceId}
                source={sources.find((s) => s.id === tile.sourceId)}
                formatTime={formatTime}
                onFocus={focusTile}
              />
            ))}
          </div>
          <div className="review__ruler">
            <div className="review__ruler-head">
              <span>
                {focusedSource ? focusedSource.name : 'No source'} ·{' '}
                <b data-testid="review-playhead">
                  {focusedAir === null ? '--:--:--' : formatTime(focusedAir)}
                </b>
                {settings ? ` ${settings.timeZone}` : ''}
              </span>
              <label className="review__zoom">
                Ruler shows{' '}
                <select value={zoom} onChange={(e) => setZoom(Number(e.target.value))}>
                  {ZOOMS.map((z) => (
                    <option key={z.ms} value={z.ms}>
                      {z.label}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {win && (
              <TimeRuler
                testId="review-ruler"
                label="Air time of the focused tile"
                from={win.from}
                to={win.to}
                spans={(coverage.data?.spans ?? []).map((s) => ({ from: s.fromAt, to: s.toAt }))}
                gaps={(coverage.data?.gaps ?? []).map((g) => ({
                  from: g.fromAt,
                  to: g.toAt ?? win.to,
                  label: `${g.reason.replace('_', ' ')}${g.detail ? ` (${g.detail})` : ''}`,
                }))}
                marks={marks}
                playhead={focusedAir}
                formatTime={formatTime}
                onSeek={(at) => seekDesk({ at })}
              />
            )}
          </div>
          <KeyLegend canEdit={canEdit} />
        </div>
        <aside className="review__side" aria-label="Shift, notes and jobs">
          {/* The shift's handover notes come first, and a word when there is no shift. */}
          {settings && <MyShiftPanel zone={settings.timeZone} />}
          <NotesPanel
            notes={(notes.data?.notes ?? []).filter((n) => deskSourceIds.includes(n.sourceId))}
            templates={templates.data?.templates ?? []}
            sources={sources}
            formatTime={formatTime}
            onOpen={(note) => {
              const index = desk.tiles
                .slice(0, desk.layout)
                .findIndex((t) => t.sourceId === note.sourceId);
              if (index >= 0) focusTile(index);
              seekDesk({ at: note.at });
            }}
          />
          <JobsPanel
            jobs={jobs.data?.jobs ?? []}
            sources={sources}
            deliveries={deliveries.data?.deliveries ?? []}
            targets={clipTargets.data?.targets ?? []}
            canEdit={canEdit}
            formatTime={formatTime}
            onDeliver={deliver}
            onRetry={retryDelivery}
          />
          {canManage && (
            <Button
              size="sm"
              onClick={() => setTargetsOpen(true)}
              data-testid="review-targets-open"
            >
              Clip delivery…
            </Button>
          )}
        </aside>
        {targetsOpen && (
          <ClipTargetsDialog
            targets={clipTargets.data?.targets ?? []}
            onClose={() => setTargetsOpen(false)}
          />
        )}
        {noteDraft && (
          <NoteDialog
            draft={noteDraft}
            templates={templates.data?.templates ?? []}
            formatTime={formatTime}
            onClose={() => setNoteDraft(null)}
          />
        )}
      </div>
    </div>
  );
}

function KeyLegend({ canEdit }: { canEdit: boolean }) {
  const keys: [string, string][] = [
    ['Space', 'play/pause'],
    ['[ ]', 'speed'],
    ['J L', '∓10 s'],
    [', .', 'frame'],
    ['G', 'live'],
    ['M', 'marker'],
    ['I O', 'in/out'],
    ...(canEdit
      ? ([
          ['S', 'screenshot'],
          ['C', 'clip'],
          ['A', 'clip all tiles'],
          ['N', 'note'],
        ] as [string, string][])
      : []),
    ['1–9', 'focus tile'],
    ['?', 'all keys'],
  ];
  return (
    <ul className="review__keys" aria-label="Keys">
      {keys.map(([key, label]) => (
        <li key={key}>
          <kbd>{key}</kbd> {label}
        </li>
      ))}
    </ul>
  );
}
