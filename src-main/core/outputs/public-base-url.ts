// The base URL written into M3U, HDHomeRun and guide answers. It is never taken from the
// request: a Host header is whatever the client sent, so copying it let anyone make the station
// hand out lists pointing at their own server (and poisoned any cache in front).
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';

type Interfaces = ReturnType<typeof networkInterfaces>;

/** The first non-internal IPv4 address of this machine (what a tuner on the LAN can reach). */
function lanAddress(interfaces: Interfaces): string | null {
  for (const list of Object.values(interfaces)) {
    for (const item of list ?? [])
      if (item.family === 'IPv4' && !item.internal) return item.address;
  }
  return null;
}

/**
 * `http://<address>:<port>` of the listening socket. Listening on every interface (0.0.0.0,
 * ::) names no address: the machine's LAN address stands in, else loopback. Behind a proxy,
 * or with several networks, set the public base URL instead.
 */
export function listeningBaseUrl(
  address: AddressInfo | string | null,
  interfaces: Interfaces = networkInterfaces(),
): string {
  if (address === null || typeof address === 'string') return 'http://127.0.0.1';
  let host = address.address;
  if (host === '0.0.0.0' || host === '::') host = lanAddress(interfaces) ?? '127.0.0.1';
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
