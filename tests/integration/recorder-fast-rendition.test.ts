// The review desk's fast-review rendition against a real recording: the same window as the
// original with the same times, segments made on demand (and the next ones ahead), frames where
// the original's keyframes are, the audio untouched, a broken segment refused as data, and
// retention taking the rendition with its segment.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../src-main/core/ffmpeg/index';
import { startLiveHlsSource, type LiveHlsSource } from '../helpers/live-hls-source';
import { startServedCore, waitFor, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';

const binaries = resolveFfmpeg();
const FPS = 8;

function run(binary: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    execFile(binary, args, { encoding: 'buffer', maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${args.join(' ')}: ${stderr.toString()}`)) : resolve(stdout),
    ),
  );
}

type Packet = { pts_time: string; flags: string };
async function packets(file: string, stream: 'v' | 'a'): Promise<Packet[]> {
  const out = await run(binaries.ffprobe.path, [
    '-v',
    'error',
    '-select_streams',
    `${stream}:0`,
    '-show_entries',
    'packet=pts_time,flags',
    '-of',
    'json',
    file,
  ]);
  return (JSON.parse(out.toString()) as { packets: Packet[] }).packets;
}

/** The first frame of a file, decoded to 64×36 grey pixels. */
async function firstFrame(file: string): Promise<Buffer> {
  return run(binaries.ffmpeg.path, [
    '-v',
    'error',
    '-i',
    file,
    '-frames:v',
    '1',
    '-vf',
    'scale=64:36,format=gray',
    '-f',
    'rawvideo',
    '-',
  ]);
}

const mse = (a: Buffer, b: Buffer) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return sum / a.length;
};

const dir = makeTempDir();
let source: LiveHlsSource;
let served: ServedCore;
let cookie: string;
let sourceId: number;

beforeAll(async () => {
  source = await startLiveHlsSource(dir.path);
  served = await startServedCore(dir.path);
  cookie = await served.signIn();
  sourceId = (await served.call('recorderSourceAdd', { name: 'Outside', url: source.url('fast') }))
    .id;
  await waitFor('twelve segments', async () => {
    const [s] = (await served.call('recorderSourcesList', {})).sources;
    return s!.segments >= 12;
  });
  await served.call('recorderSourceUpdate', { id: sourceId, enabled: false });
}, 60_000);
afterAll(async () => {
  await served?.close();
  await source?.stop();
  dir.remove();
});

const http = (path: string, withCookie = true) =>
  fetch(new URL(path, served.server.url), { headers: withCookie ? { cookie } : {} });
const dataDir = () => served.core.context.dataDir;
const segmentRows = () =>
  served.core.context.db
    .prepare<[number], { id: number; file: string; start_at: number; duration_ms: number }>(
      'SELECT id, file, start_at, duration_ms FROM recording_segments WHERE source_id = ? ORDER BY start_at',
    )
    .all(sourceId);
const fastFile = (id: number) => join(dataDir(), 'recordings-fast', String(sourceId), `${id}.ts`);

it('lists the same window with the same times as the original, under fast/', async () => {
  const rows = segmentRows();
  const from = rows[1]!.start_at + 200;
  const to = rows.at(-2)!.start_at + 200;
  const original = await (
    await http(`/recordings/${sourceId}/vod.m3u8?from=${from}&to=${to}`)
  ).text();
  const fast = await http(`/recordings/${sourceId}/fast.m3u8?from=${from}&to=${to}`);
  expect(fast.status).toBe(200);
  expect(fast.headers.get('content-type')).toContain('mpegurl');
  const text = await fast.text();
  expect(text).toContain('#EXT-X-PROGRAM-DATE-TIME:');
  expect(text).toContain('#EXT-X-START:TIME-OFFSET=');
  expect(text.replaceAll(/^fast\//gm, 'seg/')).toBe(original);
  expect(
    (await http(`/recordings/${sourceId}/fast.m3u8?from=${from}&to=${to}`, false)).status,
  ).toBe(401);
});

it('makes a segment on demand: keyframes at their times, a constant low rate, the audio as recorded', async () => {
  const rows = segmentRows();
  const row = rows[2]!;
  const response = await http(`/recordings/${sourceId}/fast/${row.id}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('video/mp2t');
  const body = Buffer.from(await response.arrayBuffer());
  const rendition = join(dir.path, 'rendition.ts');
  writeFileSync(rendition, body);
  const original = join(dataDir(), 'recordings', row.file);

  const frames = (await packets(rendition, 'v')).map((p) => Number(p.pts_time));
  const keyframes = (await packets(original, 'v'))
    .filter((p) => p.flags.startsWith('K'))
    .map((p) => Number(p.pts_time));
  // Constant rate over the whole segment: no hole for the player to close by moving frames.
  const seconds = row.duration_ms / 1000;
  expect(Math.abs(frames.length - FPS * seconds)).toBeLessThanOrEqual(1);
  frames.slice(1).forEach((t, i) => expect(t - frames[i]!).toBeCloseTo(1 / FPS, 3));
  // Its first frame is the original's first keyframe, where it was (within half a frame).
  expect(Math.abs(frames[0]! - keyframes[0]!)).toBeLessThanOrEqual(0.5 / FPS + 0.001);
  const own = await firstFrame(rendition);
  expect(mse(own, await firstFrame(original))).toBeLessThan(
    mse(own, await firstFrame(join(dataDir(), 'recordings', rows[5]!.file))),
  );
  // The audio is copied: the same packets at the same times.
  const audio = async (file: string) => (await packets(file, 'a')).map((p) => p.pts_time);
  expect(await audio(rendition)).toEqual(await audio(original));
  // Kept: the next request is the same file, and the next segments were made ahead.
  expect(existsSync(fastFile(row.id))).toBe(true);
  const again = Buffer.from(
    await (await http(`/recordings/${sourceId}/fast/${row.id}`)).arrayBuffer(),
  );
  expect(createHash('md5').update(again).digest('hex')).toBe(
    createHash('md5').update(body).digest('hex'),
  );
  await waitFor('read-ahead of the next segments', () =>
    rows.slice(3, 6).every((r) => existsSync(fastFile(r.id))),
  );
});

it('refuses a segment that cannot be decoded with a clear answer, and unknown ids', async () => {
  const rows = segmentRows();
  const broken = rows.at(-1)!;
  writeFileSync(join(dataDir(), 'recordings', broken.file), Buffer.alloc(4096, 7));
  const response = await http(`/recordings/${sourceId}/fast/${broken.id}`);
  expect(response.status).toBe(502);
  expect(await response.json()).toMatchObject({
    code: 'unavailable',
    message: expect.stringContaining('could not be decoded'),
  });
  expect(existsSync(fastFile(broken.id))).toBe(false);
  for (const id of ['999999', '0', '..%2F..%2Fairdeck.db', '1e3'])
    expect((await http(`/recordings/${sourceId}/fast/${id}`)).status).toBe(404);
  // The others still come.
  expect((await http(`/recordings/${sourceId}/fast/${rows[0]!.id}`)).status).toBe(200);
});

it('removes a rendition with its segment when retention deletes it', async () => {
  const rows = segmentRows();
  expect(existsSync(fastFile(rows[0]!.id))).toBe(true);
  const kept = rows.at(-3)!;
  served.core.recorder.addHold(sourceId, kept.start_at, kept.start_at + 1, 'note');
  await served.call('recorderSourceUpdate', { id: sourceId, diskCapBytes: 1 });
  await served.core.recorder.enforceRetention();
  expect(segmentRows().map((r) => r.id)).toEqual([kept.id]);
  expect(existsSync(fastFile(rows[0]!.id))).toBe(false);
  expect(existsSync(fastFile(rows[2]!.id))).toBe(false);
});
