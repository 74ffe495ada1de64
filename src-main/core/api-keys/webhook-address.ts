// Webhook URLs must not reach into the station's own network (the server, its router, a cloud
// metadata address): a partner could otherwise make Airdeck POST to anything it can reach. Every
// address a host name resolves to is checked when the endpoint is added and again on every
// connection (the check sits in the socket's DNS lookup, so a name that later resolves
// elsewhere, DNS rebinding, is caught too). A station may allow private addresses in a setting
// (a partner on the same LAN; the tests' receivers on 127.0.0.1).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Null for a public (global unicast) address, else the range it is in (`loopback`, …). */
export function nonPublicRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  // process() turns an IPv4-mapped IPv6 address (::ffff:127.0.0.1) into the IPv4 one.
  const range = ipaddr.process(address).range();
  return range === 'unicast' ? null : range;
}

export class PrivateAddressError extends Error {
  constructor(host: string, address: string, range: string) {
    super(
      `${host === address ? address : `${host} resolves to ${address}`} (${range}), ` +
        'not a public address; ' +
        'allow private webhook addresses in Settings to send there',
    );
    this.name = 'PrivateAddressError';
  }
}

/** The first address of `addresses` that is not public, with its range. */
function firstPrivate(addresses: readonly LookupAddress[]) {
  for (const { address } of addresses) {
    const range = nonPublicRange(address);
    if (range !== null) return { address, range };
  }
  return null;
}

/** A socket lookup that refuses private addresses unless `allowPrivate()` says otherwise. */
export function guardedLookup(allowPrivate: () => boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as LookupAddress[];
      const bad = allowPrivate() ? null : firstPrivate(list);
      if (bad) return callback(new PrivateAddressError(hostname, bad.address, bad.range), '', 4);
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** Throws PrivateAddressError when `url`'s host is (or resolves to) a private address. */
export async function assertPublicUrl(url: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(host)
    ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
    : await new Promise<LookupAddress[]>((resolve, reject) =>
        dnsLookup(host, { all: true }, (error, list) => (error ? reject(error) : resolve(list))),
      );
  const bad = firstPrivate(addresses);
  if (bad) throw new PrivateAddressError(host, bad.address, bad.range);
}

/** POSTs `body` to `url` through the guarded lookup; resolves with the status code. */
export function postGuarded(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { allowPrivate: () => boolean; timeoutMs: number },
): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  // An address literal is connected to without a lookup, so it is checked here.
  const literal = target.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(literal) && !options.allowPrivate()) {
    const range = nonPublicRange(literal);
    if (range !== null) return Promise.reject(new PrivateAddressError(literal, literal, range));
  }
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(options.allowPrivate),
        timeout: options.timeoutMs,
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer in ${options.timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
