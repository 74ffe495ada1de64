// Recordings over HTTP for players (session cookie or the desktop's media ticket): any window
// as a playlist computed from the index, segments with Range, finished screenshots and clips.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routePermissions, type RouteKey } from '../../../src-shared/contract/permissions';
import { AppError } from '../errors';
import { sendContainedFile } from '../http/send-file';
import { refuseUnlessAllowed } from '../http/session-auth';
import type { PeopleService } from '../people/people-service';
import { parseInstant } from './playlist-builder';
import type { RecorderApi } from './recorder-feature';

const M3U8 = 'application/vnd.apple.mpegurl';
const TYPES: Record<string, string> = {
  ts: 'video/mp2t',
  aac: 'audio/aac',
  png: 'image/png',
  jpg: 'image/jpeg',
  mp4: 'video/mp4',
};
/** A VOD window longer than this is refused (a week of 6 s segments is 100,800). */
const MAX_WINDOW_MS = 7 * 86_400_000;

type Query = Record<string, unknown> | undefined;

function positiveId(value: unknown): number | null {
  return typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : null;
}

function sendFile(request: FastifyRequest, reply: FastifyReply, file: string, root: string) {
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  return sendContainedFile(request, reply, {
    root,
    file,
    contentType: TYPES[ext] ?? 'application/octet-stream',
    // A recorded segment or a finished job never changes.
    cacheControl: 'private, max-age=86400, immutable',
  });
}

export function registerRecordingRoutes(
  app: FastifyInstance,
  options: { people: PeopleService; recorder: RecorderApi; reviewDir: string },
): void {
  const { people, recorder } = options;
  /** Refuses a person without the route's right, or limited to sources this one is not of. */
  const refused = (
    request: FastifyRequest,
    reply: FastifyReply,
    route: RouteKey,
    sourceOf: () => number | null | undefined,
  ) => refuseUnlessAllowed(people, request, reply, routePermissions[route], sourceOf);
  const sourceParam = (request: FastifyRequest<{ Params: { sourceId: string } }>) => () =>
    positiveId(request.params.sourceId);
  const bad = (reply: FastifyReply, message: string) =>
    reply.code(400).header('cache-control', 'no-store').send({ code: 'invalid_request', message });

  // The original and the fast-review rendition list the same window the same way.
  for (const [path, rendition] of [
    ['/recordings/:sourceId/vod.m3u8', 'original'],
    ['/recordings/:sourceId/fast.m3u8', 'fast'],
  ] as const) {
    app.get<{ Params: { sourceId: string } }>(path, async (request, reply) => {
      if (refused(request, reply, `GET ${path}`, sourceParam(request))) return reply;
      const query = request.query as Query;
      const sourceId = positiveId(request.params.sourceId);
      const fromAt = parseInstant(query?.from);
      const toAt = parseInstant(query?.to);
      if (sourceId === null)
        return reply.code(404).send({ code: 'not_found', message: 'No such source.' });
      if (fromAt === null || toAt === null || toAt <= fromAt || toAt - fromAt > MAX_WINDOW_MS)
        return bad(reply, 'from and to (UTC ms or ISO 8601) must make a window of at most 7 days');
      const text = recorder.playlist(sourceId, 'vod', fromAt, toAt, rendition);
      if (text === null)
        return reply.code(404).send({ code: 'not_found', message: 'No such source.' });
      return reply.header('content-type', M3U8).header('cache-control', 'no-cache').send(text);
    });
  }

  app.get<{ Params: { sourceId: string } }>(
    '/recordings/:sourceId/live.m3u8',
    async (request, reply) => {
      if (refused(request, reply, 'GET /recordings/:sourceId/live.m3u8', sourceParam(request)))
        return reply;
      const query = request.query as Query;
      const sourceId = positiveId(request.params.sourceId);
      const fromAt = parseInstant(query?.from);
      if (sourceId === null)
        return reply.code(404).send({ code: 'not_found', message: 'No such source.' });
      if (fromAt === null) return bad(reply, 'from (UTC ms or ISO 8601) is required');
      const text = recorder.playlist(sourceId, 'event', fromAt, null);
      if (text === null)
        return reply.code(404).send({ code: 'not_found', message: 'No such source.' });
      // It grows with the recording: never cached.
      return reply.header('content-type', M3U8).header('cache-control', 'no-store').send(text);
    },
  );

  app.get<{ Params: { sourceId: string; id: string } }>(
    '/recordings/:sourceId/seg/:id',
    async (request, reply) => {
      if (refused(request, reply, 'GET /recordings/:sourceId/seg/:id', sourceParam(request)))
        return reply;
      const sourceId = positiveId(request.params.sourceId);
      const id = positiveId(request.params.id);
      const file = sourceId !== null && id !== null ? recorder.segmentPath(sourceId, id) : null;
      if (sourceId === null || file === null)
        return reply.code(404).send({ code: 'not_found', message: 'No such segment.' });
      return sendFile(request, reply, file, recorder.sourceDir(sourceId));
    },
  );

  app.get<{ Params: { sourceId: string; id: string } }>(
    '/recordings/:sourceId/fast/:id',
    async (request, reply) => {
      if (refused(request, reply, 'GET /recordings/:sourceId/fast/:id', sourceParam(request)))
        return reply;
      const sourceId = positiveId(request.params.sourceId);
      const id = positiveId(request.params.id);
      let file: string | null = null;
      try {
        file =
          sourceId !== null && id !== null ? await recorder.fastSegmentPath(sourceId, id) : null;
      } catch (error) {
        // Made on demand: a segment that cannot be decoded, or shutdown, is the server's answer
        // about that segment, not a crash.
        if (error instanceof AppError && error.code !== 'not_found')
          return reply
            .code(502)
            .header('cache-control', 'no-store')
            .send({ code: error.code, message: error.message });
        if (!(error instanceof AppError)) throw error;
      }
      if (sourceId === null || file === null)
        return reply.code(404).send({ code: 'not_found', message: 'No such segment.' });
      return sendFile(request, reply, file, recorder.fastSourceDir(sourceId));
    },
  );

  app.get<{ Params: { id: string } }>('/review/jobs/:id/file', async (request, reply) => {
    const id = positiveId(request.params.id);
    const jobSource = () => (id === null ? null : recorder.job(id)?.sourceId);
    if (refused(request, reply, 'GET /review/jobs/:id/file', jobSource)) return reply;
    const file = id === null ? null : recorder.jobFile(id);
    if (file === null)
      return reply.code(404).send({ code: 'not_found', message: 'No finished file.' });
    return sendFile(request, reply, file, options.reviewDir);
  });
}
