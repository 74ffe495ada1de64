// Pure helpers for main.ts (no electron import): where the Electron build of better-sqlite3
// is, what to tell the operator when the core cannot start, and a quit gate that closes the
// core exactly once.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DatabaseTooNewError } from '../core/db/migration';

/** Where `scripts/electron-native.mjs` puts better-sqlite3 built for Electron's ABI. */
export const DEV_NATIVE_BINDING = path.join('.electron-native', 'better_sqlite3.node');

/**
 * In development node_modules holds the Node build (for `serve` and tests), so the app uses
 * the Electron build from `.electron-native/`. A packaged app has no such folder: electron-
 * builder rebuilt node_modules for Electron, so better-sqlite3 finds its own addon.
 */
export function devNativeBinding(
  appRoot: string,
  isPackaged: boolean,
  exists: (file: string) => boolean = existsSync,
): string | undefined {
  if (isPackaged) return undefined;
  const file = path.join(appRoot, DEV_NATIVE_BINDING);
  return exists(file) ? file : undefined;
}

/** The text of the dialog shown when the core cannot start. Never a stack trace. */
export function describeStartupError(error: unknown, dataDir: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof DatabaseTooNewError) {
    return `${message}\n\nAirdeck will now quit; your data in ${dataDir} was not changed.`;
  }
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message)) {
    return (
      'The database driver (better-sqlite3) was built for another runtime.\n\n' +
      'In a development checkout run `node scripts/electron-native.mjs` (or `npm start`), ' +
      'which builds it for Electron. In an installed app, reinstall Airdeck.\n\n' +
      `Details: ${message}`
    );
  }
  return `Airdeck could not open its data folder ${dataDir}.\n\n${message}`;
}

export type QuitEvent = { preventDefault(): void };

export type ShutdownGateOptions = {
  /** Closes the core (kills ffmpeg children, closes the database). Called once. */
  close: () => Promise<void>;
  /** Asks the app to quit again once closing is done (`app.quit`). */
  quit: () => void;
  /** Ends the process when closing hangs past the deadline (`app.exit`). */
  exit: (code: number) => void;
  onError: (error: unknown) => void;
  deadlineMs: number;
};

/**
 * A `before-quit` listener: the first quit is held until `close()` settles, then repeated;
 * quits that arrive while closing are held too; the repeated quit goes through.
 */
export function createShutdownGate(options: ShutdownGateOptions): (event: QuitEvent) => void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  return (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    const deadline = setTimeout(() => {
      options.onError(new Error(`shutdown took longer than ${options.deadlineMs} ms; exiting`));
      options.exit(1);
    }, options.deadlineMs);
    deadline.unref?.();
    let closing: Promise<void>;
    try {
      closing = Promise.resolve(options.close());
    } catch (error) {
      closing = Promise.reject(error);
    }
    void closing
      .catch((error: unknown) => options.onError(error))
      .then(() => {
        clearTimeout(deadline);
        state = 'closed';
        options.quit();
      });
  };
}
