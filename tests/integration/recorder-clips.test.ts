// Clips as a registry, on a real served core recording a live HLS source (ffmpeg in real time):
// several sources of one moment clipped as one batch (one frame-exact MP4 each, checked against
// a reference decode), delivered byte for byte to a folder and to an S3 server (s3rver on
// loopback), hostile folders refused, a clip across a recorded gap refused with the gap's
// times, and the recordings' disk running short: an alarm, and only unheld media purged.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ClipDelivery,
  ContractError,
  MethodName,
  ReviewBatch,
  ReviewJob,
} from '../../src-shared/contract';
import { firstFrameNeighbour, framesOf, streamCodecs } from '../helpers/frame-checks';
import { startLiveHlsSource, type LiveHlsSource } from '../helpers/live-hls-source';
import { startTestS3, type TestS3 } from '../helpers/s3-server';
import { startServedCore, waitFor, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';
import type { TestWsClient } from '../helpers/ws-client';

const SOURCES = 3;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('clips of several sources, their registry and delivery', () => {
  const dir = makeTempDir('airdeck-clips-');
  let source: LiveHlsSource;
  let served: ServedCore;
  let s3: TestS3;
  let ws: TestWsClient;
  const ids: number[] = [];
  let batch: ReviewBatch;
  const outside = join(dir.path, 'outside');

  beforeAll(async () => {
    [source, s3] = await Promise.all([startLiveHlsSource(dir.path), startTestS3('clips')]);
    served = await startServedCore(dir.path, {
      core: { recorder: { retentionIntervalMs: 3_600_000 } },
    });
    ws = await served.connect();
    for (let i = 0; i < SOURCES; i++)
      ids.push(
        (await served.call('recorderSourceAdd', { name: `Outside ${i}`, url: source.url(`s${i}`) }))
          .id,
      );
    mkdirSync(outside);
  }, 60_000);
  afterAll(async () => {
    ws?.close();
    await served?.close();
    await Promise.all([source?.stop(), s3?.stop()]);
    dir.remove();
  });

  const dataDir = () => served.core.context.dataDir;
  const db = () => served.core.context.db;
  /** A call as the signed-in admin's window (attributed to the person, audited). */
  async function asAdmin(method: MethodName, params: unknown): Promise<unknown> {
    const result = await ws.call(method, params);
    if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
    return result.result;
  }
  async function refusal(method: MethodName, params: unknown): Promise<ContractError> {
    const result = await ws.call(method, params);
    if (result.ok) throw new Error(`${method} should have been refused`);
    return result.error;
  }
  const jobCount = () =>
    db().prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM review_jobs').get()!.n;

  async function finishedJob(id: number): Promise<ReviewJob> {
    return waitFor(`job ${id}`, async () => {
      const { jobs } = await served.call('reviewJobsList', { limit: 500 });
      const job = jobs.find((j) => j.id === id)!;
      if (job.state === 'failed') throw new Error(`job ${id} failed: ${job.error}`);
      return job.state === 'done' && job;
    });
  }
  async function settledDelivery(id: number): Promise<ClipDelivery> {
    return waitFor(`delivery ${id}`, async () => {
      const { clips } = await served.call('clipsList', { limit: 500 });
      const delivery = clips.flatMap((c) => c.deliveries).find((d) => d.id === id);
      return delivery && (delivery.state === 'done' || delivery.state === 'failed') && delivery;
    });
  }

  /** The recorded segment of a source that holds `at`, its file and the frame on air then. */
  async function frameAt(sourceId: number, at: number) {
    const segment = db()
      .prepare<[number, number, number], { file: string; start_at: number }>(
        'SELECT file, start_at FROM recording_segments WHERE source_id = ? AND start_at <= ? AND start_at + duration_ms > ?',
      )
      .get(sourceId, at, at)!;
    const file = join(dataDir(), 'recordings', segment.file);
    const { pts, start } = await framesOf(file);
    let k = 0;
    pts.forEach((p, i) => {
      if (segment.start_at + (p - start) * 1000 <= at + 0.5) k = i;
    });
    return { file, k };
  }

  it('clips every source of one moment as one batch: one frame-exact MP4 per source', async () => {
    await waitFor('eight segments per source', async () => {
      const { sources } = await served.call('recorderSourcesList', {});
      return sources.every((s) => s.segments >= 8);
    });
    // The in point mid-GOP (frame 13 of a 25-frame GOP) of source 0's fourth segment.
    const segment = db()
      .prepare<[number], { file: string; start_at: number }>(
        'SELECT file, start_at FROM recording_segments WHERE source_id = ? ORDER BY id LIMIT 1 OFFSET 3',
      )
      .get(ids[0]!)!;
    const { pts, start } = await framesOf(join(dataDir(), 'recordings', segment.file));
    const inAt = segment.start_at + Math.round((pts[13]! - start) * 1000) + 10;
    // Asked for as a marker ± 1 s.
    batch = (await asAdmin('reviewClipBatch', {
      sourceIds: ids,
      at: inAt + 1000,
      beforeMs: 1000,
      afterMs: 1000,
    })) as ReviewBatch;
    expect(batch.jobs.map((j) => j.sourceId)).toEqual(ids);
    expect(batch.jobs.every((j) => j.batchId === batch.id && j.personId !== null)).toBe(true);
    expect([batch.fromAt, batch.toAt]).toEqual([inAt, inAt + 2000]);

    const done = await waitFor('the batch', async () => {
      const now = await served.call('reviewBatchGet', { id: batch.id });
      if (now.state === 'failed') throw new Error('a clip of the batch failed');
      return now.state === 'done' && now;
    });
    expect(done.progress).toBe(1);
    for (const job of done.jobs) {
      const clipFile = join(dataDir(), 'review', `${job.id}.mp4`);
      expect(Math.abs((await framesOf(clipFile)).pts.length - 50)).toBeLessThanOrEqual(1);
      expect(await streamCodecs(clipFile)).toEqual(['aac', 'h264']);
      const reference = await frameAt(job.sourceId, inAt);
      expect(await firstFrameNeighbour(clipFile, reference.file, reference.k)).toBe(1);
    }
    batch = done;

    // The registry: who, which source, which air time, which note.
    const note = await asAdmin('notesCreate', {
      sourceId: ids[0],
      at: inAt,
      text: 'goal',
      jobIds: [batch.jobs[0]!.id],
    });
    const { clips } = await served.call('clipsList', { limit: 10 });
    const first = clips.find((c) => c.job.id === batch.jobs[0]!.id)!;
    expect(first).toMatchObject({
      sourceName: 'Outside 0',
      personName: expect.any(String),
      noteIds: [(note as { id: number }).id],
      deliveries: [],
    });
    expect(first.job).toMatchObject({ fromAt: inAt, toAt: inAt + 2000, sourceId: ids[0] });
  });

  it('delivers a clip to a folder and to S3 byte for byte, by hand and by itself', async () => {
    const folder = join(dataDir(), 'import', 'clips-out');
    mkdirSync(folder, { recursive: true });
    const toFolder = (await asAdmin('clipTargetAdd', {
      kind: 'folder',
      name: 'Edit suite',
      folder,
    })) as { id: number };
    const location = await served.call('storageLocationsAdd', {
      name: 'Clips bucket',
      endpoint: s3.endpoint,
      region: 'us-east-1',
      bucket: s3.bucket,
      prefix: 'station/',
      pathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    const toS3 = (await asAdmin('clipTargetAdd', {
      kind: 's3',
      name: 'Archive',
      locationId: location.id,
      prefix: 'clips/',
    })) as { id: number };

    const job = batch.jobs[1]!;
    const original = readFileSync(join(dataDir(), 'review', `${job.id}.mp4`));
    const inFolder = await settledDelivery(
      ((await asAdmin('clipDeliver', { jobId: job.id, targetId: toFolder.id })) as ClipDelivery).id,
    );
    expect(inFolder).toMatchObject({ state: 'done', bytes: original.length, error: null });
    expect(inFolder.destination!.startsWith(folder)).toBe(true);
    expect(sha256(readFileSync(inFolder.destination!))).toBe(sha256(original));
    expect(readdirSync(folder).filter((n) => n.includes('.part-'))).toEqual([]);

    const inBucket = await settledDelivery(
      ((await asAdmin('clipDeliver', { jobId: job.id, targetId: toS3.id })) as ClipDelivery).id,
    );
    expect(inBucket.state).toBe('done');
    const key = inBucket.destination!.replace(`s3://${s3.bucket}/`, '');
    expect(key).toMatch(/^station\/clips\/Outside-1_\d{8}T\d{6}\.\d{3}Z_clip\d+\.mp4$/);
    const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    expect(sha256(Buffer.from(await object.Body!.transformToByteArray()))).toBe(sha256(original));

    // Set to deliver by itself: the next clip lands there with nobody asking.
    await asAdmin('clipTargetUpdate', { id: toS3.id, autoDeliver: true });
    const clip = await finishedJob(
      (
        (await asAdmin('reviewClip', {
          sourceId: ids[2],
          inAt: batch.fromAt,
          outAt: batch.fromAt + 1000,
        })) as ReviewJob
      ).id,
    );
    const auto = await waitFor('the automatic delivery', async () => {
      const { clips } = await served.call('clipsList', { sourceId: ids[2]!, limit: 5 });
      const d = clips.find((c) => c.job.id === clip.id)?.deliveries[0];
      return d && (d.state === 'done' || d.state === 'failed') && d;
    });
    expect(auto).toMatchObject({ state: 'done', personId: null, targetName: 'Archive' });
    const autoObject = await s3.client.send(
      new GetObjectCommand({
        Bucket: s3.bucket,
        Key: auto.destination!.replace(`s3://${s3.bucket}/`, ''),
      }),
    );
    expect(sha256(Buffer.from(await autoObject.Body!.transformToByteArray()))).toBe(
      sha256(readFileSync(join(dataDir(), 'review', `${clip.id}.mp4`))),
    );
    await asAdmin('clipTargetUpdate', { id: toS3.id, autoDeliver: false });
  });

  it('refuses hostile folders, and a folder that turns into a way out fails its delivery', async () => {
    const imports = join(dataDir(), 'import');
    for (const folder of ['/etc', `${imports}/../recordings`, 'relative/clips']) {
      const error = await refusal('clipTargetAdd', { kind: 'folder', name: 'Bad', folder });
      expect(error.code, folder).toBe('path_not_allowed');
    }
    symlinkSync(outside, join(imports, 'link-out'));
    expect(
      await refusal('clipTargetAdd', {
        kind: 'folder',
        name: 'Bad',
        folder: join(imports, 'link-out'),
      }),
    ).toMatchObject({ code: 'path_not_allowed' });
    writeFileSync(join(imports, 'a-file'), 'x');
    expect(
      await refusal('clipTargetAdd', {
        kind: 'folder',
        name: 'Bad',
        folder: join(imports, 'a-file'),
      }),
    ).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('not a folder') });
    expect(
      await refusal('clipTargetAdd', { kind: 's3', name: 'Bad', locationId: 1, prefix: '../x/' }),
    ).toMatchObject({ code: 'invalid_request' });

    // A good folder, swapped for a link out of the allowed folders after it was set up.
    const folder = join(imports, 'swapped');
    mkdirSync(folder);
    const target = (await asAdmin('clipTargetAdd', {
      kind: 'folder',
      name: 'Swapped',
      folder,
    })) as { id: number };
    renameSync(folder, `${folder}-away`);
    symlinkSync(outside, folder);
    const job = batch.jobs[0]!;
    const failed = await settledDelivery(
      ((await asAdmin('clipDeliver', { jobId: job.id, targetId: target.id })) as ClipDelivery).id,
    );
    expect(failed.state).toBe('failed');
    expect(failed.error).toContain('outside the allowed folders');
    expect(readdirSync(outside)).toEqual([]);

    // Put right, the same delivery is retried and lands.
    renameSync(folder, `${folder}-link`);
    renameSync(`${folder}-away`, folder);
    const retried = await asAdmin('clipDeliveryRetry', { id: failed.id });
    const landed = await settledDelivery((retried as ClipDelivery).id);
    expect(landed).toMatchObject({ state: 'done', attempts: 2, error: null });
    expect(sha256(readFileSync(landed.destination!))).toBe(
      sha256(readFileSync(join(dataDir(), 'review', `${job.id}.mp4`))),
    );
  });

  it('refuses a clip across a recorded gap before any work, naming the gap', async () => {
    const sourceId = ids[2]!;
    const before = (await served.call('recorderSourcesList', {})).sources.find(
      (s) => s.id === sourceId,
    )!;
    source.fail(`s${SOURCES - 1}`, true);
    await waitFor('retrying', async () => {
      const { sources } = await served.call('recorderSourcesList', {});
      return sources.find((s) => s.id === sourceId)!.state === 'retrying';
    });
    await new Promise((r) => setTimeout(r, 6000)); // longer than the source's window
    source.fail(`s${SOURCES - 1}`, false);
    await waitFor('three segments after the gap', async () => {
      const { sources } = await served.call('recorderSourcesList', {});
      const now = sources.find((s) => s.id === sourceId)!;
      return now.state === 'recording' && now.segments > before.segments + 3;
    });
    const { gaps } = await served.call('recordingCoverage', {
      sourceId,
      fromAt: 0,
      toAt: Date.now() + 60_000,
    });
    const gap = gaps.find((g) => g.toAt !== null)!;
    expect(gap.toAt! - gap.fromAt).toBeGreaterThan(3000);
    const jobsBefore = jobCount();

    const single = await refusal('reviewClip', {
      sourceId,
      inAt: gap.fromAt - 1000,
      outAt: gap.toAt! + 1000,
    });
    expect(single.code).toBe('conflict');
    expect(single.message).toContain(new Date(gap.fromAt).toISOString());
    expect(single.message).toContain(new Date(gap.toAt!).toISOString());
    expect(single.fields?.[0]?.path).toBe('inAt');
    // In a batch, one source's gap refuses the whole batch: nothing is queued.
    const many = await refusal('reviewClipBatch', {
      sourceIds: ids,
      inAt: gap.fromAt - 1000,
      outAt: gap.toAt! + 1000,
    });
    expect(many.code).toBe('conflict');
    expect(many.message).toContain('Outside 2');
    expect(jobCount()).toBe(jobsBefore);
    // Just before the gap is fine.
    await finishedJob(
      (
        (await asAdmin('reviewClip', {
          sourceId,
          inAt: gap.fromAt - 1500,
          outAt: gap.fromAt - 500,
        })) as ReviewJob
      ).id,
    );
  });

  it('raises an alarm when the recordings disk runs short and purges only unheld media', async () => {
    const segments = () =>
      db()
        .prepare<
          [],
          { id: number; source_id: number; start_at: number; end_at: number; file: string }
        >(
          'SELECT id, source_id, start_at, start_at + duration_ms AS end_at, file FROM recording_segments',
        )
        .all();
    const holds = db()
      .prepare<[], { source_id: number; from_at: number; to_at: number }>(
        'SELECT source_id, from_at, to_at FROM review_holds',
      )
      .all();
    const heldBy = (s: { source_id: number; start_at: number; end_at: number }) =>
      holds.some(
        (h) => h.source_id === s.source_id && h.from_at < s.end_at && h.to_at > s.start_at,
      );
    for (const id of ids) await served.call('recorderSourceUpdate', { id, enabled: false });
    const before = segments();
    const held = before.filter(heldBy);
    expect(held.length).toBeGreaterThan(0);
    expect(before.length).toBeGreaterThan(held.length);

    // No disk here has that much free: low, whatever the machine.
    await served.call('recorderSettingsSet', { lowDiskFreeBytes: Number.MAX_SAFE_INTEGER });
    const alarm = served.core.monitor.alarms
      .active()
      .find((a) => a.kind === 'low-disk' && a.sourceId === 2);
    expect(alarm).toMatchObject({ sourceKind: 'station', sourceName: 'Recordings' });
    expect(alarm!.message).toContain('oldest unheld segment(s) deleted');
    const after = segments();
    expect(after.map((s) => s.id).sort()).toEqual(held.map((s) => s.id).sort());
    for (const s of after) expect(existsSync(join(dataDir(), 'recordings', s.file))).toBe(true);
    for (const s of before.filter((s) => !heldBy(s)))
      expect(existsSync(join(dataDir(), 'recordings', s.file))).toBe(false);

    await served.call('recorderSettingsSet', { lowDiskFreeBytes: 0 });
    expect(
      served.core.monitor.alarms.active().find((a) => a.kind === 'low-disk' && a.sourceId === 2),
    ).toBeUndefined();
    expect(await served.call('recorderSettingsGet', {})).toEqual({ lowDiskFreeBytes: 0 });
  });
});
