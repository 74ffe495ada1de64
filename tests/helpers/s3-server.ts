// A real S3 protocol server (s3rver, in a child process) on a free loopback port, behind a tiny
// HTTP proxy that
// records every request (method, path, Range header) and can slow responses down, so tests can
// count full GETs and see resumed downloads the way the server sees them.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export type RecordedRequest = { method: string; path: string; range: string | null };

export type TestS3 = {
  /** The proxy's address: what Airdeck is configured with. */
  endpoint: string;
  /** s3rver itself, bypassing the recording proxy (benchmarks). */
  directEndpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  requests: RecordedRequest[];
  /** Bytes per second for response bodies, or null for full speed. */
  setThrottle(bytesPerSecond: number | null): void;
  put(key: string, body: Buffer): Promise<string>;
  remove(key: string): Promise<void>;
  /** Full (un-ranged) GETs of one key seen so far. */
  fullGets(key: string): number;
  rangedGets(key: string): RecordedRequest[];
  client: S3Client;
  stop(): Promise<void>;
};

// s3rver runs in its own process because it encrypts ListObjectsV2 continuation tokens with DES,
// which Node 17+ only has behind --openssl-legacy-provider; the test process stays clean. The
// child prints its port and stops by itself when the parent goes away (stdin closes). Inline
// (`-e`) so bundled benchmarks find it too; `s3rver` resolves from the working directory.
const S3RVER_CHILD = `
const S3rver = require('s3rver');
const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: process.argv[1] });
server.run().then(
  (address) => process.stdout.write(JSON.stringify({ port: address.port }) + '\\n'),
  (error) => { process.stderr.write(String(error && error.stack || error) + '\\n'); process.exit(1); },
);
process.stdin.on('end', () => server.close().finally(() => process.exit(0)));
process.stdin.resume();
`;

const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export async function startTestS3(bucket = 'airdeck-media'): Promise<TestS3> {
  const dir = mkdtempSync(join(tmpdir(), 'airdeck-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', S3RVER_CHILD, dir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const upstreamPort = (JSON.parse(line) as { port: number }).port;

  const requests: RecordedRequest[] = [];
  let throttle: number | null = null;
  const proxy = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const range = typeof req.headers.range === 'string' ? req.headers.range : null;
    requests.push({ method: req.method ?? 'GET', path, range });
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: upstreamPort,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        const rate = throttle;
        if (rate === null) {
          up.pipe(res);
          return;
        }
        // Slow: at most `rate` bytes per second, in 64 KiB steps.
        up.on('data', (chunk: Buffer) => {
          up.pause();
          res.write(chunk, () => {
            setTimeout(() => up.resume(), Math.ceil((chunk.length / rate) * 1000));
          });
        });
        up.on('end', () => res.end());
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  const port = await listen(proxy);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${upstreamPort}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));

  const objectPath = (key: string) => `/${bucket}/${key}`;
  const getsOf = (key: string) =>
    requests.filter((r) => r.method === 'GET' && r.path === objectPath(key));

  return {
    endpoint,
    directEndpoint: `http://127.0.0.1:${upstreamPort}`,
    bucket,
    accessKeyId: ACCESS_KEY,
    secretAccessKey: SECRET_KEY,
    requests,
    client,
    setThrottle(bytesPerSecond) {
      throttle = bytesPerSecond;
    },
    async put(key, body) {
      const out = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      return (out.ETag ?? '').replace(/"/g, '');
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    fullGets: (key) => getsOf(key).filter((r) => r.range === null).length,
    rangedGets: (key) => getsOf(key).filter((r) => r.range !== null),
    async stop() {
      client.destroy();
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      child.stdin!.end();
      if (child.exitCode === null) await once(child, 'exit');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
