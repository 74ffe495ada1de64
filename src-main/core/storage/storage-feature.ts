// Storage locations and the cache as a core feature: the contract methods, the S3 asset source
// that ingest reads through the cache, and the prefetch/GC timers.
//
// Keys and prefixes in the contract are relative to the location's prefix (the location is a
// folder root for the operator); the database keeps full object keys, so an asset still finds
// its object if the location's prefix is edited later.
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import type {
  StorageBrowseResult,
  StorageLocation,
  StorageLocationInput,
} from '../../../src-shared/contract';
import { createCacheService, type CacheService } from '../cache/cache-service';
import { headObjectIdentity } from '../cache/object-download';
import type { CoreContext, Feature } from '../core-context';
import { AppError } from '../errors';
import { createAssetSummaryReader } from '../library/asset-summary';
import { assetNameFromFile } from '../library/names';
import { createCredentialStore, type SecretBox } from './credentials';
import { createLocationStore, type LocationFields, type LocationRow } from './location-store';
import { baseName, formatS3Source } from './object-ref';
import { createPublisher, type PublishedSegments } from './publisher';
import { createRenditionReuse } from './publish-reuse';
import { buildS3Client, createS3ClientPool } from './s3-clients';
import type { IngestSources } from '../ingest/ingest-service';

export type StorageMethod =
  | 'storageLocationsList'
  | 'storageLocationsAdd'
  | 'storageLocationsUpdate'
  | 'storageLocationsRemove'
  | 'storageLocationsTest'
  | 'storageBrowse'
  | 'storageImport'
  | 'storagePublishingStatus'
  | 'cacheStatus'
  | 'cacheSettingsGet'
  | 'cacheSettingsSet'
  | 'cachePin';

export type StorageFeatureOptions = {
  /** Desktop: the OS keychain (safeStorage). Absent: a 0600 file in the data folder. */
  secretBox?: SecretBox | null;
  /** Queues an asset for ingest (the ingest service is built after this feature). */
  enqueueIngest(assetId: number): void;
  env?: NodeJS.ProcessEnv;
  /** Prefetch pass period; GC runs every fifth pass. */
  prefetchIntervalMs?: number;
  /** Publishing pass period (failed uploads are retried on the next pass). */
  publishIntervalMs?: number;
};

/** Publishing as the rest of the core sees it (see publisher.ts, publish-reuse.ts). */
export type PublishingApi = PublishedSegments & {
  /** Runs a publishing pass now; resolves when it has ended. */
  publishNow(): Promise<void>;
  /** Hooks for ingest: reuse published renditions, record the profile that made renditions. */
  ingestSources: Pick<IngestSources, 'obtainRenditions' | 'renditionsMadeWith'>;
};

/** A local file ingest can read, held in the cache until released. */
export type OpenedSource = { path: string; release(): void };

/** Writes one object under a location's prefix (reports written on a schedule). */
export type PutObject = (request: {
  locationId: number;
  /** Relative to the location's prefix. */
  key: string;
  body: Buffer;
  contentType: string;
}) => Promise<{ bucket: string; key: string }>;

const DEFAULT_PREFETCH_INTERVAL_MS = 60_000;
const SCHEDULE_SETTLE_MS = 2_000;
const IMPORT_CONCURRENCY = 8;

function describeS3Error(error: unknown): string {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    if (status === 403) return 'access denied: check the access key and the bucket policy';
    if (status === 404 || error.name === 'NoSuchBucket') return `not found (${error.message})`;
    return `${error.name}${status ? ` (HTTP ${status})` : ''}: ${error.message}`;
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused: is the endpoint right and running?';
  if (code === 'ENOTFOUND') return 'the endpoint host name does not resolve';
  if (error instanceof Error && error.name === 'CredentialsProviderError')
    return 'no credentials: enter an access key, or set AIRDECK_S3_ACCESS_KEY_ID/AIRDECK_S3_SECRET_ACCESS_KEY';
  return error instanceof Error ? error.message : String(error);
}

function fieldsFromInput(input: StorageLocationInput): LocationFields {
  return {
    name: input.name,
    endpoint: input.endpoint ?? null,
    region: input.region ?? 'us-east-1',
    bucket: input.bucket,
    prefix: input.prefix ?? '',
    pathStyle: input.pathStyle ?? true,
    publishRenditions: input.publishRenditions ?? false,
    publicBaseUrl: input.publicBaseUrl ?? null,
  };
}

