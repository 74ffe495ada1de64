// The Electron transport of the contract, written against small interfaces instead of
// `ipcMain` so it runs (and is tested) in plain Node. src-main/electron passes the real objects.
import {
  callChannel,
  EVENT_CHANNEL,
  methodNames,
  type CallResult,
  type EventName,
  type EventPayload,
  type IpcEventMessage,
} from '../../../src-shared/contract';
import type { Dispatch } from './dispatcher';
import type { CallerMeta, Principal } from './caller';
import { mayReceive } from './event-filter';

/** The part of Electron's `WebFrameMain` the sender check reads. */
export type SenderFrameLike = { url: string; parent: unknown | null };

export type IpcInvokeListener = (
  event: { senderFrame: SenderFrameLike | null; sender?: { id: number } },
  payload: unknown,
) => Promise<unknown>;

/** The part of Electron's `ipcMain` the adapter uses. */
export type IpcMainLike = {
  handle(channel: string, listener: IpcInvokeListener): void;
  removeHandler(channel: string): void;
};

/** The part of the core's EventBus the forwarder uses. */
export type EventSourceLike = {
  onAny(listener: <E extends EventName>(event: E, data: EventPayload<E>) => void): () => void;
};

export const APP_ORIGIN = 'app://airdeck';

/**
 * True when `url` belongs to `appOrigin` exactly: same scheme, same host, no port, no
 * credentials. Compared field by field because WHATWG URLs give custom schemes an opaque
 * origin, so `URL.origin` is `"null"` for every `app:` URL.
 */
export function isAppOriginUrl(url: string, appOrigin: string = APP_ORIGIN): boolean {
  let parsed: URL;
  let expected: URL;
  try {
    parsed = new URL(url);
    expected = new URL(appOrigin);
  } catch {
    return false;
  }
  return (
    parsed.protocol === expected.protocol &&
    parsed.hostname !== '' &&
    parsed.hostname === expected.hostname &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** Only our own top-level page may call the core: no sub-frame, no foreign page, no devtools. */
export function isAppOriginFrame(
  frame: SenderFrameLike | null | undefined,
  appOrigin: string = APP_ORIGIN,
): boolean {
  if (!frame || frame.parent !== null || typeof frame.url !== 'string') return false;
  return isAppOriginUrl(frame.url, appOrigin);
}

const forbidden = (): CallResult<never> => ({
  ok: false,
  error: { code: 'forbidden', message: 'Calls are accepted only from the Airdeck window.' },
});

/** Reading a frame that was disposed throws in Electron: that sender is not trusted either. */
function senderIsTrusted(
  check: (frame: SenderFrameLike | null) => boolean,
  event: { senderFrame: SenderFrameLike | null } | undefined,
): boolean {
  try {
    return check(event?.senderFrame ?? null) === true;
  } catch {
    return false;
  }
}

/**
 * The session of each desktop window (by webContents id). A window signs in over IPC (the
 * authSignIn method) and the secret stays here in the main process: the page never holds it.
 */
export type IpcSessions = {
  principal(windowId: number): Principal | null;
  bind(windowId: number, secret: string | null): void;
  /**
   * Puts a window the app opened for a person (the full-screen wall) on the session of the
   * window they opened it from: the same person at the same desk, so it needs no second
   * sign-in, and revoking or signing out that session ends both.
   */
  share(fromWindowId: number, toWindowId: number): void;
  /** Forgets a closed window. */
  drop(windowId: number): void;
};

export function createIpcSessions(people: {
  authenticate(secret: string | null | undefined): Principal | null;
}): IpcSessions {
  const secrets = new Map<number, string>();
  return {
    principal: (windowId) => people.authenticate(secrets.get(windowId)),
    bind(windowId, secret) {
      if (secret === null) secrets.delete(windowId);
      else secrets.set(windowId, secret);
    },
    share(fromWindowId, toWindowId) {
      const secret = secrets.get(fromWindowId);
      if (secret !== undefined) secrets.set(toWindowId, secret);
    },
    drop: (windowId) => void secrets.delete(windowId),
  };
}

/** The connection id of a desktop window (its webContents id), as presence knows it. */
export function desktopConnectionId(windowId: number): string {
  return `desktop:${windowId}`;
}

/** The desktop window behind a connection id, or null for a browser's socket. */
export function desktopWindowIdOf(connectionId: string | null | undefined): number | null {
  const match = /^desktop:(\d+)$/.exec(connectionId ?? '');
  return match ? Number(match[1]) : null;
}

const DESKTOP_META: CallerMeta = {
  address: 'desktop',
  userAgent: 'Airdeck desktop',
  transport: 'desktop',
};

/**
 * Registers one handler per contract method (there is no generic channel) and returns a
 * disposer that removes them all. Every reply is a CallResult: refusals and failures are data.
 */
export function registerContractIpc(
  ipc: IpcMainLike,
  dispatch: Dispatch,
  isTrustedSender: (frame: SenderFrameLike | null) => boolean,
  sessions: IpcSessions,
): () => void {
  const channels = methodNames.map((method) => {
    const channel = callChannel(method);
    ipc.handle(channel, async (event, payload): Promise<CallResult<unknown>> => {
      if (!senderIsTrusted(isTrustedSender, event)) return forbidden();
      const windowId = event.sender?.id ?? -1;
      try {
        return await dispatch(method, payload, {
          kind: 'window',
          principal: sessions.principal(windowId),
          meta: DESKTOP_META,
          connectionId: desktopConnectionId(windowId),
          bindSession: (secret) => sessions.bind(windowId, secret),
        });
      } catch {
        // The dispatcher already turns failures into data; this is the last line of defence
        // so Electron never serialises an Error (with its stack) to the renderer.
        return {
          ok: false,
          error: {
            code: 'internal',
            message: `${method} failed unexpectedly; see the Airdeck log.`,
          },
        };
      }
    });
    return channel;
  });

  let disposed = false;
  return () => {
    if (disposed) return;
    disposed = true;
    for (const channel of channels) ipc.removeHandler(channel);
  };
}

/**
 * Sends every core event on the one event channel; returns the unsubscribe function. A failing
 * send is reported, never thrown back into the service that emitted the event.
 */
export function forwardEvents(
  bus: EventSourceLike,
  send: (channel: string, message: IpcEventMessage, accept: (windowId: number) => boolean) => void,
  onError: (error: unknown) => void = () => {},
  sessions?: IpcSessions,
): () => void {
  return bus.onAny((event, data) => {
    // Each window sees only what its person may see; a signed-out window sees nothing.
    const accept = (windowId: number) => {
      if (!sessions) return true;
      const principal = sessions.principal(windowId);
      return principal !== null && mayReceive(principal, event, data);
    };
    try {
      send(EVENT_CHANNEL, { event, data }, accept);
    } catch (error) {
      onError(error);
    }
  });
}
