import { SettingsSchema } from '../../src-shared/contract';
import { describe, expect, it } from 'vitest';
import {
  callChannel,
  eventNames,
  methodNames,
  type IpcEventMessage,
} from '../../src-shared/contract';
import { EventBus } from '../../src-main/core/events/event-bus';
import { createDispatcher, type Handlers } from '../../src-main/core/rpc/dispatcher';
import {
  forwardEvents,
  isAppOriginFrame,
  registerContractIpc,
  type IpcInvokeListener,
} from '../../src-main/core/rpc/ipc-adapter';
import { fixedSessions } from '../helpers/principals';
import { createBridge, type BridgeEventSource } from '../../src-main/electron/bridge-factory';

/** Stands in for ipcRenderer's event side: a set of listeners fed by `push`. */
function fakeEventChannel() {
  const listeners = new Set<(message: unknown) => void>();
  const onEvent: BridgeEventSource = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return { onEvent, listeners, push: (message: unknown) => listeners.forEach((l) => l(message)) };
}

describe('createBridge', () => {
  it('has one function per contract method and event, and nothing else', () => {
    const bridge = createBridge(async () => undefined, fakeEventChannel().onEvent);
    expect(Object.keys(bridge).sort()).toEqual(['calls', 'events', 'getPathForFile']);
    expect(Object.keys(bridge.calls).sort()).toEqual([...methodNames].sort());
    expect(Object.keys(bridge.events).sort()).toEqual([...eventNames].sort());
    for (const fn of [...Object.values(bridge.calls), ...Object.values(bridge.events)]) {
      expect(typeof fn).toBe('function');
    }
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.calls)).toBe(true);
    expect(Object.isFrozen(bridge.events)).toBe(true);
    expect('invoke' in bridge.calls).toBe(false);
  });

  it('answers the disk path of a dropped file, and an empty path instead of throwing', () => {
    const file = { name: 'clip.mp4' } as unknown as File;
    const bridge = createBridge(
      async () => undefined,
      fakeEventChannel().onEvent,
      (f) => `/media/in/${f.name}`,
    );
    expect(bridge.getPathForFile(file)).toBe('/media/in/clip.mp4');
    const refusing = createBridge(
      async () => undefined,
      fakeEventChannel().onEvent,
      () => {
        throw new TypeError('not a File');
      },
    );
    expect(refusing.getPathForFile(file)).toBe('');
    expect(
      createBridge(async () => undefined, fakeEventChannel().onEvent).getPathForFile(file),
    ).toBe('');
  });

  it('invokes the method channel with exactly one payload', async () => {
    const seen: unknown[][] = [];
    const bridge = createBridge(async (...args: unknown[]) => {
      seen.push(args);
      return { ok: true, result: 'x' };
    }, fakeEventChannel().onEvent);

    const call = bridge.calls.settingsSet as (...args: unknown[]) => Promise<unknown>;
    expect(await call({ stationName: 'A' }, 'extra', () => {})).toEqual({ ok: true, result: 'x' });
    expect(seen).toEqual([[callChannel('settingsSet'), { stationName: 'A' }]]);
  });

  it('turns a rejected invoke into an unavailable result', async () => {
    const bridge = createBridge(
      () => Promise.reject(new Error("No handler registered for 'airdeck:call:appInfo'")),
      fakeEventChannel().onEvent,
    );
    expect(await bridge.calls.appInfo({})).toEqual({
      ok: false,
      error: { code: 'unavailable', message: expect.stringContaining('appInfo') },
    });
  });

  it('delivers only the data of the named event, until unsubscribed', () => {
    const channel = fakeEventChannel();
    const bridge = createBridge(async () => undefined, channel.onEvent);
    const ticks: unknown[] = [];
    const off = bridge.events.clockTick((data) => ticks.push(data));

    channel.push({ event: 'clockTick', data: { now: 1 } });
    channel.push({ event: 'settingsChanged', data: { stationName: 'x' } });
    for (const junk of [null, undefined, 'clockTick', 42, { event: 'clockTick' }, { data: 1 }]) {
      channel.push(junk);
    }
    channel.push({ event: 'clockTick', data: { now: 2 } });
    expect(ticks).toEqual([{ now: 1 }, { now: 2 }]);

    off();
    expect(channel.listeners.size).toBe(0);
    channel.push({ event: 'clockTick', data: { now: 3 } });
    expect(ticks).toHaveLength(2);
  });

  it('refuses a non-function listener', () => {
    const bridge = createBridge(async () => undefined, fakeEventChannel().onEvent);
    const subscribe = bridge.events.clockTick as (listener: unknown) => () => void;
    expect(() => subscribe('not a function')).toThrow(TypeError);
  });
});

describe('bridge ↔ IPC adapter round trip', () => {
  it('reaches a real dispatcher and receives forwarded events', async () => {
    const settings = SettingsSchema.parse({ stationName: 'Test' });
    const handlers: Partial<Handlers> = {
      appInfo: () => ({
        name: 'Airdeck',
        version: '1',
        mode: 'desktop',
        dataDir: '/tmp',
        platform: 'linux',
        nodeVersion: '20',
        startedAt: 0,
      }),
      healthGet: () => {
        throw new Error('not in this test');
      },
      settingsGet: () => settings,
      settingsSet: (patch) =>
        SettingsSchema.parse({
          ...settings,
          ...patch,
          houseProfile: { ...settings.houseProfile, ...patch.houseProfile },
        }),
    };

    // Main side: the adapter on a stand-in for ipcMain (Electron cannot run here).
    const registered = new Map<string, IpcInvokeListener>();
    registerContractIpc(
      { handle: (c, l) => registered.set(c, l), removeHandler: (c) => registered.delete(c) },
      createDispatcher(handlers),
      isAppOriginFrame,
      fixedSessions(),
    );
    const bus = new EventBus();
    const channel = fakeEventChannel();
    forwardEvents(bus, (_name, message: IpcEventMessage) => channel.push(message));

    // Renderer side: the bridge, as the preload builds it, sending from our app page.
    const frame = { url: 'app://airdeck/index.html', parent: null };
    const bridge = createBridge(async (name, payload) => {
      const listener = registered.get(name);
      if (!listener) throw new Error(`No handler registered for '${name}'`);
      return listener({ senderFrame: frame }, structuredClone(payload));
    }, channel.onEvent);

    expect(await bridge.calls.settingsSet({ clockFormat: '12h' })).toEqual({
      ok: true,
      result: { ...settings, clockFormat: '12h' },
    });
    expect(await bridge.calls.settingsSet({ clockFormat: 'bad' as '12h' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });

    const changes: unknown[] = [];
    bridge.events.settingsChanged((data) => changes.push(data));
    bus.emit('settingsChanged', settings);
    bus.emit('clockTick', { now: 5 });
    expect(changes).toEqual([settings]);
  });
});
