// Timeouts and caps of the HTTP server: a client that opens connections and sends nothing, sends
// headers a byte at a time, or never finishes its request body cannot hold the server's sockets
// forever, and no number of clients can open more than `maxConnections` of them.
//
// What each one may not cut:
// - a live.ts stream or a WebSocket: Node's request timeout ends once the request is in (a GET
//   has no body), and the idle timeout only fires on a socket with no traffic either way; a
//   live.ts stream writes every segment, a window's WebSocket gets a clock tick every second.
// - an upload: its body is the request, so the request timeout is long (see below).
import type { Server } from 'node:http';

export type ServerLimits = {
  /** A socket with no traffic either way for this long is closed (fastify `connectionTimeout`). */
  idleTimeoutMs: number;
  /** Headers must be in within this (slowloris). */
  headersTimeoutMs: number;
  /**
   * The whole request, body included, must be in within this. Uploads are the only long bodies:
   * an hour is 50 GiB at 15 MB/s; bigger files over slower links go through watch folders.
   */
  requestTimeoutMs: number;
  /** An idle keep-alive connection between two requests (players poll every segment). */
  keepAliveTimeoutMs: number;
  /** Sockets open at once; more are closed at accept (windows, players, tuners together). */
  maxConnections: number;
  /** Bytes of request line and headers (Node's default is 16 KiB). */
  maxHeaderBytes: number;
};

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  idleTimeoutMs: 60_000,
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 3_600_000,
  keepAliveTimeoutMs: 10_000,
  maxConnections: 1024,
  maxHeaderBytes: 8 * 1024,
};

/** The fastify options these map onto. */
export function fastifyLimitOptions(limits: ServerLimits) {
  return {
    connectionTimeout: limits.idleTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      maxHeaderSize: limits.maxHeaderBytes,
      // Node checks the headers and request timeouts on this period (30 s by default), so a
      // timeout could otherwise run up to 30 s late.
      connectionsCheckingInterval: Math.max(100, Math.min(limits.headersTimeoutMs / 4, 5_000)),
    },
  };
}

/** What fastify has no option for, set on the Node server before it listens. */
export function applyServerLimits(server: Server, limits: ServerLimits): void {
  // Node wants headersTimeout no longer than requestTimeout.
  server.headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  server.maxConnections = limits.maxConnections;
}
