import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import {
  ClientFrameSchema,
  CLOSE_UNAUTHORIZED,
  type ServerFrame,
} from '../../../src-shared/contract';
import { mayReceive } from '../rpc/event-filter';
import type { Core } from '../create-core';
import type { CallerMeta, Principal } from '../rpc/caller';

/** Above this much unsent data a slow client skips clock ticks instead of growing our memory. */
const SLOW_CLIENT_BYTES = 1 << 20;
/**
 * Above this a window is too far behind to catch up event by event: it is closed (1013, try
 * again later) and reconnects with a fresh read, instead of the server queueing without limit.
 */
export const STALLED_CLIENT_BYTES = 8 << 20;
export const CLOSE_TOO_SLOW = 1013;

function send(socket: WebSocket, frame: ServerFrame): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}

/** Rejects a socket nobody signed in for; a close code the UI recognises shows the sign-in. */
export function refuseSocket(socket: WebSocket, message = 'Sign in first.'): void {
  send(socket, { id: null, ok: false, error: { code: 'unauthorized', message } });
  socket.close(CLOSE_UNAUTHORIZED, 'unauthorized');
}

/**
 * One signed-in window: contract calls in, replies and the events it may see out. The session
 * is looked up again on every call (a map hit), so a changed role applies at once and a revoked
 * session closes the socket.
 */
export function runSocketSession(
  socket: WebSocket,
  core: Core,
  session: { secret: string; principal: Principal; meta: CallerMeta },
): void {
  const release = core.trackConnection();
  let principal: Principal | null = session.principal;
  const sessionId = session.principal.sessionId;
  const connectionId = `ws:${randomUUID()}`;

  const end = () => {
    principal = null;
    refuseSocket(socket, 'Your session has ended; sign in again.');
  };
  const stopSessions = core.people.onSessionsEnded((ids) => {
    if (ids.includes(sessionId)) end();
  });
  const unsubscribe = core.bus.onAny((event, data) => {
    // A change to people may change this person's rights: read them again first.
    if (event === 'peopleChanged') principal = core.people.authenticate(session.secret);
    if (!principal) return;
    if (socket.bufferedAmount > STALLED_CLIENT_BYTES) {
      socket.close(CLOSE_TOO_SLOW, 'too far behind; reconnect');
      return;
    }
    if (event === 'clockTick' && socket.bufferedAmount > SLOW_CLIENT_BYTES) return;
    if (!mayReceive(principal, event, data)) return;
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
    principal = core.people.authenticate(session.secret);
    if (!principal) {
      end();
      return;
    }
    void core
      .dispatch(method, params, { kind: 'window', principal, meta: session.meta, connectionId })
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
    stopSessions();
    unsubscribe();
    core.presence.disconnect(connectionId);
    release();
  });
}
