import {
  CLOSE_UNAUTHORIZED,
  ServerFrameSchema,
  WS_PATH,
  eventNames,
  type CallResult,
  type EventName,
} from '../../../src-shared/contract';
import type { ConnectionState, Transport } from './transport';

const BACKOFF_MS = [500, 1000, 2000, 3000, 5000];
/** A call made while the core is away waits this long for the reconnect before failing. */
const CALL_WAIT_MS = 15_000;

type Pending = {
  resolve: (result: CallResult<unknown>) => void;
  timer: ReturnType<typeof setTimeout>;
};

/** The socket carries the session cookie by itself (same origin); the URL holds no secret. */
export function wsUrl(location: Location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WS_PATH}`;
}

/** The `serve` transport: one socket, reconnecting with backoff, calls queued while it is down. */
export function createWsTransport(url: string): Transport {
  let socket: WebSocket | undefined;
  let state: ConnectionState = { kind: 'connecting' };
  let attempt = 0;
  let nextId = 1;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Map<number, Pending>();
  const queued: { id: number; frame: string }[] = [];
  const eventListeners = new Set<(event: EventName, data: unknown) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const knownEvents = new Set<string>(eventNames);

  const setState = (next: ConnectionState) => {
    state = next;
    for (const listener of stateListeners) listener(next);
  };

  const settle = (id: number, result: CallResult<unknown>) => {
    const entry = pending.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    pending.delete(id);
    entry.resolve(result);
  };

  const connect = () => {
    if (closed) return;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setState({ kind: 'open', since: Date.now() });
      for (const item of queued.splice(0)) if (pending.has(item.id)) ws.send(item.frame);
    };
    ws.onmessage = (message) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(message.data));
      } catch {
        return;
      }
      const frame = ServerFrameSchema.safeParse(raw);
      if (!frame.success) return;
      const data = frame.data;
      if ('event' in data) {
        if (!knownEvents.has(data.event)) return;
        for (const listener of eventListeners) listener(data.event as EventName, data.data);
      } else if (data.id !== null) {
        settle(
          data.id,
          data.ok ? { ok: true, result: data.result } : { ok: false, error: data.error },
        );
      }
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = undefined;
      for (const id of [...pending.keys()]) {
        if (!queued.some((q) => q.id === id)) {
          settle(id, {
            ok: false,
            error: { code: 'unavailable', message: 'The connection to Airdeck was lost.' },
          });
        }
      }
      if (closed) return;
      if (event.code === CLOSE_UNAUTHORIZED) {
        setState({ kind: 'unauthorized' });
        for (const id of [...pending.keys()])
          settle(id, {
            ok: false,
            error: { code: 'unauthorized', message: 'Your session has ended; sign in again.' },
          });
        queued.length = 0;
        return;
      }
      const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] ?? 5000;
      attempt += 1;
      setState({
        kind: 'reconnecting',
        attempt,
        retryAt: Date.now() + delay,
        lastError: event.reason || `connection closed (${event.code})`,
      });
      retryTimer = setTimeout(connect, delay);
    };
  };
  connect();

  return {
    call(method, params) {
      return new Promise((resolve) => {
        if (state.kind === 'unauthorized') {
          resolve({
            ok: false,
            error: { code: 'unauthorized', message: 'Your session has ended; sign in again.' },
          });
          return;
        }
        const id = nextId++;
        const frame = JSON.stringify({ id, method, params });
        const timer = setTimeout(
          () =>
            settle(id, {
              ok: false,
              error: { code: 'unavailable', message: 'Airdeck did not answer in time.' },
            }),
          CALL_WAIT_MS,
        );
        pending.set(id, { resolve, timer });
        if (socket?.readyState === WebSocket.OPEN) socket.send(frame);
        else queued.push({ id, frame });
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    state: () => state,
    close() {
      closed = true;
      clearTimeout(retryTimer);
      socket?.close(1000);
    },
  };
}
