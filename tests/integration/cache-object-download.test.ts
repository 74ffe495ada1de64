// object-download against a small S3-speaking HTTP server on loopback that can serve bytes which
// do not match their ETag (bit rot on the server, a damaged partial) and can hold a response
// half-way: the MD5 check (computed on the hashing thread) must reject every mismatch with
// nothing left under the final name, and a failure of the hashing thread must keep the partial
// so the next attempt resumes.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  VerificationError,
  downloadObject,
  type DownloadRequest,
} from '../../src-main/core/cache/object-download';
import { hashWorkerThreadId, stopHashWorker } from '../../src-main/core/cache/worker-hash';
import { makeTempDir } from '../helpers/temp-dir';

const BUCKET = 'media';
const KEY = 'news/evening.mxf';
const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');

type Served = { body: Buffer; etag: string; holdAfter?: number };

/** GET/HEAD of one object, path-style, with `Range: bytes=N-` and `If-Match`. */
async function startObjectServer() {
  let served: Served = { body: Buffer.alloc(0), etag: md5(Buffer.alloc(0)) };
  const ranges: (string | null)[] = [];
  let release: (() => void) | null = null;
  let held: Promise<void> | null = null;
  const server: Server = createServer((req, res) => {
    const { body, etag, holdAfter } = served;
    if (req.url?.split('?')[0] !== `/${BUCKET}/${encodeURI(KEY)}`) {
      res.writeHead(404).end();
      return;
    }
    if (req.headers['if-match'] && req.headers['if-match'] !== `"${etag}"`) {
      res.writeHead(412).end();
      return;
    }
    const range = typeof req.headers.range === 'string' ? req.headers.range : null;
    if (req.method === 'GET') ranges.push(range);
    const from = range ? Number(/^bytes=(\d+)-$/.exec(range)![1]) : 0;
    const part = body.subarray(from);
    res.writeHead(range ? 206 : 200, {
      ETag: `"${etag}"`,
      'Content-Length': part.length,
      'Content-Type': 'application/octet-stream',
      ...(range ? { 'Content-Range': `bytes ${from}-${body.length - 1}/${body.length}` } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (holdAfter === undefined) {
      res.end(part);
      return;
    }
    res.write(part.subarray(0, holdAfter));
    held = new Promise<void>((resolve) => {
      release = resolve;
    });
    void held.then(() => res.end(part.subarray(holdAfter)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
  return {
    client,
    ranges,
    serve(next: Served) {
      served = next;
    },
    release() {
      release?.();
    },
    async stop() {
      release?.();
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let server: Awaited<ReturnType<typeof startObjectServer>>;
let temp: ReturnType<typeof makeTempDir>;
let finalPath: string;
let partial: string;

beforeEach(async () => {
  server = await startObjectServer();
  temp = makeTempDir('airdeck-object-download-');
  finalPath = join(temp.path, 'cache', '1', 'ab', 'object.mxf');
  partial = `${finalPath}.partial`;
});

afterEach(async () => {
  await server.stop();
  temp.remove();
});

function request(body: Buffer, etag: string, extra: Partial<DownloadRequest> = {}) {
  return {
    client: server.client,
    bucket: BUCKET,
    key: KEY,
    finalPath,
    expected: { etag, size: body.length },
    ...extra,
  } satisfies DownloadRequest;
}

describe('content verification', () => {
  it('refuses bytes whose MD5 does not match the ETag, leaving no file at all', async () => {
    const body = randomBytes(3 * 1024 * 1024 + 5);
    const etag = md5(randomBytes(body.length)); // what the server claims: another content
    server.serve({ body, etag });
    const failed = downloadObject(request(body, etag));
    await expect(failed).rejects.toBeInstanceOf(VerificationError);
    await expect(failed).rejects.toThrow(`content MD5 ${md5(body)} does not match ETag ${etag}`);
    expect(existsSync(finalPath)).toBe(false);
    expect(existsSync(partial)).toBe(false);
    // It was the hashing thread that checked.
    expect(hashWorkerThreadId()).not.toBeNull();
  });

  it('verifies a resumed download over the bytes already in the partial', async () => {
    const body = randomBytes(2 * 1024 * 1024 + 77);
    const etag = md5(body);
    server.serve({ body, etag });
    const kept = 700 * 1024 + 3;
    mkdirSync(join(finalPath, '..'), { recursive: true });
    writeFileSync(partial, body.subarray(0, kept));

    const states: string[] = [];
    const result = await downloadObject(
      request(body, etag, {
        onProgress: (received) => states.push(`p${received}`),
        onVerifying: () => states.push('verifying'),
      }),
    );
    expect(result).toEqual({ etag, size: body.length, resumedFrom: kept });
    expect(server.ranges).toEqual([`bytes=${kept}-`]);
    expect(readFileSync(finalPath).equals(body)).toBe(true);
    expect(existsSync(partial)).toBe(false);
    expect(states.at(-2)).toBe(`p${body.length}`);
    expect(states.at(-1)).toBe('verifying');
  });

  it('finishes a partial that already holds every byte without asking the server', async () => {
    const body = randomBytes(1024 * 1024 + 1);
    const etag = md5(body);
    server.serve({ body, etag });
    mkdirSync(join(finalPath, '..'), { recursive: true });
    writeFileSync(partial, body);
    const result = await downloadObject(request(body, etag));
    expect(result.resumedFrom).toBe(body.length);
    expect(server.ranges).toEqual([]);
    expect(readFileSync(finalPath).equals(body)).toBe(true);
  });

  it('catches a damaged partial on resume, removes it, and the next attempt starts over', async () => {
    const body = randomBytes(2 * 1024 * 1024 + 9);
    const etag = md5(body);
    server.serve({ body, etag });
    mkdirSync(join(finalPath, '..'), { recursive: true });
    const damaged = Buffer.from(body.subarray(0, 1024 * 1024));
    damaged[4242] = damaged[4242]! ^ 0xff;
    writeFileSync(partial, damaged);

    await expect(downloadObject(request(body, etag))).rejects.toThrow(/content MD5/);
    expect(existsSync(finalPath)).toBe(false);
    expect(existsSync(partial)).toBe(false);

    const result = await downloadObject(request(body, etag));
    expect(result.resumedFrom).toBe(0);
    expect(readFileSync(finalPath).equals(body)).toBe(true);
  });

  it('checks only the size of a multipart object (its ETag is not an MD5)', async () => {
    const body = randomBytes(300_000);
    const etag = `${md5(randomBytes(16))}-3`;
    server.serve({ body, etag });
    await downloadObject(request(body, etag));
    expect(readFileSync(finalPath).equals(body)).toBe(true);
  });

  it('with the MD5 check off (the cache default), checks size and version only', async () => {
    const body = randomBytes(400_000);
    // The same claim as the refused download above: with the check off it is not hashed.
    const etag = md5(randomBytes(body.length));
    server.serve({ body, etag });
    await downloadObject(request(body, etag, { checkContentMd5: false }));
    expect(readFileSync(finalPath).equals(body)).toBe(true);
    // A shorter body is still refused: the size is always checked.
    rmSync(finalPath);
    server.serve({ body: body.subarray(0, 1000), etag });
    await expect(
      downloadObject(request(body, etag, { checkContentMd5: false })),
    ).rejects.toBeInstanceOf(Error);
    expect(existsSync(finalPath)).toBe(false);
  });
});

describe('hashing thread failure', () => {
  it('fails the download clearly and keeps the partial, which the next attempt resumes', async () => {
    const body = randomBytes(4 * 1024 * 1024 + 11);
    const etag = md5(body);
    const holdAfter = 1536 * 1024;
    server.serve({ body, etag, holdAfter });
    let reachedHold: () => void = () => undefined;
    const atHold = new Promise<void>((resolve) => {
      reachedHold = resolve;
    });
    const running = downloadObject(
      request(body, etag, {
        onProgress: (received) => {
          if (received === holdAfter) reachedHold();
        },
      }),
    );
    const outcome = running.catch((error: Error) => error);
    await atHold;
    await stopHashWorker();
    server.release();
    const error = await outcome;
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toMatch(/hashing thread/);
    expect(existsSync(finalPath)).toBe(false);
    const kept = statSync(partial).size;
    expect(kept).toBeGreaterThanOrEqual(holdAfter);

    server.serve({ body, etag });
    server.ranges.length = 0;
    const result = await downloadObject(request(body, etag));
    expect(result.resumedFrom).toBe(kept);
    expect(server.ranges).toEqual(kept < body.length ? [`bytes=${kept}-`] : []);
    expect(readFileSync(finalPath).equals(body)).toBe(true);
  });
});

describe('bundled build', () => {
  it('hashes on the worker thread from a CommonJS bundle like dist/main', async () => {
    // Bundled inside the checkout, the way scripts/build.mjs bundles the core (cjs, node20).
    const cache = join(import.meta.dirname, '..', '..', 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, 'airdeck-test-'));
    try {
      const entry = join(dir, 'entry.ts');
      const source = join(import.meta.dirname, '..', '..', 'src-main', 'core', 'cache');
      writeFileSync(
        entry,
        `import { threadId } from 'node:worker_threads';
import { createWorkerHash, hashWorkerThreadId } from ${JSON.stringify(join(source, 'worker-hash'))};
const hash = createWorkerHash('md5');
void hash.update(Buffer.alloc(3 * 1024 * 1024 + 1, 7));
hash.digest().then((hex) => {
  process.stdout.write(JSON.stringify({ hex, worker: hashWorkerThreadId(), main: threadId }));
});
`,
      );
      const outfile = join(dir, 'entry.cjs');
      await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        packages: 'external',
        logLevel: 'warning',
      });
      // The child must also exit by itself: the idle thread may not keep it alive.
      const out = JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8' })) as {
        hex: string;
        worker: number | null;
        main: number;
      };
      expect(out.hex).toBe(md5(Buffer.alloc(3 * 1024 * 1024 + 1, 7)));
      expect(out.worker).not.toBeNull();
      expect(out.worker).not.toBe(out.main);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
