// "Open the wall full-screen on display N": the desktop's side of the core's WallScreens.
import { BrowserWindow, screen } from 'electron';
import type { WallDisplay } from '../../src-shared/contract';
import type { Logger } from '../core/logger';
import type { WallScreens } from '../core/wall';
import { APP_ENTRY_URL } from './app-request';
import { secureWebPreferences, WINDOW_BACKGROUND } from './window';

export type WallScreensOptions = {
  preloadPath: string;
  devTools: boolean;
  logger: Logger;
  /**
   * Each wall window counts as a connected window while it is open, and signs in as the window
   * that opened it (`openedBy`, its connection id).
   */
  track(win: BrowserWindow, openedBy: string | null): void;
};

export function createWallScreens(options: WallScreensOptions): WallScreens {
  const displays = (): WallDisplay[] => {
    const primary = screen.getPrimaryDisplay().id;
    return screen.getAllDisplays().map((d, i) => ({
      id: d.id,
      label: d.label || `Display ${i + 1}`,
      width: Math.round(d.size.width * d.scaleFactor),
      height: Math.round(d.size.height * d.scaleFactor),
      primary: d.id === primary,
    }));
  };

  return {
    displays,
    open(displayId, path, openedBy) {
      const display =
        displayId === null
          ? screen.getPrimaryDisplay()
          : screen.getAllDisplays().find((d) => d.id === displayId);
      if (!display) return false;
      const { x, y, width, height } = display.bounds;
      const win = new BrowserWindow({
        title: 'Airdeck wall',
        x,
        y,
        width,
        height,
        fullscreen: true,
        backgroundColor: WINDOW_BACKGROUND,
        show: false,
        webPreferences: {
          ...secureWebPreferences(options.preloadPath, options.devTools),
          // A wall plays and meters audio without anyone clicking on it first.
          autoplayPolicy: 'no-user-gesture-required',
        },
      });
      win.once('ready-to-show', () => win.show());
      options.track(win, openedBy);
      // `path` is `/?fullscreen=1…#/wall`: the same page, under the app:// entry.
      const url = new URL(path, APP_ENTRY_URL);
      url.pathname = new URL(APP_ENTRY_URL).pathname;
      win
        .loadURL(url.href)
        .catch((error: unknown) => options.logger.error('could not load the wall', error));
      return true;
    },
  };
}
