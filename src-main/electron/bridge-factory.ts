// Builds `window.airdeck` from the contract. No electron import: the preload hands in
// `ipcRenderer.invoke` and an event subscriber, and tests hand in plain functions.
import {
  callChannel,
  eventNames,
  methodNames,
  type AirdeckBridge,
  type CallResult,
  type EventName,
  type MethodName,
} from '../../src-shared/contract';

/** Sends one call to main and resolves with its reply (`ipcRenderer.invoke`). */
export type BridgeInvoke = (channel: string, payload: unknown) => Promise<unknown>;

/** Subscribes to every message on the event channel; returns the unsubscribe function. */
export type BridgeEventSource = (listener: (message: unknown) => void) => () => void;

function isEventMessage(message: unknown): message is { event: string; data: unknown } {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { event?: unknown }).event === 'string' &&
    'data' in message
  );
}

function makeCall(method: MethodName, invoke: BridgeInvoke) {
  const channel = callChannel(method);
  // Exactly one argument crosses: extra arguments from the page are dropped. A rejected invoke
  // (no handler yet, main shutting down) still resolves as a CallResult so callers see data.
  return async (params: unknown): Promise<CallResult<unknown>> => {
    try {
      return (await invoke(channel, params)) as CallResult<unknown>;
    } catch {
      return {
        ok: false,
        error: { code: 'unavailable', message: `${method}: the Airdeck core is not reachable.` },
      };
    }
  };
}

function makeSubscriber(event: EventName, onEvent: BridgeEventSource) {
  return (listener: (data: unknown) => void): (() => void) => {
    if (typeof listener !== 'function')
      throw new TypeError(`${event}: listener must be a function`);
    // Only the payload reaches the page, never the Electron event object (it holds the sender).
    return onEvent((message) => {
      if (isEventMessage(message) && message.event === event) listener(message.data);
    });
  };
}

/** Electron's `webUtils.getPathForFile`; absent in tests and answers '' there. */
export type BridgePathForFile = (file: File) => string;

/**
 * One function per contract method and one subscriber per event, plus the single non-contract
 * helper a page cannot do without (the disk path of a dropped file); nothing generic.
 */
export function createBridge(
  invoke: BridgeInvoke,
  onEvent: BridgeEventSource,
  pathForFile: BridgePathForFile = () => '',
): AirdeckBridge {
  const calls = Object.fromEntries(methodNames.map((m) => [m, makeCall(m, invoke)]));
  const events = Object.fromEntries(eventNames.map((e) => [e, makeSubscriber(e, onEvent)]));
  return Object.freeze({
    calls: Object.freeze(calls),
    events: Object.freeze(events),
    getPathForFile: (file: File) => {
      try {
        return pathForFile(file);
      } catch {
        // Not a File from a drop (a forged object from the page): no path, never an exception.
        return '';
      }
    },
  }) as unknown as AirdeckBridge;
}
