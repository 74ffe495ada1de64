import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { WALL_PRESETS, type Alarm } from '../../../src-shared/contract';
import { isDesktop, mediaUrl } from '../../app/api/media';
import { keyQuery } from '../channels-control/OutputsPanel';
import { useOutputsSettings, usePlayoutStatus } from '../channels-control/queries';
import { useStationClock } from '../clock/use-station-clock';
import { audioRunning, onAudioState, resumeAudio } from './audio-meter';
import { LayoutEditor } from './LayoutEditor';
import {
  automaticLayout,
  fromSaved,
  resizeLayout,
  sameLayout,
  type DraftLayout,
  type WallSource,
} from './layout-model';
import {
  useAcknowledgeAlarm,
  useActiveAlarms,
  useDeleteLayout,
  useMonitorSources,
  useOpenFullscreen,
  useSaveLayout,
  useWallDisplays,
  useWallEvents,
  useWallLayouts,
} from './queries';
import { SourcesDialog } from './SourcesDialog';
import {
  rememberLayout,
  resetTiles,
  setDraft,
  soloTile,
  stepBack,
  toggleEnlarged,
  useWallPrefs,
  useWallStore,
} from './store';
import { WallTile, type TileSource } from './WallTile';
import './wall.css';

/** `?fullscreen=1&layout=N` before the `#/wall`: the page a second monitor or a wall window opens. */
function readWallParams() {
  const params = new URLSearchParams(window.location.search);
  const layout = Number(params.get('layout'));
  return {
    fullscreen: params.get('fullscreen') === '1',
    layoutId: Number.isInteger(layout) && layout > 0 ? layout : null,
  };
}

