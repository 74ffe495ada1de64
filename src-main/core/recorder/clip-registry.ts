// The clip registry (who, which source, which air time, which notes) and delivery of finished
// clips to targets: a folder on the server's disk or a storage location (S3). Deliveries run one
// at a time in the background, each a row with its state, attempts and last error; a target set
// to deliver by itself gets every clip that finishes, and a person can deliver or retry any.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import type { Database } from 'better-sqlite3';
import type {
  ClipDelivery,
  ClipEntry,
  ClipTarget,
  ClipTargetAdd,
  ReviewJob,
} from '../../../src-shared/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events/event-bus';
import type { PathGuard } from '../library/allowed-roots';
import type { Logger } from '../logger';
import { checkTargetFolder, clipFileName, deliverToFolder } from './folder-delivery';

/** A storage location's client, bucket and key prefix (the storage feature's own). */
export type ClipBucket = (locationId: number) => {
  client: S3Client;
  bucket: string;
  location: { prefix: string };
};

export type ClipRegistryOptions = {
  db: Database;
  bus: EventBus;
  logger: Logger;
  now: () => number;
  /** A finished job's file and the job itself. */
  jobFile(jobId: number): string | null;
  job(jobId: number): ReviewJob | undefined;
  sourceName(sourceId: number): string | null;
  buckets: ClipBucket | null;
  folders: PathGuard | null;
};

type RawTarget = {
  id: number;
  name: string;
  kind: 'folder' | 's3';
  folder: string | null;
  location_id: number | null;
  prefix: string;
  auto_deliver: number;
  created_at: number;
};
const toTarget = (r: RawTarget): ClipTarget => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  folder: r.folder,
  locationId: r.location_id,
  prefix: r.prefix,
  autoDeliver: r.auto_deliver === 1,
  createdAt: r.created_at,
});

