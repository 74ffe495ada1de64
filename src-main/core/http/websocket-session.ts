import type { WebSocket } from 'ws';
import {
  ClientFrameSchema,
  CLOSE_UNAUTHORIZED,
  type ServerFrame,
} from '../../../src-shared/contract';
import type { Core } from '../create-core';

/** Above this much unsent data a slow client skips clock ticks instead of growing our memory. */
const SLOW_CLIENT_BYTES = 1 << 20;

function send(socket: WebSocket, frame: ServerFrame): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}

/** Rejects a socket whose token is wrong; a close code the UI recognises makes it ask for one. */
export function refuseSocket(socket: WebSocket): void {
  send(socket, {
    id: null,
    ok: false,
    error: { code: 'unauthorized', message: 'A valid access token is required.' },
  });
  socket.close(CLOSE_UNAUTHORIZED, 'unauthorized');
}

/** One authenticated window: contract calls in, replies and every core event out. */
export function runSocketSession(socket: WebSocket, core: Core): void {
  const release = core.trackConnection();
  const unsubscribe = core.bus.onAny((event, data) => {
    if (event === 'clockTick' && socket.bufferedAmount > SLOW_CLIENT_BYTES) return;
    send(socket, { event, data });
  });

  socket.on('message', (raw, isBinary) => {
    let frame: unknown;
    try {
      frame = isBinary ? undefined : JSON.parse(raw.toString());
    } catch {
      frame = undefined;
    }
    const parsed = ClientFrameSchema.safeParse(frame);
    if (!parsed.success) {
      send(socket, {
        id: null,
        ok: false,
        error: {
          code: 'invalid_request',
          message: 'Frames are JSON objects { id, method, params }.',
        },
      });
      return;
    }
    const { id, method, params } = parsed.data;
    void core
      .dispatch(method, params)
      .then((result) =>
        send(
          socket,
          result.ok
            ? { id, ok: true, result: result.result }
            : { id, ok: false, error: result.error },
        ),
      );
  });

  socket.on('close', () => {
    unsubscribe();
    release();
  });
}