function useAudioRunning(): boolean {
  return useSyncExternalStore(onAudioState, audioRunning);
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function WallScreen() {
  useWallEvents();
  const [params] = useState(readWallParams);
  const status = usePlayoutStatus();
  const outputs = useOutputsSettings();
  const layouts = useWallLayouts();
  const streams = useMonitorSources();
  const alarms = useActiveAlarms();
  const acknowledge = useAcknowledgeAlarm();
  const saveLayout = useSaveLayout();
  const deleteLayout = useDeleteLayout();
  const openFullscreen = useOpenFullscreen();
  const displays = useWallDisplays();
  const lastLayoutId = useWallPrefs((p) => p.lastLayoutId);
  const { solo, enlarged, draft } = useWallStore(
    useShallow((s) => ({ solo: s.solo, enlarged: s.enlarged, draft: s.draft })),
  );
  const clock = useStationClock();
  const running = useAudioRunning();
  const [sourcesOpen, setSourcesOpen] = useState(false);
  const [displayId, setDisplayId] = useState<number | null>(null);
  const [name, setName] = useState('');

  const chosenId = params.fullscreen ? params.layoutId : lastLayoutId;
  const channels = useMemo(() => status.data?.channels ?? [], [status.data]);
  const sourceList = useMemo(() => streams.data?.sources ?? [], [streams.data]);
  const allSources: WallSource[] = useMemo(
    () => [
      ...channels.map((c) => ({ kind: 'channel' as const, id: c.channelId, name: c.name })),
      ...sourceList.map((s) => ({ kind: 'stream' as const, id: s.id, name: s.name })),
    ],
    [channels, sourceList],
  );
  const saved = layouts.data?.layouts.find((l) => l.id === chosenId);
  const shown: DraftLayout = draft ?? (saved ? fromSaved(saved) : automaticLayout(allSources));
  const dirty = draft !== null && !(saved && sameLayout(draft, fromSaved(saved)));

  useEffect(() => () => resetTiles(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') stepBack();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const alarmsBySource = useMemo(() => {
    const map = new Map<string, Alarm[]>();
    for (const alarm of alarms.data ?? []) {
      const key = `${alarm.sourceKind === 'channel' ? 'channel' : 'stream'}:${alarm.sourceId}`;
      map.set(key, [...(map.get(key) ?? []), alarm]);
    }
    return map;
  }, [alarms.data]);

  const onSolo = useCallback((index: number) => {
    resumeAudio();
    soloTile(useWallStore.getState().solo === index ? null : index);
  }, []);
  const onEnlarge = useCallback((index: number) => {
    resumeAudio();
    toggleEnlarged(index);
  }, []);
  const acknowledgeAlarm = acknowledge.mutate;
  const onAcknowledge = useCallback((id: number) => acknowledgeAlarm(id), [acknowledgeAlarm]);

  const chooseLayout = (id: number | null) => {
    setDraft(null);
    rememberLayout(id);
  };
  const startEditing = (cols: number, rows: number) => {
    if (!draft) setName(saved?.name ?? '');
    setDraft(resizeLayout(shown, cols, rows));
  };
  /** Saves the draft over its layout, or as a new one (always for the automatic layout). */
  const persist = (asNew: boolean) => {
    const layoutName = name.trim();
    if (!draft || !layoutName) return;
    saveLayout.mutate(
      {
        ...(asNew || draft.id === null ? {} : { id: draft.id }),
        name: layoutName,
        cols: draft.cols,
        rows: draft.rows,
        cells: draft.cells,
      },
      {
        onSuccess: (layout) => {
          setDraft(null);
          rememberLayout(layout.id);
        },
      },
    );
  };
  const openWall = () => {
    const layoutId = saved?.id ?? null;
    openFullscreen.mutate(
      { layoutId, displayId },
      {
        onSuccess: ({ opened, path }) => {
          if (!opened) window.open(mediaUrl(path), '_blank', 'noopener');
        },
      },
    );
  };

  const tileFor = (index: number): TileSource | null => {
    const cell = shown.cells[index];
    if (!cell || cell.kind === 'empty') return null;
    if (cell.kind === 'channel')
      return {
        kind: 'channel',
        channelId: cell.channelId,
        status: channels.find((c) => c.channelId === cell.channelId),
      };
    return {
      kind: 'stream',
      sourceId: cell.sourceId,
      source: sourceList.find((s) => s.id === cell.sourceId),
    };
  };

  const clockText = clock.time
    ? `${clock.time.hours}:${clock.time.minutes}:${clock.time.seconds}`
    : '--:--:--';
  const q = keyQuery(outputs.data);
  const problem =
    saveLayout.error ?? deleteLayout.error ?? openFullscreen.error ?? acknowledge.error;
  const squareOf = shown.cols === shown.rows ? shown.cols : null;

  return (
    <section
      className={`wall${params.fullscreen ? ' wall--fullscreen' : ''}`}
      data-testid="wall-screen"
      aria-label="Multiview wall"
      onPointerDown={() => resumeAudio()}
    >
      <h1 className="visually-hidden">Wall</h1>
      {!params.fullscreen && (
        <header className="wall-bar">
          <label className="field wall-field">
            <span>Layout</span>
            <select
              value={saved ? String(saved.id) : ''}
              data-testid="wall-layout-select"
              onChange={(e) => chooseLayout(e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">All sources</option>
              {(layouts.data?.layouts ?? []).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          <div className="wall-bar__presets" role="group" aria-label="Grid">
            {WALL_PRESETS.map((n) => (
              <button
                key={n}
                type="button"
                className={`button wall-bar__preset${squareOf === n ? ' wall-bar__preset--on' : ''}`}
                data-testid={`wall-preset-${n}`}
                onClick={() => startEditing(n, n)}
              >
                {n === 1 ? '1' : `${n}×${n}`}
              </button>
            ))}
            <button
              type="button"
              className={`button wall-bar__preset${draft ? ' wall-bar__preset--on' : ''}`}
              data-testid="wall-custom"
              onClick={() => startEditing(shown.cols, shown.rows)}
            >
              Custom…
            </button>
          </div>
          {draft && (
            <div className="wall-bar__save">
              <input
                value={name}
                placeholder="Layout name"
                maxLength={80}
                onChange={(e) => setName(e.target.value)}
                data-testid="wall-layout-name"
                aria-label="Layout name"
              />
              <button
                type="button"
                className="button button--primary"
                disabled={!name.trim() || saveLayout.isPending}
                onClick={() => persist(false)}
                data-testid="wall-save"
              >
                Save
              </button>
              {draft.id !== null && (
                <button
                  type="button"
                  className="button"
                  disabled={!name.trim()}
                  onClick={() => persist(true)}
                >
                  Save as new
                </button>
              )}
              <button
                type="button"
                className="button"
                onClick={() => setDraft(null)}
                data-testid="wall-cancel"
              >
                {dirty ? 'Discard' : 'Done'}
              </button>
            </div>
          )}
          {!draft && saved && (
            <button
              type="button"
              className="button"
              data-testid="wall-delete"
              onClick={() => {
                if (window.confirm(`Delete the layout "${saved.name}"?`))
                  deleteLayout.mutate(saved.id, { onSuccess: () => chooseLayout(null) });
              }}
            >
              Delete layout
            </button>
          )}
          <span className="wall-bar__spacer" />
          {!running && (
            <button
              type="button"
              className="button wall-bar__audio"
              onClick={() => resumeAudio()}
              data-testid="wall-audio"
            >
              Start audio meters
            </button>
          )}
          <button
            type="button"
            className="button"
            onClick={() => setSourcesOpen(true)}
            data-testid="wall-sources-open"
          >
            Outside streams…
          </button>
          {isDesktop() && (displays.data?.displays.length ?? 0) > 0 && (
            <select
              value={displayId ?? ''}
              aria-label="Display"
              onChange={(e) => setDisplayId(e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">This display</option>
              {displays.data?.displays.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.label} {d.width}×{d.height}
                  {d.primary ? ' (main)' : ''}
                </option>
              ))}
            </select>
          )}
          <button
            type="button"
            className="button"
            onClick={openWall}
            data-testid="wall-open-fullscreen"
          >
            Open full-screen wall
          </button>
        </header>
      )}
      {problem && <p className="wall-problem">{errorText(problem)}</p>}
      {draft ? (
        <LayoutEditor draft={draft} sources={allSources} />
      ) : (
        <div
          className={`wall-grid${enlarged !== null ? ' wall-grid--enlarged' : ''}`}
          style={{
            gridTemplateColumns:
              enlarged !== null ? '1fr' : `repeat(${shown.cols}, minmax(0, 1fr))`,
            gridTemplateRows: enlarged !== null ? '1fr' : `repeat(${shown.rows}, minmax(0, 1fr))`,
          }}
          data-testid="wall-grid"
          data-cols={shown.cols}
          data-rows={shown.rows}
        >
          {shown.cells.map((_, index) => {
            const tile = tileFor(index);
            const hidden = enlarged !== null && enlarged !== index;
            if (!tile)
              return (
                <div
                  key={`empty-${index}`}
                  className={`wall-tile wall-tile--empty${hidden ? ' wall-tile--hidden' : ''}`}
                  data-testid="wall-empty"
                />
              );
            const key =
              tile.kind === 'channel' ? `channel:${tile.channelId}` : `stream:${tile.sourceId}`;
            return (
              <WallTile
                key={`${key}@${index}`}
                index={index}
                tile={tile}
                alarms={alarmsBySource.get(key) ?? []}
                keyQuery={q}
                now={clock.coreNow}
                clock={clockText}
                soloed={solo === index}
                hidden={hidden}
                audioRunning={running}
                onSolo={onSolo}
                onEnlarge={onEnlarge}
                onAcknowledge={onAcknowledge}
              />
            );
          })}
        </div>
      )}
      {sourcesOpen && <SourcesDialog onClose={() => setSourcesOpen(false)} />}
    </section>
  );
}
