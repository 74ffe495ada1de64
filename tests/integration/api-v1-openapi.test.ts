// The published description of /api/v1: valid OpenAPI 3.1, the same as the committed file,
// compatible with what was published before, and true: every operation has an example here
// that runs against a real served core and whose answer validates against its schema.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breakingChanges } from '../../src-main/core/http/api-v1/openapi-compat';
import { apiRequest, issueKey, SseClient } from '../helpers/api-client';
import { startServedCore, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';

const COMMITTED = resolve('docs/openapi/v1.json');
type Doc = {
  info: { version: string };
  paths: Record<
    string,
    Record<string, { operationId: string; responses: Record<string, unknown> }>
  >;
  components: Record<string, unknown>;
};
const committed = () => JSON.parse(readFileSync(COMMITTED, 'utf8')) as Doc;

/** The document as the branch point with main had it, when git can say (the PR's baseline). */
function publishedOnMain(): Doc | null {
  try {
    const base = execFileSync('git', ['merge-base', 'HEAD', 'main'], { encoding: 'utf8' }).trim();
    const text = execFileSync('git', ['show', `${base}:docs/openapi/v1.json`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return JSON.parse(text) as Doc;
  } catch {
    return null;
  }
}

type Example = (ctx: { channelId: number; from: number }) => {
  method: string;
  path: string;
  body?: unknown;
  status: number;
};

/** One runnable example per documented operation (the test fails when one is missing). */
const examples: Record<string, Example> = {
  getHealth: () => ({ method: 'GET', path: '/api/v1/health', status: 200 }),
  listChannels: () => ({ method: 'GET', path: '/api/v1/channels?limit=10', status: 200 }),
  getSchedule: ({ channelId, from }) => ({
    method: 'GET',
    path: `/api/v1/channels/${channelId}/schedule?from=${from}&to=${from + 3_600_000}`,
    status: 200,
  }),
  changeSchedule: ({ channelId, from }) => ({
    method: 'POST',
    path: `/api/v1/channels/${channelId}/schedule/batch`,
    body: {
      ops: [
        {
          op: 'create',
          item: { channelId, kind: 'break', startsAt: from + 600_000, durationMs: 30_000 },
        },
      ],
    },
    status: 200,
  }),
  getNowNext: ({ channelId }) => ({
    method: 'GET',
    path: `/api/v1/channels/${channelId}/now-next`,
    status: 200,
  }),
  getEpg: ({ channelId, from }) => ({
    method: 'GET',
    path: `/api/v1/channels/${channelId}/epg?from=${from}&to=${from + 3_600_000}`,
    status: 200,
  }),
  getAsRun: ({ channelId }) => ({
    method: 'GET',
    path: `/api/v1/channels/${channelId}/as-run`,
    status: 200,
  }),
  listBreaks: ({ channelId, from }) => ({
    method: 'GET',
    path: `/api/v1/channels/${channelId}/breaks?from=${from}&to=${from + 3_600_000}`,
    status: 200,
  }),
  createBreak: ({ channelId, from }) => ({
    method: 'POST',
    path: `/api/v1/channels/${channelId}/breaks`,
    body: { startsAt: from + 1_800_000, durationMs: 60_000, title: 'Mid-roll' },
    status: 201,
  }),
  insertBreakNow: ({ channelId }) => ({
    method: 'POST',
    path: `/api/v1/channels/${channelId}/breaks/now`,
    body: { durationMs: 30_000, title: 'Breaking' },
    status: 201,
  }),
  getAudience: ({ channelId }) => ({
    method: 'GET',
    path: `/api/v1/channels/${channelId}/audience?stepMinutes=15`,
    status: 200,
  }),
  listProgrammeAudience: ({ channelId }) => ({
    method: 'GET',
    path: `/api/v1/channels/${channelId}/audience/programmes`,
    status: 200,
  }),
  listRecordings: () => ({ method: 'GET', path: '/api/v1/recordings', status: 200 }),
  streamEvents: () => ({ method: 'GET', path: '/api/v1/events', status: 200 }),
};

describe('the OpenAPI document of /api/v1', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let served: ServedCore;
  let live: Doc;
  let key: string;
  let channelId: number;

  beforeAll(async () => {
    dir = makeTempDir();
    served = await startServedCore(dir.path);
    const answer = await apiRequest(served.server.url, null, 'GET', '/api/v1/openapi.json');
    expect(answer.status).toBe(200);
    live = answer.body as Doc;
    channelId = (await served.call('channelCreate', { name: 'One', number: 1, slug: 'one' })).id;
    // On air (on slate), so that a break can start now.
    await served.call('playoutStart', { channelId });
    key = (
      await issueKey(served, {
        name: 'Contract tests',
        scopes: [
          'schedule:read',
          'schedule:write',
          'breaks:write',
          'events:read',
          'recordings:read',
          'viewers:read',
        ],
        plan: { requestsPerMinute: 1000, eventStreams: 2, webhookEndpoints: 0 },
      })
    ).secret;
  });
  afterAll(async () => {
    await served.close();
    dir.remove();
  });

  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(committed());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(committed().info.version).toMatch(/^1\./);
  });

  it('is served exactly as committed (run `npm run openapi` after changing the API)', () => {
    expect(live).toEqual(committed());
  });

  it('breaks nothing published, unless it is a new major version', () => {
    expect(breakingChanges(committed(), live)).toEqual([]);
    const onMain = publishedOnMain();
    if (onMain) expect(breakingChanges(onMain, live)).toEqual([]);
  });

  it('has a readable reference page', async () => {
    const page = await fetch(new URL('/api/v1/docs/', served.server.url));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('swagger');
  });

  it('runs an example of every operation and its answer validates against the schema', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const from = Date.now() + 86_400_000;
    const operations = Object.entries(live.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([verb, op]) => ({ path, verb, op })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(10);
    for (const { path, verb, op } of operations) {
      const example = examples[op.operationId];
      expect(example, `an example for ${op.operationId}`).toBeDefined();
      const run = example!({ channelId, from });
      expect(run.method.toLowerCase(), op.operationId).toBe(verb);
      expect(path.replace(/\{[^}]+\}/g, '\\d+').replace(/\//g, '\\/')).toSatisfy(
        (pattern: string) => new RegExp(`^${pattern}(\\?|$)`).test(run.path),
      );
      if (op.operationId === 'streamEvents') {
        const stream = await SseClient.open(new URL(run.path, served.server.url).toString(), key);
        expect(stream.status).toBe(200);
        stream.close();
        continue;
      }
      const answer = await apiRequest(served.server.url, key, run.method, run.path, {
        ...(run.body !== undefined ? { body: run.body } : {}),
      });
      expect(answer.status, `${op.operationId}: ${JSON.stringify(answer.body)}`).toBe(run.status);
      const response = op.responses[String(run.status)] as {
        content: Record<string, { schema: object }>;
      };
      const schema = {
        ...response.content['application/json']!.schema,
        components: live.components,
      };
      const validate = ajv.compile(schema);
      expect(validate(answer.body), `${op.operationId}: ${ajv.errorsText(validate.errors)}`).toBe(
        true,
      );
    }
  });

  it('documents every error as a problem and validates one', async () => {
    const answer = await apiRequest(served.server.url, key, 'GET', '/api/v1/channels/999/epg');
    expect(answer.status).toBe(404);
    expect(answer.type).toContain('application/problem+json');
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile({
      $ref: '#/components/schemas/Problem',
      components: live.components,
    });
    expect(validate(answer.body)).toBe(true);
    for (const item of Object.values(live.paths))
      for (const op of Object.values(item))
        for (const [status, response] of Object.entries(op.responses))
          if (Number(status) >= 400)
            expect(Object.keys((response as { content: object }).content)).toEqual([
              'application/problem+json',
            ]);
  });
});
