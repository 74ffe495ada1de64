import { create } from 'zustand';

export const SPEEDS = [1, 2, 4, 8, 16] as const;
export type Speed = (typeof SPEEDS)[number];
export const LAYOUTS = [1, 4, 9] as const;
export type DeskLayout = (typeof LAYOUTS)[number];
export const TILE_COUNT = 9;

export type TilePrefs = { sourceId: number | null; speed: Speed };

/** What a person's desk remembers between visits (per person, in this browser). */
export type DeskPrefs = {
  layout: DeskLayout;
  tiles: TilePrefs[];
  /** Tiles locked to one shared air time (and one speed, one play state). */
  locked: boolean;
  sharedSpeed: Speed;
};

export type Point = { sourceId: number; at: number };

type DeskState = DeskPrefs & {
  personId: number | null;
  focused: number;
  /** Play state: shared when locked, per tile otherwise. */
  sharedPlaying: boolean;
  playing: boolean[];
  markers: Point[];
  inPoint: Point | null;
  outPoint: Point | null;
};

const defaults = (): DeskPrefs => ({
  layout: 4,
  tiles: Array.from({ length: TILE_COUNT }, () => ({ sourceId: null, speed: 1 as Speed })),
  locked: true,
  sharedSpeed: 1,
});

export const useDesk = create<DeskState>()(() => ({
  ...defaults(),
  personId: null,
  focused: 0,
  sharedPlaying: false,
  playing: Array.from({ length: TILE_COUNT }, () => false),
  markers: [],
  inPoint: null,
  outPoint: null,
}));

const storageKey = (personId: number) => `airdeck.review.${personId}`;

function readPrefs(personId: number): DeskPrefs {
  const base = defaults();
  try {
    const raw = JSON.parse(localStorage.getItem(storageKey(personId)) ?? 'null') as unknown;
    if (!raw || typeof raw !== 'object') return base;
    const saved = raw as Partial<DeskPrefs>;
    const speed = (v: unknown): Speed => (SPEEDS.includes(v as Speed) ? (v as Speed) : 1);
    return {
      layout: LAYOUTS.includes(saved.layout as DeskLayout) ? saved.layout! : base.layout,
      tiles: base.tiles.map((tile, i) => {
        const s = Array.isArray(saved.tiles) ? (saved.tiles[i] as Partial<TilePrefs>) : undefined;
        return {
          sourceId: typeof s?.sourceId === 'number' ? s.sourceId : null,
          speed: speed(s?.speed ?? tile.speed),
        };
      }),
      locked: typeof saved.locked === 'boolean' ? saved.locked : base.locked,
      sharedSpeed: speed(saved.sharedSpeed),
    };
  } catch {
    return base;
  }
}

/** Loads the person's desk; later changes are saved for them as they happen. */
export function loadDeskFor(personId: number) {
  if (useDesk.getState().personId === personId) return;
  useDesk.setState({ ...readPrefs(personId), personId, focused: 0 });
}

useDesk.subscribe((state, previous) => {
  if (state.personId === null) return;
  if (
    state.layout === previous.layout &&
    state.tiles === previous.tiles &&
    state.locked === previous.locked &&
    state.sharedSpeed === previous.sharedSpeed
  )
    return;
  const prefs: DeskPrefs = {
    layout: state.layout,
    tiles: state.tiles,
    locked: state.locked,
    sharedSpeed: state.sharedSpeed,
  };
  try {
    localStorage.setItem(storageKey(state.personId), JSON.stringify(prefs));
  } catch {
    // A full or refused storage only costs the memory of the layout.
  }
});

export function speedOf(state: DeskState, index: number): Speed {
  return state.locked ? state.sharedSpeed : (state.tiles[index]?.speed ?? 1);
}

export function playingOf(state: DeskState, index: number): boolean {
  return state.locked ? state.sharedPlaying : Boolean(state.playing[index]);
}

export function stepSpeed(direction: 1 | -1) {
  useDesk.setState((s) => {
    const current = speedOf(s, s.focused);
    const next =
      SPEEDS[Math.min(Math.max(SPEEDS.indexOf(current) + direction, 0), SPEEDS.length - 1)]!;
    return s.locked
      ? { sharedSpeed: next }
      : { tiles: s.tiles.map((t, i) => (i === s.focused ? { ...t, speed: next } : t)) };
  });
}

export function setSpeed(speed: Speed) {
  useDesk.setState((s) =>
    s.locked
      ? { sharedSpeed: speed }
      : { tiles: s.tiles.map((t, i) => (i === s.focused ? { ...t, speed } : t)) },
  );
}

export function setPlaying(playing: boolean) {
  useDesk.setState((s) =>
    s.locked
      ? { sharedPlaying: playing }
      : { playing: s.playing.map((p, i) => (i === s.focused ? playing : p)) },
  );
}

export function togglePlaying() {
  const s = useDesk.getState();
  setPlaying(!playingOf(s, s.focused));
}

export function setLocked(locked: boolean) {
  useDesk.setState((s) =>
    locked
      ? { locked, sharedSpeed: speedOf(s, s.focused), sharedPlaying: playingOf(s, s.focused) }
      : {
          locked,
          tiles: s.tiles.map((t) => ({ ...t, speed: s.sharedSpeed })),
          playing: s.playing.map(() => s.sharedPlaying),
        },
  );
}

export function pickSource(index: number, sourceId: number | null) {
  useDesk.setState((s) => ({
    tiles: s.tiles.map((t, i) => (i === index ? { ...t, sourceId } : t)),
  }));
}

export function setLayout(layout: DeskLayout) {
  useDesk.setState((s) => ({ layout, focused: Math.min(s.focused, layout - 1) }));
}

export function focusTile(index: number) {
  useDesk.setState((s) => (index < s.layout ? { focused: index } : {}));
}
