// Deny-by-default wiring for sessions and every webContents (Electron's security checklist).
// The decisions themselves are in security-policy.ts and unit-tested.
import { shell, type App, type Session, type WebContents } from 'electron';
import type { Logger } from '../core/logger';
import { externalUrl, isNavigationAllowed, isPermissionAllowed } from './security-policy';

/** The one way a URL leaves the app: http(s) only, opened by the operating system. */
export function openExternal(url: unknown, logger: Logger): void {
  const safe = externalUrl(url);
  if (!safe) {
    logger.warn(`refused to open external URL ${String(url).slice(0, 200)}`);
    return;
  }
  shell.openExternal(safe).catch((error: unknown) => logger.error(`could not open ${safe}`, error));
}

/** Permissions: only the short list in security-policy.ts, only for our own origin. */
export function hardenSession(session: Session, logger: Logger): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const allowed = isPermissionAllowed(permission, details.requestingUrl);
    if (!allowed) logger.warn(`denied permission ${permission} to ${details.requestingUrl}`);
    callback(allowed);
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin),
  );
  // Files are written by the core, never downloaded by a page.
  session.on('will-download', (event) => event.preventDefault());
}

function guardWebContents(contents: WebContents, logger: Logger): void {
  const refuseNavigation = (event: {
    preventDefault(): void;
    url: string;
    isMainFrame: boolean;
  }) => {
    if (isNavigationAllowed(event.url)) return;
    event.preventDefault();
    // A link in our page to a web page opens in the browser; a sub-frame only gets blocked.
    if (event.isMainFrame && externalUrl(event.url)) openExternal(event.url, logger);
    else logger.warn(`blocked navigation to ${event.url.slice(0, 200)}`);
  };
  // will-frame-navigate covers the main frame and every sub-frame.
  contents.on('will-frame-navigate', refuseNavigation);
  contents.on('will-redirect', refuseNavigation);
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url, logger);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('blocked a <webview>');
  });
}

/** Installs the guards on every webContents the app ever creates. Call before any window. */
export function guardAllWebContents(app: App, logger: Logger): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, logger));
}
