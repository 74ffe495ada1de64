// The recorder survives a hard kill: `serve` records a live source, is SIGKILLed mid-stream and
// started again on the same data folder. The recording resumes from the last indexed segment,
// the outage is exactly one gap row (reason "restart"), and nothing half-written stays behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RecordedSource, RecordingGap } from '../../src-shared/contract';
import { startLiveHlsSource, type LiveHlsSource } from '../helpers/live-hls-source';
import { waitFor } from '../helpers/served-core';
import { signedInWs, TEST_ADMIN } from '../helpers/sign-in';
import { makeTempDir } from '../helpers/temp-dir';
import type { TestWsClient } from '../helpers/ws-client';

const CLI = 'dist/main/cli.cjs';
const READY = /^Airdeck ready at (http:\/\/127\.0\.0\.1:\d+\/)$/;

const dir = makeTempDir();
const children: ChildProcess[] = [];
let source: LiveHlsSource;

function startServe(): Promise<{ child: ChildProcess; url: string }> {
  const passwordFile = join(dir.path, 'admin-password');
  writeFileSync(passwordFile, `${TEST_ADMIN.password}\n`, { mode: 0o600 });
  const child = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--port',
      '0',
      '--data',
      join(dir.path, 'data'),
      '--admin-password-file',
      passwordFile,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = READY.exec(line);
      if (match) resolve({ child, url: match[1]! });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

async function call<T>(client: TestWsClient, method: string, params: unknown): Promise<T> {
  const answer = await client.call(method, params);
  if (!answer.ok) throw new Error(`${method}: ${answer.error.message}`);
  return answer.result as T;
}

const listed = async (client: TestWsClient) =>
  (await call<{ sources: RecordedSource[] }>(client, 'recorderSourcesList', {})).sources[0]!;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  source = await startLiveHlsSource(dir.path);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await source?.stop();
  dir.remove();
});

it('loses at most the segment in flight on SIGKILL and marks exactly one gap', async () => {
  const first = await startServe();
  let client = await signedInWs(first.url);
  await call(client, 'recorderSourceAdd', { name: 'Outside', url: source.url('live') });
  const before = await waitFor('four segments', async () => {
    const s = await listed(client);
    return s.segments >= 4 && s;
  });
  client.close();
  const exited = new Promise((r) => first.child.once('exit', r));
  const killedAt = Date.now();
  first.child.kill('SIGKILL');
  await exited;
  // Longer than the source's window (4 × 1 s): segments are missed for real.
  await new Promise((r) => setTimeout(r, 6000));

  const second = await startServe();
  const awayMs = Date.now() - killedAt;
  client = await signedInWs(second.url);
  const after = await waitFor('recording again', async () => {
    const s = await listed(client);
    return s.segments >= before.segments + 4 && s.state === 'recording' && s;
  });
  const coverage = await call<{ spans: unknown[]; gaps: RecordingGap[] }>(
    client,
    'recordingCoverage',
    {
      sourceId: after.id,
      fromAt: after.firstAt,
      toAt: after.lastAt,
    },
  );
  client.close();
  expect(coverage.gaps).toHaveLength(1);
  expect(coverage.gaps[0]).toMatchObject({ reason: 'restart' });
  const gap = coverage.gaps[0]!;
  expect(gap.toAt).not.toBeNull();
  // The gap starts where the recording before the kill ended (at most the segment in flight
  // after it was lost) and covers what the source dropped from its 4-segment window while serve
  // was away: at least the outage less that window and one segment in flight, at most the outage
  // and one segment. (Wall-clock bounds, since how long serve takes to start varies with load.)
  expect(gap.fromAt).toBeGreaterThanOrEqual(before.lastAt! - 1);
  expect(gap.toAt! - gap.fromAt).toBeGreaterThanOrEqual(awayMs - 4000 - 1000 - 1000);
  expect(gap.toAt! - gap.fromAt).toBeLessThanOrEqual(awayMs + 1000);
  expect(coverage.spans).toHaveLength(2);

  // No temporary or unindexed file survived the restart's sweep.
  const root = join(dir.path, 'data', 'recordings', String(after.id));
  const leftovers = readdirSync(root, { recursive: true })
    .map(String)
    .filter((n) => n.includes('.part-'));
  expect(leftovers).toEqual([]);
  console.log(
    JSON.stringify({
      segmentsBefore: before.segments,
      segmentsAfter: after.segments,
      gapMs: gap.toAt! - gap.fromAt,
      awayMs,
    }),
  );
});
