// A download killed with SIGKILL leaves no file at its final name, and the next run resumes it
// with a byte range instead of starting again; the result is verified against the ETag.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/create-core';
import { silentLogger } from '../../src-main/core/logger';
import { cacheFileFor } from '../../src-main/core/storage/object-ref';
import { startTestS3, type TestS3 } from '../helpers/s3-server';
import { makeTempDir } from '../helpers/temp-dir';

const KEY = 'big/programme.mxf';
const SIZE = 6 * 1024 * 1024 + 123;

let s3: TestS3;
let temp: ReturnType<typeof makeTempDir>;
let bundleDir: string;
let childScript: string;

beforeAll(async () => {
  s3 = await startTestS3();
  temp = makeTempDir('airdeck-resume-');
  // Bundled inside the checkout so the child resolves better-sqlite3 and the SDK from node_modules.
  const cache = join(import.meta.dirname, '..', '..', 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  bundleDir = mkdtempSync(join(cache, 'airdeck-test-'));
  childScript = join(bundleDir, 'cache-download-child.cjs');
  await build({
    entryPoints: [join(import.meta.dirname, '..', 'helpers', 'cache-download-child.ts')],
    outfile: childScript,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  });
});

afterAll(async () => {
  await s3.stop();
  temp.remove();
  rmSync(bundleDir, { recursive: true, force: true });
});

type Line = { progress?: number; state?: string; done?: string; etag?: string };

function runChild(locationId: number): {
  child: ChildProcess;
  lines: AsyncIterator<Line>;
  exited: Promise<unknown>;
} {
  const child = spawn(process.execPath, [childScript, temp.path, String(locationId), KEY], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const reader = createInterface({ input: child.stdout! });
  const lines = (async function* () {
    for await (const line of reader) {
      if (line.startsWith('{')) yield JSON.parse(line) as Line;
    }
  })();
  return { child, lines, exited };
}

it('resumes a download killed with SIGKILL, with no partial file visible at the final name', async () => {
  const body = randomBytes(SIZE);
  const etag = await s3.put(KEY, body);
  const setup = await createCore({
    dataDir: temp.path,
    mode: 'headless',
    version: 'test',
    logger: silentLogger,
  });
  const added = await setup.dispatch('storageLocationsAdd', {
    name: 'Archive',
    endpoint: s3.endpoint,
    bucket: s3.bucket,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  });
  await setup.close();
  if (!added.ok) throw new Error(added.error.message);
  const locationId = (added.result as { id: number }).id;
  const finalPath = join(temp.path, 'cache', cacheFileFor(locationId, KEY, etag));

  // First run: slow server, killed once a third has arrived.
  s3.setThrottle(1024 * 1024);
  const first = runChild(locationId);
  for (;;) {
    const { value, done } = await first.lines.next();
    if (done) throw new Error('the first download ended before it could be killed');
    if ((value.progress ?? 0) >= SIZE / 3) break;
  }
  first.child.kill('SIGKILL');
  await first.exited;
  expect(first.child.signalCode).toBe('SIGKILL');

  expect(existsSync(finalPath)).toBe(false);
  const kept = statSync(`${finalPath}.partial`).size;
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThan(SIZE);
  expect(s3.fullGets(KEY)).toBe(1);

  // Second run: full speed; it must ask only for the rest.
  s3.setThrottle(null);
  const second = runChild(locationId);
  let result: Line | undefined;
  for (;;) {
    const { value, done } = await second.lines.next();
    if (done) break;
    if (value.done) result = value;
  }
  await second.exited;
  expect(second.child.exitCode).toBe(0);
  expect(result?.done).toBe(finalPath);
  expect(result?.etag).toBe(etag);

  expect(s3.fullGets(KEY)).toBe(1);
  expect(s3.rangedGets(KEY).map((r) => r.range)).toEqual([`bytes=${kept}-`]);
  expect(existsSync(`${finalPath}.partial`)).toBe(false);
  const landed = readFileSync(finalPath);
  expect(landed.length).toBe(SIZE);
  expect(createHash('md5').update(landed).digest('hex')).toBe(etag);
});
