import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../create-core';
import { AppError } from '../errors';
import { assetNameFromFile, cleanName } from '../library/names';
import { routePermissions } from '../../../src-shared/contract/permissions';
import { refuseUnlessAllowed } from './session-auth';

/** Uploads are streamed to disk, never held in memory; this only bounds a runaway client. */
const MAX_UPLOAD_BYTES = 50 * 1024 ** 3;

/**
 * The file name a browser sends is only a label: the last path component, cleaned, never a
 * dot name, so it cannot point anywhere but inside its own fresh folder.
 */
export function safeUploadFileName(given: string): string {
  const last = given.split(/[/\\]/).filter(Boolean).at(-1) ?? '';
  const cleaned = cleanName(last).replace(/^\.+/, '');
  const name = cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : 'upload';
  // Keep the extension if the name must be shortened (ext4 allows 255 bytes).
  return Buffer.byteLength(name) > 200
    ? `${randomUUID()}${/\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? ''}`
    : name;
}

function describeWriteError(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ENOSPC') return 'The server disk is full; the upload was discarded.';
  if (code === 'EDQUOT') return 'The disk quota is exceeded; the upload was discarded.';
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE')
    return 'The upload was interrupted.';
  return 'The upload could not be stored.';
}

/**
 * `PUT /api/library/upload?folderId=N&name=FILE` with the file as the raw body: streamed to
 * `<dataDir>/uploads/<uuid>/<name>`, then added to the library and queued for ingest. A failed
 * or aborted upload leaves nothing behind.
 */
export async function registerUploadRoutes(app: FastifyInstance, options: { core: Core }) {
  const { core } = options;
  const uploadsDir = join(core.context.dataDir, 'uploads');

  await app.register(async (scope) => {
    // The body is the file: hand the request stream to the handler untouched, whatever its type.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    scope.put(
      '/api/library/upload',
      {
        bodyLimit: MAX_UPLOAD_BYTES,
        // Before the body is read, so a refused client uploads nothing.
        onRequest: async (request, reply) => {
          if (
            refuseUnlessAllowed(
              core.people,
              request,
              reply,
              routePermissions['PUT /api/library/upload'],
            )
          )
            return reply;
        },
      },
      async (request, reply) => {
        const query = request.query as Record<string, unknown>;
        const folderId = Number(query.folderId);
        const givenName = typeof query.name === 'string' ? query.name : '';
        const body = request.body as Readable | undefined;
        const fail = (code: number, errorCode: string, message: string) => {
          // An unread body would otherwise keep the socket busy.
          body?.resume();
          return reply.code(code).send({ code: errorCode, message });
        };
        if (!Number.isInteger(folderId) || folderId < 1)
          return fail(400, 'invalid_request', 'folderId must be a folder id.');
        if (!givenName.trim()) return fail(400, 'invalid_request', 'name is required.');
        try {
          core.library.folder(folderId);
        } catch (error) {
          if (error instanceof AppError) return fail(404, error.code, error.message);
          throw error;
        }
        if (!body) return fail(400, 'invalid_request', 'The request has no body.');

        const dir = join(uploadsDir, randomUUID());
        const fileName = safeUploadFileName(givenName);
        const file = join(dir, fileName);
        try {
          await mkdir(dir, { recursive: true });
          await pipeline(body, createWriteStream(file, { flags: 'wx' }));
          // A client that disconnects mid-body can end the stream without an error.
          if (request.raw.aborted || !request.raw.complete)
            throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
          const info = await stat(file);
          if (info.size === 0) {
            await rm(dir, { recursive: true, force: true });
            return reply
              .code(400)
              .send({ code: 'invalid_request', message: 'The upload is empty.' });
          }
          const asset = core.library.addAsset({
            folderId,
            name: assetNameFromFile(fileName),
            sourceKind: 'upload',
            location: file,
            size: info.size,
            mtimeMs: info.mtimeMs,
          });
          return reply.code(201).send(asset);
        } catch (error) {
          await rm(dir, { recursive: true, force: true });
          core.context.logger.warn(`upload of "${cleanName(givenName)}" failed: ${String(error)}`);
          if (request.raw.aborted || reply.raw.destroyed) return reply;
          const message = describeWriteError(error);
          return reply
            .code(message.includes('disk') ? 507 : 500)
            .send({ code: 'unavailable', message });
        }
      },
    );
  });
}
