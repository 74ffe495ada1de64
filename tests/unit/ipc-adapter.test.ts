import { SettingsSchema } from '../../src-shared/contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callChannel,
  EVENT_CHANNEL,
  methodNames,
  type IpcEventMessage,
} from '../../src-shared/contract';
import { createCore, type Core } from '../../src-main/core/create-core';
import { EventBus } from '../../src-main/core/events/event-bus';
import { silentLogger } from '../../src-main/core/logger';
import { createDispatcher, type Handlers } from '../../src-main/core/rpc/dispatcher';
import {
  createIpcSessions,
  desktopConnectionId,
  desktopWindowIdOf,
  forwardEvents,
  isAppOriginFrame,
  isAppOriginUrl,
  registerContractIpc,
  type IpcInvokeListener,
  type IpcMainLike,
  type SenderFrameLike,
} from '../../src-main/core/rpc/ipc-adapter';
import { fixedSessions, testPrincipal } from '../helpers/principals';

/** Stands in for Electron's ipcMain, which cannot run here: a map of channel → handler. */
function fakeIpcMain() {
  const handlers = new Map<string, IpcInvokeListener>();
  const ipc: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  };
  const invoke = (channel: string, frame: SenderFrameLike | null, payload?: unknown) => {
    const handler = handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return handler({ senderFrame: frame }, payload);
  };
  return { ipc, handlers, invoke };
}

const appFrame: SenderFrameLike = { url: 'app://airdeck/index.html', parent: null };
const settings = SettingsSchema.parse({ stationName: 'Test' });

function realDispatcher() {
  const calls: string[] = [];
  const handlers: Partial<Handlers> = {
    appInfo: () => {
      calls.push('appInfo');
      return {
        name: 'Airdeck',
        version: '1',
        mode: 'desktop',
        dataDir: '/tmp',
        platform: 'linux',
        nodeVersion: '20',
        startedAt: 0,
      };
    },
    healthGet: () => {
      calls.push('healthGet');
      throw new Error('secret stack detail');
    },
    settingsGet: () => {
      calls.push('settingsGet');
      return settings;
    },
    settingsSet: (patch) => {
      calls.push('settingsSet');
      return SettingsSchema.parse({
        ...settings,
        ...patch,
        houseProfile: { ...settings.houseProfile, ...patch.houseProfile },
      });
    },
  };
  return { dispatch: createDispatcher(handlers), calls };
}

describe('isAppOriginUrl / isAppOriginFrame', () => {
  it('accepts only the top frame of app://airdeck', () => {
    expect(isAppOriginFrame(appFrame)).toBe(true);
    expect(isAppOriginFrame({ url: 'app://airdeck/', parent: null })).toBe(true);
    expect(isAppOriginFrame({ url: 'app://airdeck/index.html#/settings', parent: null })).toBe(
      true,
    );
  });

  it.each([
    ['a sub-frame of our own page', { url: 'app://airdeck/index.html', parent: {} }],
    ['an undefined parent', { url: 'app://airdeck/index.html', parent: undefined }],
    ['a look-alike host', { url: 'app://airdeck.evil/index.html', parent: null }],
    ['credentials before another host', { url: 'app://airdeck@evil/index.html', parent: null }],
    ['credentials before our host', { url: 'app://user@airdeck/index.html', parent: null }],
    ['a port', { url: 'app://airdeck:80/index.html', parent: null }],
    ['another scheme, same host', { url: 'https://airdeck/index.html', parent: null }],
    ['file://', { url: 'file:///opt/airdeck/dist/renderer/index.html', parent: null }],
    ['devtools://', { url: 'devtools://devtools/bundled/inspector.html', parent: null }],
    ['about:blank', { url: 'about:blank', parent: null }],
    ['an unparsable URL', { url: 'not a url', parent: null }],
    ['an empty URL', { url: '', parent: null }],
    ['no host', { url: 'app:///index.html', parent: null }],
  ])('refuses %s', (_label, frame) => {
    expect(isAppOriginFrame(frame as SenderFrameLike)).toBe(false);
  });

  it('refuses a missing frame', () => {
    expect(isAppOriginFrame(null)).toBe(false);
    expect(isAppOriginFrame(undefined)).toBe(false);
  });

  it('compares against the given origin', () => {
    expect(isAppOriginUrl('app://other/x', 'app://other')).toBe(true);
    expect(isAppOriginUrl('app://airdeck/x', 'app://other')).toBe(false);
  });
});

