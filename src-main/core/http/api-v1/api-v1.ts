// /api/v1: the integrators' face of the core. Every route reads the key (Authorization: Bearer),
// checks the route's scope and the key's channels, and calls the same contract methods a window
// calls, as the key (so the dispatcher's permission checks and the audit log apply). Schemas
// are zod (the contract's own) through fastify-type-provider-zod, and @fastify/swagger builds
// the OpenAPI document from the same routes, so nothing is declared twice.
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MethodName, Request, Response } from '../../../../src-shared/contract';
import { apiRouteScopes, type ApiRouteKey } from '../../../../src-shared/contract/permissions';
import type { KeyCaller } from '../../api-keys/api-keys-service';
import type { Core } from '../../create-core';
import type { Caller } from '../../rpc/caller';
import { publicHealth } from '../public-health';
import {
  AdBreakCreateSchema,
  AdBreakNowSchema,
  AdBreakPage,
  AdBreakSchema,
  ApiAudienceSeriesSchema,
  AudienceQuery,
  API_VERSION,
  ApiHealthSchema,
  AsRunPage,
  BatchRequestSchema,
  ChannelPage,
  ChannelParams,
  EventsQuery,
  NowNextSchema,
  ProgrammeAudiencePage,
  ProgrammePage,
  RecordingPage,
  ScheduleChangeResponse,
  SchedulePage,
  WindowQuery,
} from './api-schemas';
import { streamEvents } from './events-stream';
import { finishDocument } from './openapi-document';
import { PageQuery, paginate } from './pagination';
import { problem, ProblemError, problemOf, ProblemSchema, sendProblem } from './problem';

export const API_PREFIX = '/api/v1';
const DAY_MS = 86_400_000;

export type ApiV1Deps = {
  /** The station: live keys are answered here, and every key is issued and checked here. */
  live: Core;
  /** The sandbox station test keys reach; null where none runs (test keys then get 503). */
  sandbox: () => Promise<Core | null>;
};

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: KeyCaller;
  }
}

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  429: ProblemSchema,
  500: ProblemSchema,
  503: ProblemSchema,
};

function routeKeyOf(request: FastifyRequest): string {
  const verb = request.method === 'HEAD' ? 'GET' : request.method;
  return `${verb} ${request.routeOptions.url ?? ''}`;
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}

const refusalText = {
  unknown: 'Send a valid API key as `Authorization: Bearer <key>`.',
  revoked: 'This API key was revoked.',
  expired: 'This API key has expired.',
};

/** A stable ETag for a body: the same answer twice is the same tag. */
const etagOf = (body: string) =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

function ifNoneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const list = (Array.isArray(header) ? header.join(',') : header).split(',').map((t) => t.trim());
  return list.some((tag) => tag === '*' || tag.replace(/^W\//, '') === etag);
}

/** The whole /api/v1 plugin; `deps` may be null when only the document is wanted. */
export async function apiV1Plugin(app: FastifyInstance, deps: ApiV1Deps | null): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Airdeck integrator API',
        version: API_VERSION,
        description:
          'Channels, schedules, EPG, as-run, ad breaks, recordings and events of an Airdeck ' +
          'station. Authenticate with `Authorization: Bearer <key>`; keys starting `ak_test_` ' +
          'reach the sandbox station. Errors are RFC 9457 problem details. Lists are paged ' +
          'with `cursor`; reads carry an ETag and answer 304 to a matching If-None-Match.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'ak_…' } },
      },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (input) => finishDocument(jsonSchemaTransformObject(input)),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const live = deps?.live;
  const coreOf = async (request: FastifyRequest): Promise<Core> => {
    if (!deps || !live) throw new ProblemError(problem(503, 'unavailable', 'No core here.'));
    if (request.apiKey?.key.mode !== 'test') return live;
    const sandbox = await deps.sandbox();
    if (!sandbox)
      throw new ProblemError(problem(503, 'unavailable', 'The sandbox station is not running.'));
    return sandbox;
  };
  const callerOf = (request: FastifyRequest): Caller => ({
    kind: 'window',
    principal: request.apiKey!.principal,
    meta: {
      address: request.ip,
      userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300),
      transport: 'browser',
    },
  });
  async function call<M extends MethodName>(
    request: FastifyRequest,
    method: M,
    params: Request<M>,
  ): Promise<Response<M>> {
    const core = await coreOf(request);
    const answer = await core.dispatch(method, params, callerOf(request));
    if (!answer.ok) throw new ProblemError(problemOf(answer.error, request.url));
    return answer.result as Response<M>;
  }
  /** The channel must exist where the key reaches (its station, live or sandbox). */
  async function channelOf(request: FastifyRequest, channelId: number) {
    const channels = await call(request, 'channelsList', {});
    const channel = channels.find((c) => c.id === channelId);
    if (!channel)
      throw new ProblemError(problem(404, 'not_found', `No channel ${channelId}.`, request.url));
    return channel;
  }

  // Who is calling: the key, its scope for this route and its channels, before anything else.
  app.addHook('onRequest', async (request, reply) => {
    const key = routeKeyOf(request);
    if (!Object.prototype.hasOwnProperty.call(apiRouteScopes, key)) return; // the docs' files
    const scope = apiRouteScopes[key as ApiRouteKey];
    if (scope === null) return;
    if (!live) return sendProblem(reply, problem(503, 'unavailable', 'No core here.'));
    const auth = live.apiKeys.authenticate(bearerOf(request));
    if ('refused' in auth) {
      void reply.header('www-authenticate', 'Bearer realm="airdeck"');
      return sendProblem(
        reply,
        problem(401, 'unauthorized', refusalText[auth.refused], request.url),
      );
    }
    request.apiKey = auth;
    if (!auth.key.scopes.includes(scope))
      return sendProblem(
        reply,
        problem(403, 'forbidden', `This key lacks the ${scope} scope.`, request.url),
      );
    const channelId = Number((request.params as Record<string, unknown> | undefined)?.channelId);
    if (
      Number.isInteger(channelId) &&
      auth.key.channels !== null &&
      !auth.key.channels.includes(channelId)
    )
      return sendProblem(
        reply,
        problem(403, 'forbidden', `This key does not reach channel ${channelId}.`, request.url),
      );
  });

  await app.register(fastifyRateLimit, {
    global: true,
    timeWindow: 60_000,
    max: (request) => request.apiKey?.key.plan.requestsPerMinute ?? 1000,
    keyGenerator: (request) => (request.apiKey ? `key:${request.apiKey.key.id}` : request.ip),
    // The description of the API is not metered; every keyed route is.
    allowList: (request) => request.apiKey === undefined,
    errorResponseBuilder: (request, context) =>
      new ProblemError(
        problem(
          429,
          'rate_limited',
          `This key's plan allows ${context.max} requests a minute; try again in ${context.after}.`,
          request.url,
        ),
      ),
  });

  app.addHook('onResponse', async (request, reply) => {
    if (request.apiKey) live?.apiKeys.count(request.apiKey.key.id, reply.statusCode === 429);
  });

  // Reads carry an ETag; a client that sends it back gets 304 and no body.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' || reply.statusCode !== 200 || typeof payload !== 'string')
      return payload;
    const etag = etagOf(payload);
    void reply.header('etag', etag).header('cache-control', 'private, no-cache');
    if (!ifNoneMatchHits(request.headers['if-none-match'], etag)) return payload;
    void reply.code(304);
    return '';
  });

  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof ProblemError) return sendProblem(reply, error.problem);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const detail = error.validation
        .slice(0, 5)
        .map((issue) => `${issue.instancePath || '(request)'}: ${issue.message ?? 'invalid'}`)
        .join('; ');
      return sendProblem(reply, problem(400, 'invalid_request', detail, request.url));
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = error instanceof Error ? error.message : 'Bad request';
      return sendProblem(reply, problem(status, 'invalid_request', message, request.url));
    }
    request.log.error(error);
    return sendProblem(
      reply,
      problem(
        500,
        'internal',
        'The request failed unexpectedly; see the Airdeck log.',
        request.url,
      ),
    );
  });

  const api = app.withTypeProvider<ZodTypeProvider>();
  const window = (
    query: { from?: number | undefined; to?: number | undefined },
    now: number,
    back = 0,
  ) => {
    const from = query.from ?? now - back;
    const to = query.to ?? from + DAY_MS;
    if (to <= from)
      throw new ProblemError(problem(400, 'invalid_request', '`to` must be after `from`.'));
    return { from, to };
  };

  api.get(
    '/openapi.json',
    { schema: { hide: true } },
    async () => app.swagger() as unknown as Record<string, unknown>,
  );

  api.get(
    '/health',
    {
      schema: {
        operationId: 'getHealth',
        summary: 'Whether the station answering this key works',
        tags: ['station'],
        response: { 200: ApiHealthSchema, ...errors },
      },
    },
    async (request) => {
      const core = await coreOf(request);
      const health = publicHealth(core.health.snapshot());
      return {
        ok: health.ok,
        version: health.version,
        apiVersion: API_VERSION,
        station: core === live ? ('live' as const) : ('sandbox' as const),
        uptimeMs: health.uptimeMs,
        now: core.context.clock.now(),
      };
    },
  );

  api.get(
    '/channels',
    {
      schema: {
        operationId: 'listChannels',
        summary: 'Channels this key reaches',
        tags: ['channels'],
        querystring: z.object(PageQuery),
        response: { 200: ChannelPage, ...errors },
      },
    },
    async (request) => {
      const reach = request.apiKey!.key.channels;
      const channels = (await call(request, 'channelsList', {}))
        .filter((c) => reach === null || reach.includes(c.id))
        .map((c) => ({
          id: c.id,
          name: c.name,
          number: c.number,
          slug: c.slug,
          group: c.group,
          enabled: c.enabled,
          scheduleVersion: c.scheduleVersion,
        }));
      return paginate(channels, (c) => [c.id], request.query);
    },
  );

  api.get(
    '/channels/:channelId/schedule',
    {
      schema: {
        operationId: 'getSchedule',
        summary: "A channel's schedule items overlapping a window",
        tags: ['schedule'],
        params: ChannelParams,
        querystring: WindowQuery.extend(PageQuery),
        response: { 200: SchedulePage, ...errors },
      },
    },
    async (request) => {
      const { channelId } = request.params;
      await channelOf(request, channelId);
      const core = await coreOf(request);
      const range = window(request.query, core.context.clock.now());
      const answer = await call(request, 'scheduleRange', { channelIds: [channelId], ...range });
      return paginate(answer.items, (i) => [i.startsAt, i.id], request.query);
    },
  );

  api.post(
    '/channels/:channelId/schedule/batch',
    {
      schema: {
        operationId: 'changeSchedule',
        summary: 'Create, update and delete schedule items in one all-or-nothing batch',
        tags: ['schedule'],
        params: ChannelParams,
        body: BatchRequestSchema,
        response: { 200: ScheduleChangeResponse, 409: ProblemSchema, ...errors },
      },
    },
    async (request) => {
      const { channelId } = request.params;
      await channelOf(request, channelId);
      const ops = request.body.ops;
      // Every op must act on this channel: a batch cannot reach past the URL it was sent to.
      const ids = ops.flatMap((op) => (op.op === 'create' ? [] : [op.id]));
      if (ids.length > 0) {
        const { items } = await call(request, 'scheduleGet', { ids });
        const elsewhere = items.find((item) => item.channelId !== channelId);
        if (elsewhere)
          throw new ProblemError(
            problem(400, 'invalid_request', `Item ${elsewhere.id} is not on channel ${channelId}.`),
          );
      }
      const moved = ops.find(
        (op) =>
          (op.op === 'create' && op.item.channelId !== channelId) ||
          (op.op === 'update' && op.set.channelId !== undefined && op.set.channelId !== channelId),
      );
      if (moved)
        throw new ProblemError(
          problem(
            400,
            'invalid_request',
            `Every op of this batch must stay on channel ${channelId}.`,
          ),
        );
      return call(request, 'scheduleBatch', { ops });
    },
  );

  api.get(
    '/channels/:channelId/now-next',
    {
      schema: {
        operationId: 'getNowNext',
        summary: 'What is on air now and what comes next',
        tags: ['schedule'],
        params: ChannelParams,
        response: { 200: NowNextSchema, ...errors },
      },
    },
    async (request) => {
      const { channelId } = request.params;
      await channelOf(request, channelId);
      const answer = await call(request, 'playoutStatus', { channelId });
      const status = answer.channels[0];
      return {
        channelId,
        onAir: status?.onAir ?? false,
        held: status?.held ?? false,
        now: status?.now ?? null,
        next: status?.next ?? null,
        at: answer.now,
      };
    },
  );

  api.get(
    '/channels/:channelId/epg',
    {
      schema: {
        operationId: 'getEpg',
        summary: "A channel's programme guide for a window (breaks folded into programmes)",
        tags: ['schedule'],
        params: ChannelParams,
        querystring: WindowQuery.extend(PageQuery),
        response: { 200: ProgrammePage, ...errors },
      },
    },
    async (request) => {
      const { channelId } = request.params;
      await channelOf(request, channelId);
      const core = await coreOf(request);
      const range = window(request.query, core.context.clock.now());
      const programmes = core.playout.programmes(channelId, range.from, range.to);
      return paginate(programmes, (p) => [p.startsAt], request.query);
    },
  );

  api.get(
    '/channels/:channelId/as-run',
    {
      schema: {
        operationId: 'getAsRun',
        summary: 'What went to air (default: the last day), oldest first',
        tags: ['schedule'],
        params: ChannelParams,
        querystring: WindowQuery.extend(PageQuery),
        response: { 200: AsRunPage, ...errors },
      },
    },
    async (request) => {
      const { channelId } = request.params;
      await channelOf(request, channelId);
      const core = await coreOf(request);
      const now = core.context.clock.now();
      const range =
        request.query.from === undefined && request.query.to === undefined
          ? { from: now - DAY_MS, to: now + 1 }
          : window(request.query, now);
      const { rows } = await call(request, 'asRunList', { channelId, ...range });
      return paginate(rows, (r) => [r.id], request.query);
    },
  );

  api.get(
    '/channels/:channelId/breaks',
    {
      schema: {
        operationId: 'listBreaks',
        summary: 'Ad breaks in a window (default: the next day)',
        description:
          'Each break carries the splice event id an SCTE-35 splice_insert for it uses (the ' +
          'schedule item id) and its duration.',
        tags: ['breaks'],
        params: ChannelParams,
        querystring: WindowQuery.extend(PageQuery),
        response: { 200: AdBreakPage, ...errors },
      },
    },
    async (request) => {
      const { channelId } = request.params;
      await channelOf(request, channelId);
      const core = await coreOf(request);
      const range = window(request.query, core.context.clock.now());
      const { items } = await call(request, 'scheduleRange', { channelIds: [channelId], ...range });
      const breaks = items.filter((i) => i.kind === 'break').map(toBreak);
      return paginate(breaks, (b) => [b.startsAt, b.spliceEventId], request.query);
    },
  );

  api.post(
    '/channels/:channelId/breaks',
    {
      schema: {
        operationId: 'createBreak',
        summary: 'Schedule an ad break on the channel',
        tags: ['breaks'],
        params: ChannelParams,
        body: AdBreakCreateSchema,
        response: { 201: AdBreakSchema, 409: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { channelId } = request.params;
      await channelOf(request, channelId);
      const body = request.body;
      const change = await call(request, 'scheduleAdd', {
        channelId,
        kind: 'break',
        startsAt: body.startsAt,
        durationMs: body.durationMs,
        title: body.title,
        ripple: body.ripple,
      });
      const created = change.changed.find(
        (i) => i.kind === 'break' && i.channelId === channelId && i.startsAt === body.startsAt,
      );
      if (!created) throw new ProblemError(problem(500, 'internal', 'The break was not placed.'));
      return reply.code(201).send(toBreak(created));
    },
  );

  api.post(
    '/channels/:channelId/breaks/now',
    {
      schema: {
        operationId: 'insertBreakNow',
        summary: 'Start an ad break on air now',
        description:
          'The break begins at the next segment boundary (within one segment, 2 s), is announced ' +
          'on the outputs with SCTE-35 OUT and IN markers like a scheduled one, and the ' +
          'interrupted programme resumes after it. The channel must be on air.',
        tags: ['breaks'],
        params: ChannelParams,
        body: AdBreakNowSchema,
        response: { 201: AdBreakSchema, 409: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { channelId } = request.params;
      await channelOf(request, channelId);
      const { durationMs, title } = request.body;
      const started = await call(request, 'playoutBreakNow', { channelId, durationMs, title });
      const at = started.effectiveAt;
      const range = await call(request, 'scheduleRange', {
        channelIds: [channelId],
        from: at,
        to: at + 1,
      });
      const placed = range.items.find((i) => i.kind === 'break' && i.startsAt === at);
      if (!placed) throw new ProblemError(problem(500, 'internal', 'The break was not placed.'));
      return reply.code(201).send(toBreak(placed));
    },
  );

  api.get(
    '/channels/:channelId/audience',
    {
      schema: {
        operationId: 'getAudience',
        summary: "A channel's viewers over a window (default: the last day, hourly)",
        description:
          'Counted from what players fetch on the HLS and live.ts outputs and rolled up per ' +
          'minute; the station keeps the history for its audience retention setting.',
        tags: ['viewers'],
        params: ChannelParams,
        querystring: AudienceQuery,
        response: { 200: ApiAudienceSeriesSchema, ...errors },
      },
    },
    async (request) => {
      const { channelId } = request.params;
      await channelOf(request, channelId);
      const core = await coreOf(request);
      const { stepMinutes, ...query } = request.query;
      const range = window(query, core.context.clock.now(), DAY_MS);
      const answer = await call(request, 'audienceSeries', { ...range, channelId, stepMinutes });
      const series = answer.channels.find((c) => c.channelId === channelId) ?? {
        channelId,
        at: [],
        peak: [],
        average: [],
        watchMs: [],
      };
      return { ...series, stepMinutes: answer.stepMinutes };
    },
  );

  api.get(
    '/channels/:channelId/audience/programmes',
    {
      schema: {
        operationId: 'listProgrammeAudience',
        summary: 'Audience per programme aired in a window (default: the last day)',
        description:
          'Unique viewers, peak and average concurrent viewers, watch time and share of the ' +
          "station's watch time, per programme of the as-run log (a programme split by breaks " +
          'counts once).',
        tags: ['viewers'],
        params: ChannelParams,
        querystring: WindowQuery.extend(PageQuery),
        response: { 200: ProgrammeAudiencePage, ...errors },
      },
    },
    async (request) => {
      const { channelId } = request.params;
      await channelOf(request, channelId);
      const core = await coreOf(request);
      const range = window(request.query, core.context.clock.now(), DAY_MS);
      const { programmes } = await call(request, 'audienceByProgramme', { ...range, channelId });
      return paginate(programmes, (p) => [p.airedAt, p.itemId ?? 0], request.query);
    },
  );

  api.get(
    '/recordings',
    {
      schema: {
        operationId: 'listRecordings',
        summary: 'Recorded outside sources and what is on disk',
        tags: ['recordings'],
        querystring: z.object(PageQuery),
        response: { 200: RecordingPage, ...errors },
      },
    },
    async (request) => {
      const { sources } = await call(request, 'recorderSourcesList', {});
      const list = sources.map((s) => ({
        id: s.id,
        name: s.name,
        enabled: s.enabled,
        state: s.state,
        retentionDays: s.retentionDays,
        firstAt: s.firstAt,
        lastAt: s.lastAt,
        segments: s.segments,
        bytes: s.bytes,
      }));
      return paginate(list, (s) => [s.id], request.query);
    },
  );

  const openStreams = new Map<number, number>();
  api.get(
    '/events',
    {
      schema: {
        operationId: 'streamEvents',
        summary: 'Server-Sent Events of what changes, resumable with Last-Event-ID',
        description:
          'Event types: channels.changed, schedule.changed, playout.changed, asrun.appended ' +
          '(schedule:read) and recordings.changed (recordings:read), only for the channels ' +
          'the key reaches. Ids grow monotonically; events are retained for hours, and a ' +
          'reconnect with Last-Event-ID replays what was missed (a `stream.gap` event says ' +
          'when some are no longer retained). The stream closes when the key is revoked.',
        tags: ['events'],
        querystring: EventsQuery,
        headers: z.object({ 'last-event-id': z.string().max(20).optional() }),
        response: { 200: z.string().describe('text/event-stream'), ...errors },
      },
    },
    async (request, reply) => {
      const caller = request.apiKey!;
      const core = await coreOf(request);
      const header = request.headers['last-event-id'];
      const fromHeader = header !== undefined && /^\d+$/.test(header) ? Number(header) : null;
      const after = fromHeader ?? request.query.lastEventId ?? null;
      const open = openStreams.get(caller.key.id) ?? 0;
      if (open >= caller.key.plan.eventStreams)
        return sendProblem(
          reply,
          problem(
            429,
            'rate_limited',
            `This key's plan allows ${caller.key.plan.eventStreams} event streams at once.`,
            request.url,
          ),
        );
      openStreams.set(caller.key.id, open + 1);
      streamEvents(request, reply, {
        log: core.apiEvents,
        caller,
        after,
        onEnd: (end) =>
          live!.apiKeys.onRevoked((id) => {
            if (id === caller.key.id) end();
          }),
        closed: () => {
          const left = (openStreams.get(caller.key.id) ?? 1) - 1;
          if (left > 0) openStreams.set(caller.key.id, left);
          else openStreams.delete(caller.key.id);
        },
      });
      return reply;
    },
  );
}

/** Mounts /api/v1 (routes, docs and the document) on the server. */
export async function registerApiV1(app: FastifyInstance, deps: ApiV1Deps): Promise<void> {
  await app.register(async (scope) => apiV1Plugin(scope, deps), { prefix: API_PREFIX });
}

/** The OpenAPI document of this build, without a core (what `npm run openapi` writes). */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  const app = Fastify({ logger: false });
  let api: FastifyInstance | undefined;
  await app.register(
    async (scope) => {
      api = scope;
      await apiV1Plugin(scope, null);
    },
    { prefix: API_PREFIX },
  );
  await app.ready();
  const document = api!.swagger() as unknown as Record<string, unknown>;
  await app.close();
  return document;
}

function toBreak(item: Response<'scheduleRange'>['items'][number]): z.output<typeof AdBreakSchema> {
  return {
    spliceEventId: item.id,
    channelId: item.channelId,
    startsAt: item.startsAt,
    durationMs: item.durationMs,
    withinItemId: item.parentItemId,
    title: item.title,
    version: item.version,
  };
}
