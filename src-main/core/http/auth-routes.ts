// Sign-in for browsers: the session secret goes into an HttpOnly, SameSite=Strict cookie (Secure
// under TLS) that page scripts cannot read and other sites cannot send. The desktop window signs
// in over IPC with the same service instead.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SetupRequestSchema, SignInRequestSchema } from '../../../src-shared/contract';
import { AppError } from '../errors';
import { httpStatusOf } from './error-status';
import type { PeopleService } from '../people/people-service';
import { RateLimitedError } from '../people/people-service';
import {
  callerMeta,
  clearedSessionCookie,
  originAllowed,
  requestPrincipal,
  sessionCookie,
  type HttpAuthOptions,
} from './session-auth';
import { z } from 'zod';
import { timingSafeEqual } from 'node:crypto';

const SetupWithCode = SetupRequestSchema.extend({ code: z.string().max(200).optional() });

function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof RateLimitedError)
    void reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
  if (error instanceof AppError)
    return reply.code(httpStatusOf[error.code]).send(error.toContract());
  throw error;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function registerAuthRoutes(
  app: FastifyInstance,
  options: HttpAuthOptions & {
    /** The one-time code `serve` printed for the first-run link; null once an admin exists. */
    setupCode: () => string | null;
  },
): void {
  const { people, secure } = options;
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');
  // Forms posted from another site carry its Origin; refusing them stops login CSRF.
  const checkOrigin = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!originAllowed(request, secure))
      return reply.code(403).send({ code: 'forbidden', message: 'Cross-origin request refused.' });
  };

  app.get('/api/auth/status', async (request, reply) => {
    noStore(reply);
    return people.status(requestPrincipal(people, request));
  });

  app.post('/api/auth/setup', { onRequest: checkOrigin }, async (request, reply) => {
    noStore(reply);
    const parsed = SetupWithCode.safeParse(request.body);
    if (!parsed.success)
      return reply
        .code(400)
        .send({ code: 'invalid_request', message: parsed.error.issues[0]?.message ?? 'invalid' });
    const code = options.setupCode();
    if (code !== null && !sameText(code, parsed.data.code ?? ''))
      return reply.code(403).send({
        code: 'forbidden',
        message: 'Open the set-up link that `airdeck serve` printed to create the first admin.',
      });
    try {
      const { code: _code, ...setup } = parsed.data;
      const signedIn = await people.setup(setup, callerMeta(request));
      void reply.header('set-cookie', sessionCookie(signedIn.secret, secure));
      return people.status(people.authenticate(signedIn.secret));
    } catch (error) {
      return sendError(reply, error);
    }
  });

  app.post('/api/auth/sign-in', { onRequest: checkOrigin }, async (request, reply) => {
    noStore(reply);
    const parsed = SignInRequestSchema.safeParse(request.body);
    if (!parsed.success)
      return reply
        .code(400)
        .send({ code: 'invalid_request', message: 'Send { username, password }.' });
    try {
      const signedIn = await people.signIn(parsed.data, callerMeta(request));
      void reply.header('set-cookie', sessionCookie(signedIn.secret, secure));
      return people.status(people.authenticate(signedIn.secret));
    } catch (error) {
      return sendError(reply, error);
    }
  });

  app.post('/api/auth/sign-out', { onRequest: checkOrigin }, async (request, reply) => {
    noStore(reply);
    const principal = requestPrincipal(people, request);
    if (principal) people.signOut(principal, request.ip);
    void reply.header('set-cookie', clearedSessionCookie(secure));
    return { ok: true };
  });
}

export type { PeopleService };
