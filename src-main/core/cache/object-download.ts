// Downloads one S3 object to its final path atomically: bytes go to `<final>.partial`, resumed
// with a Range GET from the partial's length after a crash, then size and ETag (MD5 for
// single-part uploads) are checked and the partial is renamed into place. A reader therefore
// sees either no file or the whole verified file, never half of one. The MD5 is computed on a
// worker thread (worker-hash) while the bytes arrive: it stays off the event loop, and overlaps
// the transfer when a second core has room.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PARTIAL_SUFFIX, etagIsContentMd5, normalizeEtag } from '../storage/object-ref';
import { createWorkerHash, type WorkerHash } from './worker-hash';

export type ObjectIdentity = { etag: string; size: number };

export type DownloadRequest = {
  client: S3Client;
  bucket: string;
  key: string;
  /** Absolute path of the verified file. */
  finalPath: string;
  /** Known from a listing: skips the HEAD. The download fails if the object no longer matches. */
  expected?: ObjectIdentity;
  signal?: AbortSignal;
  onProgress?: (receivedBytes: number, totalBytes: number) => void;
  /** All bytes are in; size and checksum are being checked. */
  onVerifying?: () => void;
  /** Hash the bytes and compare with a single-part object's MD5 ETag (size and ETag always). */
  checkContentMd5?: boolean;
};

export type DownloadResult = ObjectIdentity & {
  /** Bytes that were already in the partial when this run started (0 for a fresh download). */
  resumedFrom: number;
};

export class ObjectChangedError extends Error {
  constructor(key: string, expected: string, found: string | null) {
    super(`${key} changed on the server during the download (ETag ${expected} → ${found ?? '?'})`);
    this.name = 'ObjectChangedError';
  }
}

export class VerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerificationError';
  }
}

const HASH_READ_CHUNK = 1 << 20;
const WRITE_BEHIND_BYTES = 8 << 20;

/** The object's current version (ETag) and size. */
export async function headObjectIdentity(
  client: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<ObjectIdentity> {
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), {
    abortSignal: signal,
  });
  const etag = normalizeEtag(head.ETag);
  if (!etag || head.ContentLength === undefined)
    throw new Error(`${key}: the server sent no ETag or length`);
  return { etag, size: head.ContentLength };
}

async function partialLength(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/** Feeds the bytes already in the partial to the hash, so a resumed download is verified whole. */
async function hashExisting(path: string, length: number, hash: WorkerHash): Promise<void> {
  if (length === 0) return;
  const stream = createReadStream(path, {
    start: 0,
    end: length - 1,
    highWaterMark: HASH_READ_CHUNK,
  });
  for await (const chunk of stream) await hash.update(chunk as Buffer);
}

function isPreconditionFailure(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 412 || (error as { name?: string }).name === 'PreconditionFailed';
}

/** The partial's content MD5 in hex, or null when the ETag is not one (multipart uploads). */
async function fetchInto(
  request: DownloadRequest,
  identity: ObjectIdentity,
  partial: string,
  from: number,
): Promise<string | null> {
  const hash =
    request.checkContentMd5 !== false && etagIsContentMd5(identity.etag)
      ? createWorkerHash('md5')
      : null;
  try {
    if (hash) await hashExisting(partial, from, hash);
    return await transferInto(request, identity, partial, from, hash);
  } finally {
    hash?.dispose();
  }
}

async function transferInto(
  request: DownloadRequest,
  identity: ObjectIdentity,
  partial: string,
  from: number,
  hash: WorkerHash | null,
): Promise<string | null> {
  if (from === identity.size) {
    // Complete already (stopped between the last byte and the rename), or an empty object.
    const flusher = await createWriteBehind(partial);
    request.onVerifying?.();
    try {
      const [, md5] = await Promise.all([flusher.finish(), hash?.digest() ?? null]);
      return md5;
    } finally {
      await flusher.close();
    }
  }

  let response;
  try {
    response = await request.client.send(
      new GetObjectCommand({
        Bucket: request.bucket,
        Key: request.key,
        // If-Match makes a server that honours it refuse a changed object; the ETag check below
        // catches servers that ignore it.
        IfMatch: `"${identity.etag}"`,
        ...(from > 0 ? { Range: `bytes=${from}-` } : {}),
      }),
      { abortSignal: request.signal },
    );
  } catch (error) {
    if (isPreconditionFailure(error))
      throw new ObjectChangedError(request.key, identity.etag, null);
    throw error;
  }
  const body = response.Body as Readable | undefined;
  if (!body) throw new Error(`${request.key}: the server sent no body`);
  const found = normalizeEtag(response.ETag);
  if (found !== identity.etag) {
    body.destroy();
    throw new ObjectChangedError(request.key, identity.etag, found);
  }
  if (from > 0 && !response.ContentRange?.startsWith(`bytes ${from}-`)) {
    // A server that ignores Range sends the whole object: start the partial again.
    body.destroy();
    throw new VerificationError(`${request.key}: the server did not honour the byte range`);
  }

  let received = from;
  const out = createWriteStream(partial, { flags: from > 0 ? 'a' : 'w' });
  const flusher = await createWriteBehind(partial);
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      request.onProgress?.(received, identity.size);
      flusher.wrote(chunk.length);
      const behind = hash?.update(chunk);
      if (behind) behind.then(() => done(null, chunk), done);
      else done(null, chunk);
    },
  });
  try {
    await pipeline(body, count, out, { signal: request.signal });
    request.onVerifying?.();
    // Durable before visible: after a power cut the final name never holds unflushed bytes.
    // The hashing thread finishes its last MiBs meanwhile.
    const [, md5] = await Promise.all([flusher.finish(), hash?.digest() ?? null]);
    return md5;
  } finally {
    await flusher.close();
  }
}

