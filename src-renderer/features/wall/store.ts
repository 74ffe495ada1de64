import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { DraftLayout } from './layout-model';

/** This window's wall preference: the layout it showed last (null: every source). */
export const useWallPrefs = create<{ lastLayoutId: number | null }>()(
  persist(() => ({ lastLayoutId: null as number | null }), {
    name: 'airdeck.wall',
    version: 1,
    storage: createJSONStorage(() => localStorage),
  }),
);

export function rememberLayout(id: number | null): void {
  if (useWallPrefs.getState().lastLayoutId !== id) useWallPrefs.setState({ lastLayoutId: id });
}

type WallState = {
  /** Tile (cell index) heard and highlighted; null: every tile muted. */
  solo: number | null;
  /** Tile shown alone, full size; the others stop loading. */
  enlarged: number | null;
  /** The layout being edited (grid size, cells, name); null while just watching. */
  draft: DraftLayout | null;
};

export const useWallStore = create<WallState>()(() => ({
  solo: null,
  enlarged: null,
  draft: null,
}));

export function soloTile(index: number | null): void {
  useWallStore.setState({ solo: index });
}

export function toggleEnlarged(index: number): void {
  useWallStore.setState((s) => ({ enlarged: s.enlarged === index ? null : index, solo: index }));
}

/** Esc: first leave the enlarged view, then drop the solo. */
export function stepBack(): void {
  useWallStore.setState((s) => (s.enlarged !== null ? { enlarged: null } : { solo: null }));
}

export function setDraft(draft: DraftLayout | null): void {
  useWallStore.setState({ draft, solo: null, enlarged: null });
}

export function resetTiles(): void {
  useWallStore.setState({ solo: null, enlarged: null });
}
