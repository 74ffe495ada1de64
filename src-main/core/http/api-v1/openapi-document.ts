// Touches @fastify/swagger's output where the routes cannot say it themselves: errors are
// application/problem+json, the event stream is text/event-stream, and every read may answer
// 304 to If-None-Match.
import type { OpenAPIV3_1 } from 'openapi-types';

const STREAMS = new Set(['streamEvents']);

export function finishDocument<T>(input: T): T {
  const document = input as unknown as OpenAPIV3_1.Document;
  for (const item of Object.values(document.paths ?? {})) {
    for (const [verb, operation] of Object.entries(item ?? {})) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation))
        continue;
      const op = operation as OpenAPIV3_1.OperationObject;
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        const content = (response as OpenAPIV3_1.ResponseObject).content;
        const json = content?.['application/json'];
        if (!content || !json) continue;
        if (Number(status) >= 400) {
          delete content['application/json'];
          content['application/problem+json'] = json;
        } else if (op.operationId && STREAMS.has(op.operationId)) {
          delete content['application/json'];
          content['text/event-stream'] = { schema: { type: 'string' } };
        }
      }
      if (verb === 'get' && !(op.operationId && STREAMS.has(op.operationId))) {
        op.parameters = [
          ...(op.parameters ?? []),
          {
            in: 'header',
            name: 'if-none-match',
            required: false,
            description: 'The ETag of an earlier answer: 304 when nothing changed.',
            schema: { type: 'string' },
          },
        ];
        op.responses = {
          ...op.responses,
          '304': { description: 'Not modified: the ETag sent in If-None-Match still holds.' },
        };
      }
    }
  }
  return input;
}
