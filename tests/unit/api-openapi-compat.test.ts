// The breaking-change rules on a small document: what a partner relies on may not go away or
// tighten within a major version; additions are fine.
import { describe, expect, it } from 'vitest';
import { breakingChanges } from '../../src-main/core/http/api-v1/openapi-compat';

const published = () => ({
  info: { version: '1.2.0' },
  components: {
    schemas: {
      Channel: {
        type: 'object',
        properties: { id: { type: 'integer' }, name: { type: 'string' } },
        required: ['id', 'name'],
      },
    },
  },
  paths: {
    '/channels': {
      get: {
        parameters: [
          {
            in: 'query',
            name: 'limit',
            required: false,
            schema: { type: 'integer', maximum: 500 },
          },
        ],
        responses: {
          '200': {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Channel' } } },
          },
        },
      },
      post: {
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { name: { type: 'string', maxLength: 80 }, kind: { enum: ['a', 'b'] } },
                required: ['name'],
              },
            },
          },
        },
        responses: { '201': { description: 'made' } },
      },
    },
  },
});

type Doc = ReturnType<typeof published>;
const edit = (change: (doc: Doc) => void) => {
  const doc = published();
  change(doc);
  return breakingChanges(published(), doc);
};

describe('the breaking-change check', () => {
  it('accepts the same document and additions', () => {
    expect(breakingChanges(published(), published())).toEqual([]);
    expect(
      edit((doc) => {
        (doc.components.schemas.Channel.properties as Record<string, unknown>).logo = {
          type: 'string',
        };
        doc.paths['/channels'].get.parameters.push({
          in: 'query',
          name: 'group',
          required: false,
          schema: { type: 'string' } as never,
        });
        (doc.paths as Record<string, unknown>)['/new'] = { get: { responses: {} } };
      }),
    ).toEqual([]);
  });

  it('refuses a removed operation, parameter or response property', () => {
    expect(
      edit((doc) => delete (doc.paths['/channels'] as Partial<Doc['paths']['/channels']>).post),
    ).toEqual(['POST /channels: operation removed']);
    expect(edit((doc) => doc.paths['/channels'].get.parameters.pop())).toEqual([
      'GET /channels query:limit: parameter removed',
    ]);
    expect(
      edit(
        (doc) =>
          delete (doc.components.schemas.Channel.properties as Partial<Record<string, unknown>>)
            .name,
      ),
    ).toEqual(['GET /channels 200.name: removed']);
  });

  it('refuses what is made stricter', () => {
    expect(edit((doc) => (doc.paths['/channels'].get.parameters[0]!.required = true))).toEqual([
      'GET /channels query:limit: newly required',
    ]);
    expect(edit((doc) => (doc.paths['/channels'].get.parameters[0]!.schema.maximum = 100))).toEqual(
      ['GET /channels query:limit: maximum lowered from 500'],
    );
    expect(
      edit((doc) => {
        const body = doc.paths['/channels'].post.requestBody.content['application/json'].schema;
        body.required.push('kind');
        body.properties.kind.enum = ['a'];
      }),
    ).toEqual([
      'POST /channels body.kind: enum lost b',
      'POST /channels body.kind: newly required',
    ]);
    expect(edit((doc) => (doc.components.schemas.Channel.required = ['id']))).toEqual([
      'GET /channels 200.name: no longer always present',
    ]);
  });

  it('lets a new major version break anything', () => {
    expect(
      edit((doc) => {
        doc.info.version = '2.0.0';
        doc.paths = {} as never;
      }),
    ).toEqual([]);
  });
});
