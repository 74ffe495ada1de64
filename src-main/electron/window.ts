// The control-room window. Every web preference that matters is spelled out, even defaults.
import { BrowserWindow, type WebPreferences } from 'electron';
import type { Logger } from '../core/logger';
import { APP_ENTRY_URL } from './app-request';

export const WINDOW_BACKGROUND = '#0b0e13';

/** The same locked-down preferences for every window of ours (control room, full-screen wall). */
export function secureWebPreferences(preloadPath: string, devTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
    devTools,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

export type MainWindowOptions = {
  preloadPath: string;
  /** DevTools in a development checkout only; an installed app has none. */
  devTools: boolean;
  logger: Logger;
};

export function createMainWindow({
  preloadPath,
  devTools,
  logger,
}: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Airdeck',
    width: 1600,
    height: 960,
    minWidth: 1024,
    minHeight: 640,
    backgroundColor: WINDOW_BACKGROUND,
    show: false,
    webPreferences: secureWebPreferences(preloadPath, devTools),
  });
  // Shown once painted so the operator never sees a white flash on a dark wall.
  win.once('ready-to-show', () => win.show());
  win
    .loadURL(APP_ENTRY_URL)
    .catch((error: unknown) => logger.error('could not load the UI', error));
  return win;
}