describe('registerContractIpc', () => {
  it('registers exactly one channel per contract method and nothing generic', () => {
    const { ipc, handlers } = fakeIpcMain();
    registerContractIpc(ipc, realDispatcher().dispatch, isAppOriginFrame, fixedSessions());
    expect([...handlers.keys()].sort()).toEqual(methodNames.map(callChannel).sort());
    expect(handlers.size).toBe(methodNames.length);
  });

  it('passes the payload of a trusted sender to the dispatcher', async () => {
    const { ipc, invoke } = fakeIpcMain();
    const { dispatch, calls } = realDispatcher();
    registerContractIpc(ipc, dispatch, isAppOriginFrame, fixedSessions());

    expect(await invoke(callChannel('settingsGet'), appFrame, {})).toEqual({
      ok: true,
      result: settings,
    });
    expect(await invoke(callChannel('settingsSet'), appFrame, { stationName: 'Nine' })).toEqual({
      ok: true,
      result: { ...settings, stationName: 'Nine' },
    });
    // A missing payload is an empty request, as on the WebSocket transport.
    expect(await invoke(callChannel('appInfo'), appFrame)).toMatchObject({ ok: true });
    expect(calls).toEqual(['settingsGet', 'settingsSet', 'appInfo']);
  });

  it('returns invalid payloads and handler failures as data without a stack', async () => {
    const { ipc, invoke } = fakeIpcMain();
    registerContractIpc(ipc, realDispatcher().dispatch, isAppOriginFrame, fixedSessions());

    const invalid = await invoke(callChannel('settingsSet'), appFrame, { clockFormat: '13h' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

    const failed = await invoke(callChannel('healthGet'), appFrame, {});
    expect(failed).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(failed)).not.toContain('secret stack detail');
  });

  it.each([
    ['a sub-frame', { url: 'app://airdeck/index.html', parent: {} }],
    ['a foreign page', { url: 'https://evil.example/', parent: null }],
    ['a look-alike origin', { url: 'app://airdeck.evil/', parent: null }],
    ['no frame (navigated away or destroyed)', null],
  ])('refuses %s with forbidden, before the dispatcher runs', async (_label, frame) => {
    const { ipc, invoke } = fakeIpcMain();
    const { dispatch, calls } = realDispatcher();
    registerContractIpc(ipc, dispatch, isAppOriginFrame, fixedSessions());

    const reply = await invoke(callChannel('settingsSet'), frame, { stationName: 'Pwned' });
    expect(reply).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
    expect(calls).toEqual([]);
  });

  it('treats a sender check that throws as untrusted', async () => {
    const { ipc, invoke } = fakeIpcMain();
    const { dispatch, calls } = realDispatcher();
    registerContractIpc(
      ipc,
      dispatch,
      () => {
        throw new Error('frame is gone');
      },
      fixedSessions(),
    );
    expect(await invoke(callChannel('settingsGet'), appFrame, {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(calls).toEqual([]);
  });

  it('treats a disposed frame (whose properties throw, as in Electron) as untrusted', async () => {
    const { ipc, invoke } = fakeIpcMain();
    const { dispatch, calls } = realDispatcher();
    registerContractIpc(ipc, dispatch, isAppOriginFrame, fixedSessions());
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      parent: null,
    };
    expect(await invoke(callChannel('settingsGet'), disposed, {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(calls).toEqual([]);
  });

  it('answers with data even if the dispatcher itself rejects', async () => {
    const { ipc, invoke } = fakeIpcMain();
    registerContractIpc(
      ipc,
      () => Promise.reject(new Error('at secret.ts:1:1')),
      isAppOriginFrame,
      fixedSessions(),
    );
    const reply = await invoke(callChannel('appInfo'), appFrame, {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(reply)).not.toContain('secret');
  });

  it('returns a disposer that removes every handler once', async () => {
    const { ipc, handlers, invoke } = fakeIpcMain();
    const removed: string[] = [];
    const counting: IpcMainLike = {
      handle: ipc.handle,
      removeHandler(channel) {
        removed.push(channel);
        ipc.removeHandler(channel);
      },
    };
    const dispose = registerContractIpc(
      counting,
      realDispatcher().dispatch,
      isAppOriginFrame,
      fixedSessions(),
    );
    dispose();
    dispose();
    expect(handlers.size).toBe(0);
    expect(removed.sort()).toEqual(methodNames.map(callChannel).sort());
    await expect(invoke(callChannel('appInfo'), appFrame, {})).rejects.toThrow(/No handler/);
    // Registering again after disposal works (no stale handler left behind).
    registerContractIpc(ipc, realDispatcher().dispatch, isAppOriginFrame, fixedSessions());
    expect(handlers.size).toBe(methodNames.length);
  });
});

describe('forwardEvents', () => {
  it('sends every bus event on the one event channel until unsubscribed', () => {
    const bus = new EventBus();
    const sent: [string, IpcEventMessage][] = [];
    const stop = forwardEvents(bus, (channel, message) => sent.push([channel, message]));

    bus.emit('clockTick', { now: 1000 });
    bus.emit('settingsChanged', settings);
    expect(sent).toEqual([
      [EVENT_CHANNEL, { event: 'clockTick', data: { now: 1000 } }],
      [EVENT_CHANNEL, { event: 'settingsChanged', data: settings }],
    ]);

    stop();
    bus.emit('clockTick', { now: 2000 });
    expect(sent).toHaveLength(2);
  });

  it('keeps a failing send away from the service that emitted', () => {
    const bus = new EventBus();
    const errors: unknown[] = [];
    forwardEvents(
      bus,
      () => {
        throw new Error('Object has been destroyed');
      },
      (error) => errors.push(error),
    );
    expect(() => bus.emit('clockTick', { now: 1 })).not.toThrow();
    expect(errors).toHaveLength(1);
  });
});

describe('the IPC transport on a real core', () => {
  let dir: string;
  let core: Core;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airdeck-ipc-'));
    core = await createCore({
      dataDir: dir,
      mode: 'desktop',
      version: 'test',
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('calls the core and forwards the event it emits', async () => {
    const { ipc, invoke } = fakeIpcMain();
    const dispose = registerContractIpc(ipc, core.dispatch, isAppOriginFrame, fixedSessions());
    const sent: IpcEventMessage[] = [];
    const stop = forwardEvents(core.bus, (_channel, message) => {
      if (message.event === 'settingsChanged') sent.push(message);
    });

    const info = await invoke(callChannel('appInfo'), appFrame, {});
    expect(info).toMatchObject({ ok: true, result: { mode: 'desktop', dataDir: dir } });

    const set = await invoke(callChannel('settingsSet'), appFrame, { stationName: 'Channel Nine' });
    expect(set).toMatchObject({ ok: true, result: { stationName: 'Channel Nine' } });
    expect(sent).toEqual([
      { event: 'settingsChanged', data: expect.objectContaining({ stationName: 'Channel Nine' }) },
    ]);

    const refused = await invoke(
      callChannel('settingsSet'),
      { url: 'https://x/', parent: null },
      {
        stationName: 'Nope',
      },
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await invoke(callChannel('settingsGet'), appFrame, {})).toMatchObject({
      ok: true,
      result: { stationName: 'Channel Nine' },
    });

    stop();
    dispose();
  });
});

describe('desktop window sessions', () => {
  const editor = { ...testPrincipal('editor'), sessionId: 41 };
  const live = new Set(['secret-41']);
  const people = {
    authenticate: (secret: string | null | undefined) =>
      secret && live.has(secret) ? editor : null,
  };

  it('puts a window opened for a person (the wall) on the session of the window that opened it', () => {
    const sessions = createIpcSessions(people);
    sessions.bind(3, 'secret-41');
    sessions.share(3, 8);
    expect(sessions.principal(8)).toBe(editor);
    // A window that was not signed in passes nothing on.
    sessions.share(5, 9);
    expect(sessions.principal(9)).toBeNull();
    // Signing out the opener's window forgets only that window's binding ...
    sessions.bind(3, null);
    expect(sessions.principal(3)).toBeNull();
    expect(sessions.principal(8)).toBe(editor);
    // ... while revoking the session (sign-out revokes it in the core) ends both.
    live.delete('secret-41');
    expect(sessions.principal(8)).toBeNull();
    sessions.drop(8);
  });

  it('tells a desktop window from a browser socket by its connection id', () => {
    expect(desktopWindowIdOf(desktopConnectionId(12))).toBe(12);
    expect(desktopWindowIdOf('ws:7')).toBeNull();
    expect(desktopWindowIdOf('desktop:')).toBeNull();
    expect(desktopWindowIdOf(null)).toBeNull();
  });
});
