import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../src-main/core/create-core';
import { silentLogger } from '../../src-main/core/logger';
import {
  createShutdownGate,
  describeStartupError,
  devNativeBinding,
} from '../../src-main/electron/startup';

describe('devNativeBinding', () => {
  const root = join('/', 'repo');
  const expected = join(root, '.electron-native', 'better_sqlite3.node');

  it('uses the Electron build in a checkout when it exists', () => {
    expect(devNativeBinding(root, false, (f) => f === expected)).toBe(expected);
  });

  it('falls back to node_modules when it has not been built', () => {
    expect(devNativeBinding(root, false, () => false)).toBeUndefined();
  });

  it('never uses it in a packaged app', () => {
    expect(devNativeBinding(root, true, () => true)).toBeUndefined();
  });
});

describe('describeStartupError', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('explains a database from a newer Airdeck (real createCore)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdeck-newer-'));
    dirs.push(dir);
    const db = new BetterSqlite3(join(dir, 'airdeck.db'));
    db.pragma('user_version = 9999');
    db.close();

    const error = await createCore({
      dataDir: dir,
      mode: 'desktop',
      version: 'test',
      logger: silentLogger,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const text = describeStartupError(error, dir);
    expect(text).toContain('newer Airdeck');
    expect(text).toContain('was not changed');
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('tells a developer how to rebuild a driver built for the wrong runtime', () => {
    const error = new Error(
      "The module '/x/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 140.",
    );
    expect(describeStartupError(error, '/data')).toContain('node scripts/electron-native.mjs');
  });

  it('shows the message of anything else, without its stack', () => {
    const error = new Error('EACCES: permission denied');
    const text = describeStartupError(error, '/data');
    expect(text).toContain('/data');
    expect(text).toContain('EACCES');
    expect(text).not.toMatch(/\n\s+at /);
    expect(describeStartupError('plain string', '/d')).toContain('plain string');
  });
});

describe('createShutdownGate', () => {
  afterEach(() => vi.useRealTimers());

  function setup(close: () => Promise<void>) {
    const log = { quit: 0, exit: [] as number[], errors: [] as unknown[], prevented: 0 };
    const gate = createShutdownGate({
      close,
      quit: () => {
        log.quit += 1;
        gate(event()); // app.quit() emits before-quit again
      },
      exit: (code) => log.exit.push(code),
      onError: (error) => log.errors.push(error),
      deadlineMs: 5000,
    });
    const event = () => ({ preventDefault: () => (log.prevented += 1) });
    return { gate, log, event };
  }

  it('holds the quit until the core is closed, closes once, then quits', async () => {
    let finish!: () => void;
    const close = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const { gate, log, event } = setup(close);

    gate(event());
    gate(event()); // a second Cmd+Q while closing
    expect(close).toHaveBeenCalledTimes(1);
    expect(log.prevented).toBe(2);
    expect(log.quit).toBe(0);

    finish();
    await vi.waitFor(() => expect(log.quit).toBe(1));
    expect(log.prevented).toBe(2); // the repeated quit went through
    gate(event());
    expect(close).toHaveBeenCalledTimes(1);
    expect(log.exit).toEqual([]);
  });

  it('still quits when closing fails, and reports it', async () => {
    const { gate, log, event } = setup(() => Promise.reject(new Error('db busy')));
    gate(event());
    await vi.waitFor(() => expect(log.quit).toBe(1));
    expect(log.errors).toHaveLength(1);
  });

  it('still quits when close throws synchronously', async () => {
    const { gate, log, event } = setup(() => {
      throw new Error('sync');
    });
    gate(event());
    await vi.waitFor(() => expect(log.quit).toBe(1));
    expect(log.errors).toHaveLength(1);
  });

  it('exits when closing hangs past the deadline', () => {
    vi.useFakeTimers();
    const { gate, log, event } = setup(() => new Promise<void>(() => {}));
    gate(event());
    vi.advanceTimersByTime(5000);
    expect(log.exit).toEqual([1]);
    expect(log.errors).toHaveLength(1);
  });
});
