// GET /api/v1/events: Server-Sent Events from a core's retained event log, filtered to what the
// key may read (its scopes and channels). A reconnect with Last-Event-ID replays what the
// client missed; events that arrive during the replay are held back and sent after it, so
// nothing is lost or sent twice.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { eventFor, type ApiEvent, type ApiEventLog } from '../../api-keys/api-event-log';
import type { KeyCaller } from '../../api-keys/api-keys-service';

const HEARTBEAT_MS = 15_000;

const frame = (event: ApiEvent) =>
  `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify({ at: event.at, channelId: event.channelId, data: event.data })}\n\n`;

/** Streams until the client goes, the key is revoked (`ended` fires) or the server closes. */
export function streamEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  options: {
    log: ApiEventLog;
    caller: KeyCaller;
    after: number | null;
    /** Calls back when the stream must end now (revoked key); returns an unsubscribe. */
    onEnd: (end: () => void) => () => void;
    /** Called once when the stream ends, however. */
    closed: () => void;
  },
): void {
  const { log, caller } = options;
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  let last = options.after ?? log.lastId();
  let replaying = true;
  const held: ApiEvent[] = [];
  const send = (event: ApiEvent) => {
    if (event.id <= last) return;
    last = event.id;
    const shown = eventFor(event, caller.key);
    if (shown) raw.write(frame(shown));
  };
  const unsubscribe = log.subscribe((event) => (replaying ? held.push(event) : send(event)));
  raw.write(`retry: 2000\n: stream of ${caller.key.prefix}…\n\n`);
  if (options.after !== null) {
    const oldest = log.oldestId();
    // Asked for events no longer retained: say so, so the client can re-read the state.
    if (oldest > options.after + 1)
      raw.write(`event: stream.gap\ndata: ${JSON.stringify({ from: options.after, oldest })}\n\n`);
    for (;;) {
      const batch = log.since(last, 1000);
      for (const event of batch) send(event);
      if (batch.length < 1000) break;
    }
  }
  replaying = false;
  for (const event of held.splice(0)) send(event);

  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  let done = false;
  const end = () => {
    if (done) return;
    done = true;
    clearInterval(heartbeat);
    unsubscribe();
    stopWatching();
    options.closed();
    raw.end();
  };
  const stopWatching = options.onEnd(end);
  request.raw.on('close', end);
  raw.on('close', end);
}
