import type { FastifyReply, FastifyRequest } from 'fastify';
import { grantHas, grantSources, type Permission } from '../../../src-shared/contract/permissions';
import { APP_ORIGIN } from '../rpc/ipc-adapter';
import type { CallerMeta, Principal } from '../rpc/caller';
import type { PeopleService } from '../people/people-service';
import { SESSION_MAX_MS } from '../people/people-service';

export const SESSION_COOKIE = 'airdeck_session';

/** What the HTTP face needs to know about where it listens, for cookies and Host checks. */
export type HttpAuthOptions = {
  people: PeopleService;
  /** Cookies get `Secure` under TLS (or behind a TLS-terminating trusted proxy). */
  secure: boolean;
  /**
   * Host header values a page may reach us by. Null: any (a server beyond loopback whose
   * public name is not configured); loopback-only servers always pass a list, which stops DNS
   * rebinding.
   */
  allowedHosts: ReadonlySet<string> | null;
};

export function sessionCookie(secret: string, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${secret}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.floor(SESSION_MAX_MS / 1000)}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0']
    .concat(secure ? ['Secure'] : [])
    .join('; ');
}

export function cookieSecret(request: FastifyRequest): string | undefined {
  const cookies = (request as FastifyRequest & { cookies?: Record<string, string | undefined> })
    .cookies;
  return cookies?.[SESSION_COOKIE];
}

/** The desktop page sends a media ticket as a Bearer header (hls.js) or `?ticket=` (<img>). */
function mediaTicketOf(request: FastifyRequest): unknown {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7).trim();
  return (request.query as Record<string, unknown> | undefined)?.ticket;
}

export function requestPrincipal(people: PeopleService, request: FastifyRequest): Principal | null {
  return (
    people.authenticate(cookieSecret(request)) ?? people.verifyMediaTicket(mediaTicketOf(request))
  );
}

export function callerMeta(request: FastifyRequest): CallerMeta {
  return {
    address: request.ip,
    userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300),
    transport: 'browser',
  };
}

/**
 * Replies 401 (nobody signed in) or 403 (no right) and returns true when the request may not
 * go on; used as an onRequest check so a refused upload sends no body. With `sourceOf`, a
 * person whose right is limited to some recorded sources is refused unless the request's
 * source (read only then) is one of them.
 */
export function refuseUnlessAllowed(
  people: PeopleService,
  request: FastifyRequest,
  reply: FastifyReply,
  permission: Permission,
  sourceOf?: () => number | null | undefined,
): boolean {
  if (permission === 'public') return false;
  const principal = requestPrincipal(people, request);
  if (!principal) {
    void reply.code(401).send({ code: 'unauthorized', message: 'Sign in first.' });
    return true;
  }
  if (!grantHas(principal.grant, permission)) {
    void reply
      .code(403)
      .send({ code: 'forbidden', message: `Your role (${principal.grant.role}) may not do this.` });
    return true;
  }
  const reach = sourceOf ? grantSources(principal.grant, permission) : null;
  if (!sourceOf || reach === null) return false;
  const sourceId = sourceOf();
  if (sourceId !== null && sourceId !== undefined && reach.has(sourceId)) return false;
  void reply
    .code(403)
    .send({ code: 'forbidden', message: 'Your rights do not reach that source.' });
  return true;
}

/**
 * A browser always names the page that opened a socket or posted a form. Only our own origin
 * (the same scheme and host the request came to) and the desktop app's page may; a client that
 * sends no Origin is not a browser page and is judged by its session alone.
 */
export function originAllowed(request: FastifyRequest, secure: boolean): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (origin === APP_ORIGIN) return true;
  const host = request.headers.host;
  if (!host) return false;
  return origin === `${secure ? 'https' : 'http'}://${host}`;
}

export function hostAllowed(request: FastifyRequest, allowed: ReadonlySet<string> | null): boolean {
  if (allowed === null) return true;
  const host = request.headers.host?.toLowerCase();
  return host !== undefined && allowed.has(host);
}

/** Host names a loopback server answers to (with its port). */
export function loopbackHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}
