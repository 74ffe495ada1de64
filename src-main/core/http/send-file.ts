// Serving one file from inside a folder, with byte ranges: the media routes and the recording
// routes answer players the same way from here.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type Range = { start: number; end: number } | 'unsatisfiable' | null;

export function parseRange(header: string | undefined, size: number): Range {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Multi-range and other units are served whole, which RFC 9110 allows.
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/**
 * Sends `file` if, after resolving links, it is a regular file inside `root`; 404 otherwise.
 * Range requests get 206 or 416, as players (hls.js, Safari) expect.
 */
export async function sendContainedFile(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { root: string; file: string; contentType: string; cacheControl: string },
): Promise<FastifyReply> {
  const notFound = () => reply.code(404).send({ code: 'not_found', message: 'No such file.' });
  let real: string;
  let size: number;
  try {
    const realRoot = await realpath(options.root);
    real = await realpath(options.file);
    if (!real.startsWith(realRoot + sep)) return notFound();
    const info = await stat(real);
    if (!info.isFile()) return notFound();
    size = info.size;
  } catch {
    return notFound();
  }
  reply
    .header('content-type', options.contentType)
    .header('accept-ranges', 'bytes')
    .header('cache-control', options.cacheControl);
  const range = parseRange(request.headers.range, size);
  if (range === 'unsatisfiable')
    return reply.code(416).header('content-range', `bytes */${size}`).send();
  if (range) {
    reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
      .header('content-length', range.end - range.start + 1);
    return reply.send(createReadStream(real, { start: range.start, end: range.end }));
  }
  reply.header('content-length', size);
  return reply.send(createReadStream(real));
}
