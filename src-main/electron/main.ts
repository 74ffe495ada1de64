// Electron main process: lifecycle, the app:// scheme, one window, the contract over IPC.
// Thin on purpose: everything the app does lives in the core (src-main/core).
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import { createCore, type Core } from '../core/create-core';
import { startHttpServer, type RunningServer } from '../core/http/http-server';
import { createStderrLogger } from '../core/logger';
import {
  createIpcSessions,
  desktopWindowIdOf,
  desktopConnectionId,
  forwardEvents,
  isAppOriginFrame,
  registerContractIpc,
} from '../core/rpc/ipc-adapter';
import { APP_VERSION } from '../core/version';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { guardAllWebContents, hardenSession } from './security';
import { createShutdownGate, describeStartupError, devNativeBinding } from './startup';
import { createKeychainSecretBox } from './keychain-secret-box';
import { createWallScreens } from './wall-window';
import { createMainWindow } from './window';

/** Closing the core (ffmpeg children, database) must not keep a quitting app alive forever. */
const SHUTDOWN_DEADLINE_MS = 5000;

const logger = createStderrLogger('airdeck-desktop');

// This bundle is dist/main/electron.cjs; the preload and the renderer are built next to it.
const preloadPath = join(__dirname, 'preload.cjs');
const rendererDir = join(__dirname, '..', 'renderer');

registerAppScheme();

function broadcast(channel: string, message: unknown, accept: (id: number) => boolean): void {
  for (const win of BrowserWindow.getAllWindows()) {
    if (win.isDestroyed() || win.webContents.isDestroyed()) continue;
    if (!accept(win.webContents.id)) continue;
    win.webContents.send(channel, message);
  }
}

function openWindow(core: Core): BrowserWindow {
  const win = createMainWindow({ preloadPath, devTools: !app.isPackaged, logger });
  const release = core.trackConnection();
  win.on('closed', release);
  return win;
}

async function startDesktopHttpServer(core: Core): Promise<RunningServer> {
  const host = process.env.AIRDECK_HOST ?? '127.0.0.1';
  const port = Number(process.env.AIRDECK_PORT ?? 8740);
  const options = { core, host, rendererDir, logger };
  try {
    return await startHttpServer({ ...options, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return startHttpServer({ ...options, port: 0 });
  }
}

function focusExistingWindow(): void {
  const [win] = BrowserWindow.getAllWindows();
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

async function start(): Promise<void> {
  app.enableSandbox();
  guardAllWebContents(app, logger);
  app.on('second-instance', focusExistingWindow);

  await app.whenReady();
  hardenSession(session.defaultSession, logger);
  serveRenderer(protocol, rendererDir);

  const dataDir = app.getPath('userData');
  let core: Core;
  try {
    core = await createCore({
      dataDir,
      mode: 'desktop',
      version: APP_VERSION,
      logger,
      nativeBinding: devNativeBinding(app.getAppPath(), app.isPackaged),
      // After `ready`: safeStorage needs the app ready (and on Linux the secret service).
      secretBox: createKeychainSecretBox(safeStorage),
    });
  } catch (error) {
    logger.error('the core could not start', error);
    dialog.showErrorBox('Airdeck cannot start', describeStartupError(error, dataDir));
    app.exit(1);
    return;
  }

  // The desktop app serves the same HTTP outputs as `serve` (media for its own page, and later
  // the channel outputs for players on the network); a busy port falls back to a free one.
  let server: RunningServer | null = null;
  try {
    server = await startDesktopHttpServer(core);
    core.publishHttpEndpoint({ baseUrl: server.url, token: null });
    logger.info(`HTTP outputs at ${server.url}`);
  } catch (error) {
    logger.error('the HTTP server could not start; previews and outputs are unavailable', error);
  }

  // Every window signs in; its session stays here, keyed by the window.
  const sessions = createIpcSessions(core.people);
  core.wall.setScreens(
    createWallScreens({
      preloadPath,
      devTools: !app.isPackaged,
      logger,
      track: (win, openedBy) => {
        win.on('closed', core.trackConnection());
        const opener = desktopWindowIdOf(openedBy);
        if (opener !== null) sessions.share(opener, win.webContents.id);
      },
    }),
  );
  const disposeIpc = registerContractIpc(ipcMain, core.dispatch, isAppOriginFrame, sessions);
  const stopEvents = forwardEvents(
    core.bus,
    broadcast,
    (error) => logger.error('could not forward an event', error),
    sessions,
  );
  app.on('web-contents-created', (_event, contents) => {
    const id = contents.id;
    contents.once('destroyed', () => {
      sessions.drop(id);
      core.presence.disconnect(desktopConnectionId(id));
    });
  });

  app.on(
    'before-quit',
    createShutdownGate({
      close: async () => {
        stopEvents();
        disposeIpc();
        core.publishHttpEndpoint({ baseUrl: null, token: null });
        await server?.close();
        await core.close();
      },
      quit: () => app.quit(),
      exit: (code) => app.exit(code),
      onError: (error) => logger.error('shutdown', error),
      deadlineMs: SHUTDOWN_DEADLINE_MS,
    }),
  );
  // Ctrl+C in a terminal (`npm start`) takes the same path, so no ffmpeg child is orphaned.
  process.on('SIGINT', () => app.quit());
  process.on('SIGTERM', () => app.quit());

  // On macOS the app (and every channel on air) keeps running with no window open.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow(core);
  });

  openWindow(core);
}

if (!app.requestSingleInstanceLock()) {
  // Another Airdeck owns the data folder; it was told to come to the front.
  app.quit();
} else {
  start().catch((error: unknown) => {
    logger.error('startup failed', error);
    dialog.showErrorBox(
      'Airdeck cannot start',
      error instanceof Error ? error.message : String(error),
    );
    app.exit(1);
  });
}