type RawDelivery = {
  id: number;
  job_id: number;
  source_id: number;
  target_id: number;
  target_name: string;
  person_id: number | null;
  state: ClipDelivery['state'];
  attempts: number;
  destination: string | null;
  bytes: number | null;
  error: string | null;
  created_at: number;
  finished_at: number | null;
};
const toDelivery = (r: RawDelivery): ClipDelivery => ({
  id: r.id,
  jobId: r.job_id,
  sourceId: r.source_id,
  targetId: r.target_id,
  targetName: r.target_name,
  personId: r.person_id,
  state: r.state,
  attempts: r.attempts,
  destination: r.destination,
  bytes: r.bytes,
  error: r.error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

const DELIVERY_SELECT = `SELECT d.id, d.job_id, j.source_id, d.target_id, t.name AS target_name,
  d.person_id, d.state, d.attempts, d.destination, d.bytes, d.error, d.created_at, d.finished_at
  FROM clip_deliveries d JOIN review_jobs j ON j.id = d.job_id JOIN clip_targets t ON t.id = d.target_id`;

function describeS3Error(error: unknown): string {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    if (status === 403) return 'access denied: check the access key and the bucket policy';
    if (status === 404 || error.name === 'NoSuchBucket')
      return `bucket not found (${error.message})`;
    return `${error.name}${status ? ` (HTTP ${status})` : ''}: ${error.message}`;
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused: is the endpoint right and running?';
  return error instanceof Error ? error.message : String(error);
}

export function createClipRegistry(options: ClipRegistryOptions) {
  const { db, bus, logger, now } = options;
  const q = {
    targets: db.prepare<[], RawTarget>('SELECT * FROM clip_targets ORDER BY name COLLATE NOCASE'),
    target: db.prepare<[number], RawTarget>('SELECT * FROM clip_targets WHERE id = ?'),
    autoTargets: db.prepare<[], RawTarget>('SELECT * FROM clip_targets WHERE auto_deliver = 1'),
    targetByName: db.prepare<[string], { id: number }>(
      'SELECT id FROM clip_targets WHERE name = ? COLLATE NOCASE',
    ),
    insertTarget: db.prepare<
      [string, string, string | null, number | null, string, number, number]
    >(
      `INSERT INTO clip_targets (name, kind, folder, location_id, prefix, auto_deliver, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    setAuto: db.prepare<[number, number]>('UPDATE clip_targets SET auto_deliver = ? WHERE id = ?'),
    removeTarget: db.prepare<[number]>('DELETE FROM clip_targets WHERE id = ?'),
    delivery: db.prepare<[number], RawDelivery>(`${DELIVERY_SELECT} WHERE d.id = ?`),
    deliveriesOf: db.prepare<[string], RawDelivery>(
      `${DELIVERY_SELECT} WHERE d.job_id IN (SELECT value FROM json_each(?)) ORDER BY d.id`,
    ),
    upsertDelivery: db.prepare<[number, number, number | null, number]>(
      `INSERT INTO clip_deliveries (job_id, target_id, person_id, state, created_at)
       VALUES (?, ?, ?, 'queued', ?)
       ON CONFLICT (job_id, target_id) DO UPDATE SET state = 'queued', error = NULL,
         person_id = excluded.person_id, finished_at = NULL
       RETURNING id`,
    ),
    requeue: db.prepare<[number]>(
      "UPDATE clip_deliveries SET state = 'queued', error = NULL, finished_at = NULL WHERE id = ?",
    ),
    pending: db.prepare<[], { id: number }>(
      "SELECT id FROM clip_deliveries WHERE state IN ('queued', 'running') ORDER BY id",
    ),
    running: db.prepare<[number]>(
      "UPDATE clip_deliveries SET state = 'running', attempts = attempts + 1 WHERE id = ?",
    ),
    done: db.prepare<[string, number, number, number]>(
      "UPDATE clip_deliveries SET state = 'done', destination = ?, bytes = ?, error = NULL, finished_at = ? WHERE id = ?",
    ),
    failed: db.prepare<[string, number, number]>(
      "UPDATE clip_deliveries SET state = 'failed', error = ?, finished_at = ? WHERE id = ?",
    ),
    clips: db.prepare<[number | null, number | null, number], { id: number }>(
      `SELECT id FROM review_jobs WHERE kind = 'clip' AND (? IS NULL OR source_id = ?)
       ORDER BY id DESC LIMIT ?`,
    ),
    personName: db.prepare<[number], { display_name: string }>(
      'SELECT display_name FROM people WHERE id = ?',
    ),
    notesOf: db.prepare<[number], { note_id: number }>(
      'SELECT note_id FROM note_jobs WHERE job_id = ? ORDER BY note_id',
    ),
  };

  const queue: number[] = [];
  let busy = false;
  let closed = false;
  let drained: Promise<void> = Promise.resolve();

  const targets = (): ClipTarget[] => q.targets.all().map(toTarget);
  const announceTargets = () => bus.emit('clipTargetsChanged', { targets: targets() });
  const delivery = (id: number): ClipDelivery | undefined => {
    const row = q.delivery.get(id);
    return row ? toDelivery(row) : undefined;
  };
  const announce = (id: number) => {
    const row = delivery(id);
    if (row) bus.emit('clipDeliveryChanged', row);
  };

  function mustTarget(id: number): RawTarget {
    const row = q.target.get(id);
    if (!row) throw new AppError('not_found', `Clip target ${id} does not exist.`);
    return row;
  }

  async function addTarget(input: ClipTargetAdd): Promise<ClipTarget> {
    if (q.targetByName.get(input.name))
      throw new AppError('conflict', `A clip target named "${input.name}" already exists.`);
    let id: number;
    if (input.kind === 'folder') {
      if (!options.folders) throw new AppError('unavailable', 'Folder targets are not available.');
      // Refused here already, and checked again at each delivery (roots and links may change).
      const real = await checkTargetFolder(options.folders, input.folder);
      id = Number(
        q.insertTarget.run(input.name, 'folder', real, null, '', input.autoDeliver ? 1 : 0, now())
          .lastInsertRowid,
      );
    } else {
      if (!options.buckets)
        throw new AppError('unavailable', 'Storage locations are not available.');
      options.buckets(input.locationId); // throws not_found for a missing location
      id = Number(
        q.insertTarget.run(
          input.name,
          's3',
          null,
          input.locationId,
          input.prefix,
          input.autoDeliver ? 1 : 0,
          now(),
        ).lastInsertRowid,
      );
    }
    announceTargets();
    return toTarget(mustTarget(id));
  }

  function deliver(jobId: number, targetId: number, personId: number | null): ClipDelivery {
    const job = options.job(jobId);
    if (!job || job.kind !== 'clip')
      throw new AppError('not_found', `Clip ${jobId} does not exist.`);
    if (job.state !== 'done')
      throw new AppError(
        'conflict',
        `Clip ${jobId} is ${job.state}; only a finished clip is delivered.`,
      );
    mustTarget(targetId);
    const { id } = q.upsertDelivery.get(jobId, targetId, personId, now()) as { id: number };
    enqueue(id);
    return delivery(id)!;
  }

  function enqueue(id: number) {
    if (!queue.includes(id)) queue.push(id);
    announce(id);
    pump();
  }

  function pump() {
    if (busy || closed) return;
    const id = queue.shift();
    if (id === undefined) return;
    busy = true;
    drained = run(id).finally(() => {
      busy = false;
      pump();
    });
  }

  async function run(id: number) {
    const row = delivery(id);
    if (!row || row.state === 'done' || row.state === 'failed') return;
    q.running.run(id);
    announce(id);
    try {
      const job = options.job(row.jobId);
      const file = options.jobFile(row.jobId);
      if (!job || !file) throw new AppError('not_found', 'The clip file is gone.');
      const target = mustTarget(row.targetId);
      const name = clipFileName(
        options.sourceName(job.sourceId) ?? `source-${job.sourceId}`,
        job.fromAt,
        job.id,
      );
      const bytes = (await stat(file)).size;
      let destination: string;
      if (target.kind === 'folder') {
        if (!options.folders || !target.folder)
          throw new AppError('unavailable', 'Folder targets are not available.');
        destination = await deliverToFolder(options.folders, target.folder, file, name);
      } else {
        if (!options.buckets || target.location_id === null)
          throw new AppError('unavailable', 'Storage locations are not available.');
        const { client, bucket, location } = options.buckets(target.location_id);
        const key = `${location.prefix}${target.prefix}${name}`;
        try {
          await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: createReadStream(file),
              ContentLength: bytes,
              ContentType: 'video/mp4',
            }),
          );
        } catch (error) {
          throw new AppError(
            'unavailable',
            `Upload to ${target.name} failed: ${describeS3Error(error)}`,
          );
        }
        destination = `s3://${bucket}/${key}`;
      }
      q.done.run(destination, bytes, now(), id);
    } catch (error) {
      if (closed) return; // left running: picked up again on the next start
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      logger.warn(`clip delivery ${id} failed: ${message}`);
      q.failed.run(message.slice(0, 500), now(), id);
    }
    announce(id);
  }

  return {
    targets,
    addTarget,
    updateTarget(id: number, autoDeliver: boolean): ClipTarget {
      mustTarget(id);
      q.setAuto.run(autoDeliver ? 1 : 0, id);
      announceTargets();
      return toTarget(mustTarget(id));
    },
    removeTarget(id: number) {
      mustTarget(id);
      q.removeTarget.run(id);
      announceTargets();
      return { id };
    },
    deliver,
    retry(id: number): ClipDelivery {
      const row = delivery(id);
      if (!row) throw new AppError('not_found', `Delivery ${id} does not exist.`);
      if (row.state !== 'failed')
        throw new AppError(
          'conflict',
          `Delivery ${id} is ${row.state}; only a failed one is retried.`,
        );
      q.requeue.run(id);
      enqueue(id);
      return delivery(id)!;
    },
    delivery,
    /** Source of a delivery (for source-limited rights). */
    sourceOfDelivery: (id: number): number | undefined => delivery(id)?.sourceId,
    /** A clip finished: every target that delivers by itself gets it. */
    onClipDone(job: ReviewJob) {
      if (job.kind !== 'clip' || closed) return;
      for (const target of q.autoTargets.all()) {
        try {
          deliver(job.id, target.id, null);
        } catch (error) {
          logger.warn(`clip ${job.id}: automatic delivery to ${target.name}: ${String(error)}`);
        }
      }
    },
    list(sourceId: number | undefined, limit: number): ClipEntry[] {
      const jobs = q.clips
        .all(sourceId ?? null, sourceId ?? null, limit)
        .map((r) => options.job(r.id))
        .filter((j): j is ReviewJob => j !== undefined);
      const deliveries = q.deliveriesOf.all(JSON.stringify(jobs.map((j) => j.id))).map(toDelivery);
      return jobs.map((job) => ({
        job,
        sourceName: options.sourceName(job.sourceId),
        personName:
          job.personId === null ? null : (q.personName.get(job.personId)?.display_name ?? null),
        noteIds: q.notesOf.all(job.id).map((n) => n.note_id),
        deliveries: deliveries.filter((d) => d.jobId === job.id),
      }));
    },
    resume() {
      for (const { id } of q.pending.all()) {
        q.requeue.run(id);
        queue.push(id);
      }
      pump();
    },
    async close() {
      closed = true;
      queue.length = 0;
      await drained;
    },
  };
}

export type ClipRegistry = ReturnType<typeof createClipRegistry>;
