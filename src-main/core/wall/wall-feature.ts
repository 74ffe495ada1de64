// The multiview wall as a core feature: saved layouts, and opening the full-screen wall on a
// display where the host can open windows (the desktop app registers a WallScreens host).
import {
  wallFullscreenPath,
  type WallDisplay,
  type WallLayout,
  type WallLayoutSave,
} from '../../../src-shared/contract';
import type { CoreContext, Feature } from '../core-context';
import { AppError } from '../errors';
import { createWallStore } from './wall-store';

export type WallMethod =
  'wallLayoutsList' | 'wallLayoutSave' | 'wallLayoutDelete' | 'wallDisplays' | 'wallOpenFullscreen';

/** What a host with windows offers (Electron's `screen` + BrowserWindow); `serve` has none. */
export type WallScreens = {
  displays(): WallDisplay[];
  /**
   * Opens `path` (see wallFullscreenPath) full-screen on the display; false if it is gone.
   * `openedBy` is the connection of the window that asked, so the wall runs as that person.
   */
  open(displayId: number | null, path: string, openedBy: string | null): boolean;
};

export type WallApi = {
  setScreens(screens: WallScreens | null): void;
};

export function createWallFeature(context: CoreContext): Feature<WallMethod> & { wall: WallApi } {
  const { db, bus, clock } = context;
  const store = createWallStore(db, () => clock.now());
  let screens: WallScreens | null = null;

  const announce = () => bus.emit('wallLayoutsChanged', { layouts: store.list() });

  function save(input: WallLayoutSave): WallLayout {
    const clash = store.idByName(input.name);
    if (clash !== undefined && clash !== input.id)
      throw new AppError('conflict', `A layout named "${input.name}" already exists.`);
    if (input.id !== undefined && !store.get(input.id))
      throw new AppError('not_found', `Layout ${input.id} does not exist.`);
    for (const cell of input.cells) {
      if (cell.kind === 'channel' && !store.channelExists(cell.channelId))
        throw new AppError('not_found', `Channel ${cell.channelId} does not exist.`);
    }
    const id = store.save(input);
    announce();
    return store.get(id)!;
  }

  function remove(id: number): void {
    if (!store.remove(id)) throw new AppError('not_found', `Layout ${id} does not exist.`);
    announce();
  }

  const wall: WallApi = {
    setScreens(next) {
      screens = next;
    },
  };

  return {
    wall,
    handlers: {
      wallLayoutsList: () => ({ layouts: store.list() }),
      wallLayoutSave: (input) => save(input),
      wallLayoutDelete: ({ id }) => {
        remove(id);
        return { id };
      },
      wallDisplays: () => ({ displays: screens?.displays() ?? [] }),
      wallOpenFullscreen: ({ layoutId, displayId }, caller) => {
        if (layoutId !== null && !store.get(layoutId))
          throw new AppError('not_found', `Layout ${layoutId} does not exist.`);
        const path = wallFullscreenPath(layoutId);
        if (!screens) return { opened: false, path };
        const openedBy = caller.kind === 'window' ? (caller.connectionId ?? null) : null;
        if (!screens.open(displayId, path, openedBy))
          throw new AppError('not_found', `Display ${String(displayId)} is not connected.`);
        return { opened: true, path };
      },
    },
  };
}