export function createStorageFeature(
  context: CoreContext,
  options: StorageFeatureOptions,
): Feature<StorageMethod> & {
  cache: CacheService;
  openAssetSource(assetId: number, signal?: AbortSignal): Promise<OpenedSource>;
  publishing: PublishingApi;
  putObject: PutObject;
  /** A location's client and bucket (throws not_found): clip delivery uploads through it. */
  bucketFor: typeof bucketFor;
} {
  const { db, bus, clock, logger } = context;
  const locations = createLocationStore(db, () => clock.now());
  const credentials = createCredentialStore({
    dataDir: context.dataDir,
    secretBox: options.secretBox ?? null,
    env: options.env,
  });
  const clients = createS3ClientPool();
  const readSummary = createAssetSummaryReader(db);

  function requireLocation(id: number): LocationRow {
    const row = locations.get(id);
    if (!row) throw new AppError('not_found', `No storage location ${id}.`);
    return row;
  }

  function bucketFor(locationId: number) {
    const location = requireLocation(locationId);
    const client = clients.get(location, credentials.resolve(location.id, location.name));
    return { client, bucket: location.bucket, location };
  }

  const cache = createCacheService({
    db,
    bus,
    clock,
    logger,
    cacheDir: join(context.dataDir, 'cache'),
    buckets: bucketFor,
  });

  function toContract(row: LocationRow): StorageLocation {
    const resolved = credentials.resolve(row.id, row.name);
    return {
      ...row,
      credentials: {
        source: resolved.source,
        accessKeyIdHint: resolved.credentials ? resolved.credentials.accessKeyId.slice(-4) : null,
      },
    };
  }

  function list(): StorageLocation[] {
    return locations.list().map(toContract);
  }

  const publisher = createPublisher(context, {
    locations: () => locations.list(),
    location: (id) => locations.get(id),
    bucketFor,
    ...(options.publishIntervalMs ? { intervalMs: options.publishIntervalMs } : {}),
  });

  function announce(): void {
    bus.emit('storageLocationsChanged', { locations: list() });
    publisher.locationsChanged();
  }

  function checkName(name: string, exceptId?: number): void {
    if (locations.nameTaken(name, exceptId))
      throw new AppError('conflict', `A storage location named "${name}" exists already.`);
  }

  // --- S3 asset rows --------------------------------------------------------------------------
  const objectOfAsset = db.prepare<
    [number],
    { location_id: number; object_key: string; etag: string; size: number }
  >('SELECT location_id, object_key, etag, size FROM storage_asset_objects WHERE asset_id = ?');
  const assetOfObject = db.prepare<[number, string], { asset_id: number }>(
    'SELECT asset_id FROM storage_asset_objects WHERE location_id = ? AND object_key = ?',
  );
  const updateObject = db.prepare<[string, number, number]>(
    'UPDATE storage_asset_objects SET etag = ?, size = ? WHERE asset_id = ?',
  );
  const reuse = createRenditionReuse(context, {
    objectOf: (assetId) => objectOfAsset.get(assetId),
    locations: () => locations.list(),
    bucketFor,
  });
  const folderExists = db.prepare<[number], { id: number }>('SELECT id FROM folders WHERE id = ?');
  const insertAsset = db.prepare(`
    INSERT INTO assets (folder_id, name, source_kind, source_location, source_size, source_mtime_ms,
      state, progress, created_at, updated_at)
    VALUES (@folderId, @name, 's3', @source, @size, @mtime, 'probing', 0, @at, @at)`);
  const insertObject = db.prepare(`
    INSERT INTO storage_asset_objects (asset_id, location_id, object_key, etag, size)
    VALUES (@assetId, @locationId, @key, @etag, @size)`);

  /**
   * The asset's object through the cache. An abort stops this caller waiting, not the shared
   * download: other callers (and the next attempt) still want it.
   */
  async function openAssetSource(assetId: number, signal?: AbortSignal): Promise<OpenedSource> {
    const object = objectOfAsset.get(assetId);
    if (!object) throw new Error(`asset ${assetId} has no S3 object recorded`);
    signal?.throwIfAborted();
    const opening = cache.open(object.location_id, object.object_key, {
      etag: object.etag,
      size: object.size,
    });
    const opened = await new Promise<Awaited<typeof opening>>((resolve, reject) => {
      const onAbort = () => reject(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      opening.then(
        (o) => {
          signal?.removeEventListener('abort', onAbort);
          if (signal?.aborted) o.release();
          else resolve(o);
        },
        (error: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
    // The object was replaced on the server: the asset now follows the new version.
    if (opened.entry.etag !== object.etag)
      updateObject.run(opened.entry.etag, opened.entry.size, assetId);
    return { path: opened.path, release: opened.release };
  }

  // --- browse / import ------------------------------------------------------------------------
  async function browse(request: {
    locationId: number;
    prefix: string;
    continuationToken: string | null;
    limit: number;
  }): Promise<StorageBrowseResult> {
    const { client, bucket, location } = bucketFor(request.locationId);
    const root = location.prefix;
    let page;
    try {
      page = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: root + request.prefix,
          Delimiter: '/',
          MaxKeys: request.limit,
          ...(request.continuationToken ? { ContinuationToken: request.continuationToken } : {}),
        }),
      );
    } catch (error) {
      throw new AppError('unavailable', `${location.name}: ${describeS3Error(error)}`);
    }
    const cached = cache.store.cachedKeys(location.id);
    const folders = (page.CommonPrefixes ?? [])
      .map((p) => p.Prefix)
      .filter((p): p is string => typeof p === 'string' && p.startsWith(root))
      .map((p) => ({ prefix: p.slice(root.length), name: baseName(p) }));
    const objects = (page.Contents ?? [])
      .filter((o) => typeof o.Key === 'string' && o.Key.startsWith(root) && !o.Key.endsWith('/'))
      .map((o) => {
        const full = o.Key!;
        const etag = (o.ETag ?? '').replace(/^"|"$/g, '');
        return {
          key: full.slice(root.length),
          name: baseName(full),
          size: o.Size ?? 0,
          etag,
          lastModified: o.LastModified ? o.LastModified.getTime() : null,
          assetId: assetOfObject.get(location.id, full)?.asset_id ?? null,
          cached: cached.has(`${full}\0${etag}`),
        };
      });
    return {
      locationId: location.id,
      prefix: request.prefix,
      folders,
      objects,
      nextContinuationToken: page.IsTruncated ? (page.NextContinuationToken ?? null) : null,
    };
  }

  async function importKeys(request: { locationId: number; keys: string[]; folderId: number }) {
    const { client, bucket, location } = bucketFor(request.locationId);
    if (!folderExists.get(request.folderId))
      throw new AppError('not_found', `No library folder ${request.folderId}.`);
    type Result = { key: string; assetId: number | null; error: string | null };
    const keys = [...new Set(request.keys)];
    const results: Result[] = new Array<Result>(keys.length);
    const created: number[] = [];

    const importOne = async (key: string): Promise<Result> => {
      const full = location.prefix + key;
      const existing = assetOfObject.get(location.id, full);
      if (existing) return { key, assetId: existing.asset_id, error: null };
      let identity;
      try {
        identity = await headObjectIdentity(client, bucket, full);
      } catch (error) {
        return { key, assetId: null, error: describeS3Error(error) };
      }
      // Another import of the same key may have finished while we waited for the HEAD.
      const raced = assetOfObject.get(location.id, full);
      if (raced) return { key, assetId: raced.asset_id, error: null };
      const at = clock.now();
      const assetId = db.transaction(() => {
        const id = Number(
          insertAsset.run({
            folderId: request.folderId,
            name: assetNameFromFile(full),
            source: formatS3Source(location.id, full),
            size: identity.size,
            mtime: at,
            at,
          }).lastInsertRowid,
        );
        insertObject.run({
          assetId: id,
          locationId: location.id,
          key: full,
          etag: identity.etag,
          size: identity.size,
        });
        return id;
      })();
      created.push(assetId);
      return { key, assetId, error: null };
    };

    // A thousand keys are a thousand HEADs: a few at a time, answers in the order asked.
    let next = 0;
    const worker = async () => {
      while (next < keys.length) {
        const index = next;
        next += 1;
        results[index] = await importOne(keys[index]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(IMPORT_CONCURRENCY, keys.length) }, worker));
    for (const id of created) {
      const summary = readSummary(id);
      if (summary) bus.emit('assetChanged', summary);
      options.enqueueIngest(id);
    }
    return { assets: results };
  }

  async function testLocation(request: { id?: number; draft?: StorageLocationInput }) {
    let client;
    let location: LocationRow;
    let temporary = false;
    if (request.id !== undefined) {
      ({ client, location } = bucketFor(request.id));
    } else {
      const draft = request.draft!;
      const at = clock.now();
      location = { ...fieldsFromInput(draft), id: 0, createdAt: at, updatedAt: at };
      const given =
        draft.accessKeyId && draft.secretAccessKey
          ? { accessKeyId: draft.accessKeyId, secretAccessKey: draft.secretAccessKey }
          : null;
      client = buildS3Client(location, {
        source: given ? 'file' : 'default-chain',
        credentials: given ?? credentials.resolve(0, location.name).credentials,
      });
      temporary = true;
    }
    try {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.prefix, MaxKeys: 1 }),
      );
      const some = (page.KeyCount ?? 0) > 0;
      return {
        ok: true,
        message: `Connected to ${location.bucket}${location.prefix ? `/${location.prefix}` : ''}: ${some ? 'objects found' : 'empty'}.`,
      };
    } catch (error) {
      return { ok: false, message: describeS3Error(error) };
    } finally {
      if (temporary) client.destroy();
    }
  }

  // --- timers ---------------------------------------------------------------------------------
  let timer: NodeJS.Timeout | undefined;
  let settleTimer: NodeJS.Timeout | undefined;
  let passes = 0;
  let stopScheduleWatch: (() => void) | undefined;
  let closed = false;

  function requestPrefetch(): void {
    cache.prefetch().catch((e: unknown) => logger.error('prefetch failed', e));
  }

  function runPass(): void {
    if (closed) return;
    passes += 1;
    if (passes % 5 === 1) {
      try {
        cache.gc();
      } catch (error) {
        logger.error('cache purge failed', error);
      }
    }
    cache.prefetch().catch((error: unknown) => logger.error('cache prefetch failed', error));
  }

  const putObject: PutObject = async ({ locationId, key, body, contentType }) => {
    const { client, bucket, location } = bucketFor(locationId);
    const fullKey = `${location.prefix}${key}`;
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: fullKey,
          Body: body,
          ContentLength: body.length,
          ContentType: contentType,
        }),
      );
    } catch (error) {
      throw new Error(`Storage location "${location.name}": ${describeS3Error(error)}`, {
        cause: error,
      });
    }
    return { bucket, key: fullKey };
  };

  return {
    cache,
    openAssetSource,
    putObject,
    bucketFor,
    publishing: {
      segmentUrl: publisher.lookup.segmentUrl,
      publishNow: publisher.publishNow,
      ingestSources: {
        obtainRenditions: reuse.obtain,
        renditionsMadeWith: publisher.recordProfile,
      },
    },
    handlers: {
      storageLocationsList: () => ({ locations: list() }),
      storageLocationsAdd: (input) => {
        checkName(input.name);
        const id = locations.insert(fieldsFromInput(input));
        if (input.accessKeyId && input.secretAccessKey) {
          credentials.set(id, {
            accessKeyId: input.accessKeyId,
            secretAccessKey: input.secretAccessKey,
          });
        }
        announce();
        return toContract(requireLocation(id));
      },
      storageLocationsUpdate: (patch) => {
        const current = requireLocation(patch.id);
        const { id, accessKeyId, secretAccessKey, clearCredentials, ...fields } = patch;
        const next: LocationFields = { ...current };
        for (const [k, v] of Object.entries(fields)) {
          if (v !== undefined) (next as Record<string, unknown>)[k] = v;
        }
        checkName(next.name, id);
        locations.update(id, next);
        if (clearCredentials) credentials.remove(id);
        if (accessKeyId && secretAccessKey) credentials.set(id, { accessKeyId, secretAccessKey });
        clients.forget(id);
        announce();
        return toContract(requireLocation(id));
      },
      storageLocationsRemove: ({ id }) => {
        requireLocation(id);
        const using = locations.assetsUsing(id);
        if (using.length > 0)
          throw new AppError(
            'conflict',
            `Assets were imported from this location (ids ${using.join(', ')}${using.length === 20 ? ', …' : ''}); delete them first.`,
          );
        locations.remove(id);
        credentials.remove(id);
        clients.forget(id);
        announce();
        return { id };
      },
      storageLocationsTest: (request) => testLocation(request),
      storageBrowse: (request) => browse(request),
      storageImport: (request) => importKeys(request),
      storagePublishingStatus: () => publisher.status(),
      cacheStatus: () => cache.status(),
      cacheSettingsGet: () => cache.settings(),
      cacheSettingsSet: (patch) => {
        const next = cache.setSettings(patch);
        // A longer horizon or a new disk threshold changes what should be here now.
        requestPrefetch();
        return next;
      },
      cachePin: ({ assetId, pinned }) => {
        if (!objectOfAsset.get(assetId))
          throw new AppError(
            'not_found',
            `Asset ${assetId} does not come from a storage location.`,
          );
        cache.setPinned(assetId, pinned);
        if (pinned) requestPrefetch();
        return { assetId, pinned };
      },
    },
    start() {
      const interval = options.prefetchIntervalMs ?? DEFAULT_PREFETCH_INTERVAL_MS;
      timer = setInterval(runPass, interval);
      timer.unref();
      // A schedule edit can bring an S3 asset into the horizon: look again once edits settle.
      stopScheduleWatch = bus.on('scheduleChanged', () => {
        if (settleTimer) clearTimeout(settleTimer);
        settleTimer = setTimeout(() => {
          settleTimer = undefined;
          requestPrefetch();
        }, SCHEDULE_SETTLE_MS);
        settleTimer.unref();
      });
      setImmediate(runPass);
      publisher.start();
    },
    async close() {
      closed = true;
      await publisher.close();
      if (timer) clearInterval(timer);
      if (settleTimer) clearTimeout(settleTimer);
      stopScheduleWatch?.();
      await cache.close();
      clients.closeAll();
    },
  };
}