/**
 * fdatasync in the background every few MiB while the download runs (the thread pool does it),
 * so the flush that must precede the rename finds little left to write instead of the whole
 * file: the durability costs almost no download time.
 */
async function createWriteBehind(path: string) {
  const handle = await open(path, 'a');
  let pending = 0;
  let inFlight: Promise<void> | null = null;
  const flush = () => {
    inFlight ??= handle.datasync().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
  return {
    wrote(bytes: number): void {
      pending += bytes;
      if (pending >= WRITE_BEHIND_BYTES && !inFlight) {
        pending = 0;
        flush().catch(() => undefined); // the final flush reports errors
      }
    },
    async finish(): Promise<void> {
      if (inFlight) await inFlight.catch(() => undefined);
      await flush();
    },
    async close(): Promise<void> {
      if (inFlight) await inFlight.catch(() => undefined);
      await handle.close();
    },
  };
}

export async function downloadObject(request: DownloadRequest): Promise<DownloadResult> {
  const partial = request.finalPath + PARTIAL_SUFFIX;
  await mkdir(dirname(request.finalPath), { recursive: true });
  const identity =
    request.expected ??
    (await headObjectIdentity(request.client, request.bucket, request.key, request.signal));

  let from = await partialLength(partial);
  // A partial longer than the object belongs to another version of it.
  if (from > identity.size) {
    await truncate(partial, 0);
    from = 0;
  }
  const resumedFrom = from;
  let md5: string | null;
  try {
    md5 = await fetchInto(request, identity, partial, from);
  } catch (error) {
    if (error instanceof ObjectChangedError || error instanceof VerificationError) {
      // What is in the partial belongs to another version: it can never be finished.
      await rm(partial, { force: true });
    }
    throw error;
  }

  const size = await partialLength(partial);
  if (size !== identity.size) {
    await rm(partial, { force: true });
    throw new VerificationError(
      `${request.key}: got ${size} bytes, the object has ${identity.size}`,
    );
  }
  if (md5 !== null && md5 !== identity.etag.toLowerCase()) {
    await rm(partial, { force: true });
    throw new VerificationError(
      `${request.key}: content MD5 ${md5} does not match ETag ${identity.etag}`,
    );
  }
  await rename(partial, request.finalPath);
  return { ...identity, resumedFrom };
}
