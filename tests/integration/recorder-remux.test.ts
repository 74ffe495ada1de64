// A non-HLS source recorded for real: an MPEG-TS stream over UDP (ffmpeg encoding in real time)
// is stream-copied into segments, indexed with air times, and an outage of the sender becomes
// one gap after which recording carries on by itself. URLs that would read the server's own
// disk are refused.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../src-main/core/ffmpeg/index';
import { startServedCore, waitFor, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';
import { testPatternArgs } from '../helpers/test-pattern';

const binaries = resolveFfmpeg();
const dir = makeTempDir();
let served: ServedCore;
let port: number;
let sender: ChildProcess | null = null;

function freeUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** Encodes a test pattern in real time to the UDP port and, packet for packet, to `file`. */
function startSender(file: string): ChildProcess {
  return spawn(
    binaries.ffmpeg.path,
    [
      ...testPatternArgs({ realtime: true, gopFrames: 25 }),
      ...['-map', '0:v', '-map', '1:a'],
      ...['-f', 'tee', `[f=mpegts]udp://127.0.0.1:${port}?pkt_size=1316|[f=mpegts]${file}`],
    ],
    { stdio: 'ignore' },
  );
}

async function stopSender() {
  const child = sender;
  sender = null;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
}

/** MD5 of each video packet's payload, in order. */
function videoPacketHashes(file: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    execFile(
      binaries.ffprobe.path,
      [
        ...['-v', 'error', '-select_streams', 'v:0', '-show_data_hash', 'MD5'],
        ...['-show_entries', 'packet=data_hash', '-of', 'json', file],
      ],
      { maxBuffer: 64 << 20 },
      (error, stdout) =>
        error
          ? reject(error)
          : resolve(
              (JSON.parse(stdout) as { packets: { data_hash: string }[] }).packets.map(
                (p) => p.data_hash,
              ),
            ),
    ),
  );
}

beforeAll(async () => {
  port = await freeUdpPort();
  served = await startServedCore(dir.path);
}, 60_000);
afterAll(async () => {
  await stopSender();
  await served?.close();
  dir.remove();
});

const sourceRow = async (id: number) =>
  (await served.call('recorderSourcesList', {})).sources.find((s) => s.id === id)!;

it('refuses source URLs that would make the server read its own disk or other protocols', async () => {
  for (const url of [
    'file:///etc/passwd',
    'concat:/etc/passwd|/etc/hosts',
    'subfile,,start,0,end,0,,:/etc/passwd',
    'udp://user:secret@127.0.0.1:1234',
    'gopher://127.0.0.1/',
  ]) {
    const result = await served.core.dispatch('recorderSourceAdd', { name: 'Bad', url });
    expect(result.ok, url).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_request');
  }
});

it('records a UDP MPEG-TS stream by stream copy, and one outage becomes one gap', async () => {
  const sentFile = join(dir.path, 'sent-1.ts');
  const startedAt = Date.now();
  sender = startSender(sentFile);
  const { id } = await served.call('recorderSourceAdd', {
    name: 'Contribution feed',
    url: `udp://127.0.0.1:${port}`,
  });
  const first = await waitFor('four segments', async () => {
    const s = await sourceRow(id);
    return s.segments >= 4 && s;
  });
  expect(first.state).toBe('recording');
  // Dated by when it arrived: within a few seconds of when the sender began.
  expect(Math.abs(first.firstAt! - startedAt)).toBeLessThan(5000);

  // Stream copy: the recorded video packets are the sent ones, unchanged and in order.
  const rows = served.core.context.db
    .prepare<[number], { file: string }>(
      'SELECT file FROM recording_segments WHERE source_id = ? ORDER BY start_at',
    )
    .all(id);
  const recorded: string[] = [];
  for (const row of rows)
    recorded.push(
      ...(await videoPacketHashes(join(served.core.context.dataDir, 'recordings', row.file))),
    );
  await stopSender();
  const sent = await videoPacketHashes(sentFile);
  expect(recorded.length).toBeGreaterThan(50);
  const at = sent.indexOf(recorded[0]!);
  expect(at).toBeGreaterThanOrEqual(0);
  const slice = sent.slice(at, at + recorded.length);
  expect(slice).toEqual(recorded);

  // The sender stops; the recorder notices, then the sender comes back.
  await waitFor(
    'the outage to be noticed',
    async () => (await sourceRow(id)).state === 'retrying',
    30_000,
  );
  const before = await sourceRow(id);
  sender = startSender(join(dir.path, 'sent-2.ts'));
  const after = await waitFor(
    'recording again',
    async () => {
      const s = await sourceRow(id);
      return s.state === 'recording' && s.segments >= before.segments + 3 && s;
    },
    60_000,
  );
  const coverage = await served.call('recordingCoverage', {
    sourceId: id,
    fromAt: after.firstAt!,
    toAt: after.lastAt!,
  });
  expect(coverage.gaps).toHaveLength(1);
  expect(coverage.gaps[0]!.toAt).not.toBeNull();
  expect(coverage.gaps[0]!.fromAt).toBeGreaterThanOrEqual(before.lastAt! - 1);
  expect(coverage.spans).toHaveLength(2);
  await stopSender();
}, 120_000);
