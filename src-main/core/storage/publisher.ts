// Publishing: house renditions of ready S3 assets uploaded to every location that publishes,
// in the background, one asset at a time per location and a few objects at a time per asset.
// The manifest goes last, so its presence in a bucket means the rest is there. A pass skips
// objects already there with the right size (a restart resumes where the last pass stopped);
// a failure is recorded, logged and tried again on the next pass, and never reaches ingest or
// playout, which read only local files.
//
// The same module answers playlists: which published object (and under which public base URL)
// holds an asset segment's exact bytes. That answer comes from memory, kept current by events.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { HouseProfile, PublishingStatus } from '../../../src-shared/contract';
import type { CoreContext } from '../core-context';
import { HLS_PLAYLIST } from '../ffmpeg';
import { FILMSTRIP_FILE, FILMSTRIP_META_FILE, POSTER_FILE } from '../ingest/media-layout';
import type { LocationRow } from './location-store';
import { etagIsContentMd5, normalizeEtag } from './object-ref';
import {
  PUBLISH_FORMAT_VERSION,
  RENDITIONS_ROOT,
  manifestKey,
  profileFingerprint,
  publicObjectUrl,
  renditionsPrefix,
  sourceFingerprint,
} from './publish-keys';
import type { PublishManifest } from './publish-manifest';
import { createPublishStore, probeOf, type PublishCandidate } from './publish-store';

export type BucketHandle = { client: S3Client; bucket: string; location: LocationRow };

export type PublisherOptions = {
  locations(): LocationRow[];
  location(id: number): LocationRow | null;
  bucketFor(locationId: number): BucketHandle;
  /** Pass period (retries of failed uploads wait for it). */
  intervalMs?: number;
};

/** What playlists ask, per segment, from memory. */
export type PublishedSegments = {
  /** `<publicBaseUrl>/<object key>` of an asset segment's published bytes, or null. */
  segmentUrl(assetId: number, variant: 'main' | 'proxy', seq: number): string | null;
};

const DEFAULT_INTERVAL_MS = 5 * 60_000;
/** Asset changes arrive in bursts (an import of many objects): one pass after they settle. */
const SETTLE_MS = 1_000;
const UPLOAD_CONCURRENCY = 4;
/** Segment file lists of assets on air, kept for playlists; one query per asset on a miss. */
const FILE_LIST_CACHE = 256;

const SEGMENT_CACHE = 'public, max-age=31536000, immutable';
const CONTENT_TYPES: Record<string, string> = {
  '.ts': 'video/mp2t',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
};
const contentTypeOf = (path: string) =>
  CONTENT_TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';

function errorText(error: unknown): string {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    return `${error.name}${status ? ` (HTTP ${status})` : ''}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** An error that every other asset of the location would meet too: stop the pass there. */
function locationWide(error: unknown): boolean {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    return error.name === 'NoSuchBucket' || status === 403 || status === 401;
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ECONNRESET';
}

/** Runs `fn` over `items`, at most `limit` at once; rejects with the first failure. */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next]!;
      next += 1;
      try {
        await fn(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/** One file of an asset's media folder as published: path relative to both folders. */
type LocalFile = { path: string; bytes: number };

export function createPublisher(context: CoreContext, options: PublisherOptions) {
  const { db, bus, clock, logger, mediaDir } = context;
  const store = createPublishStore(db, () => clock.now());

  // --- the published lookup (memory) --------------------------------------------------------
  /** asset → location → key prefix, for exact publications only. */
  const exact = new Map<number, Map<number, string>>();
  /** location → public base URL, for locations that have one. */
  const publicBases = new Map<number, string>();
  const fileLists = new Map<string, string[]>();

  /** Assets with a row (published or failed): what an asset change may have to drop. */
  const withRows = new Set<number>();

  function loadLookup(): void {
    exact.clear();
    withRows.clear();
    for (const id of store.assetsWithRows()) withRows.add(id);
    for (const row of store.exactRows()) noteExact(row.assetId, row.locationId, row.keyPrefix);
    refreshBases();
  }
  function noteExact(assetId: number, locationId: number, keyPrefix: string): void {
    const byLocation = exact.get(assetId) ?? new Map<number, string>();
    byLocation.set(locationId, keyPrefix);
    exact.set(assetId, byLocation);
  }
  function forgetExact(assetId: number, locationId?: number): void {
    if (locationId === undefined) exact.delete(assetId);
    else exact.get(assetId)?.delete(locationId);
    fileLists.delete(`${assetId}:main`);
    fileLists.delete(`${assetId}:proxy`);
  }
  function refreshBases(): void {
    publicBases.clear();
    for (const location of options.locations()) {
      if (location.publicBaseUrl) publicBases.set(location.id, location.publicBaseUrl);
    }
  }
  function filesOf(assetId: number, variant: 'main' | 'proxy'): string[] {
    const key = `${assetId}:${variant}`;
    let files = fileLists.get(key);
    if (files) {
      // Most recently used last, so the first key is the one to evict.
      fileLists.delete(key);
      fileLists.set(key, files);
      return files;
    }
    files = store.segmentFiles(assetId, variant);
    fileLists.set(key, files);
    if (fileLists.size > FILE_LIST_CACHE) fileLists.delete(fileLists.keys().next().value!);
    return files;
  }

  const lookup: PublishedSegments = {
    segmentUrl(assetId, variant, seq) {
      const byLocation = exact.get(assetId);
      if (!byLocation) return null;
      for (const [locationId, keyPrefix] of byLocation) {
        const base = publicBases.get(locationId);
        if (!base) continue;
        const file = filesOf(assetId, variant)[seq];
        return file === undefined ? null : publicObjectUrl(base, `${keyPrefix}${variant}/${file}`);
      }
      return null;
    },
  };

  // --- status -------------------------------------------------------------------------------
  const uploading = new Set<number>();
  function status(): PublishingStatus {
    const eligible = store.eligibleCount();
    return {
      locations: options.locations().map((location) => {
        const { published, failed, lastError } = store.counts(location.id);
        return {
          locationId: location.id,
          published,
          pending: location.publishRenditions ? Math.max(0, eligible - published - failed) : 0,
          failed,
          uploading: uploading.has(location.id),
          lastError: failed > 0 ? lastError : null,
        };
      }),
    };
  }
  const announce = () => bus.emit('publishingChanged', status());

  // --- naming an asset's publication --------------------------------------------------------
  /** The profile an asset's renditions were made with; a guess for assets older than records. */
  function profileFpOf(candidate: PublishCandidate): string | null {
    if (candidate.profileFp) return candidate.profileFp;
    // Ingested before profiles were recorded: the station's profile if the frame size agrees.
    const profile = context.settings.get().houseProfile;
    if (candidate.mainWidth !== profile.width || candidate.mainHeight !== profile.height) {
      return null;
    }
    const fingerprint = profileFingerprint(profile);
    store.recordProfile(candidate.assetId, fingerprint, profile);
    return fingerprint;
  }

  function sourceFpOf(candidate: PublishCandidate): string | null {
    const origin = options.location(candidate.originLocationId);
    if (!origin) return null;
    return sourceFingerprint({
      bucket: origin.bucket,
      key: candidate.objectKey,
      etag: candidate.etag,
    });
  }

  // --- one asset to one location ------------------------------------------------------------
  async function localFiles(assetId: number) {
    const rows = store.segments(assetId);
    const files: LocalFile[] = [];
    for (const row of rows) {
      files.push({ path: `${row.kind}/${row.file}`, bytes: row.bytes });
    }
    const dir = join(mediaDir, String(assetId));
    for (const extra of [
      `main/${HLS_PLAYLIST}`,
      `proxy/${HLS_PLAYLIST}`,
      POSTER_FILE,
      FILMSTRIP_FILE,
      FILMSTRIP_META_FILE,
    ]) {
      const info = await stat(join(dir, extra)).catch(() => null);
      // The playlists are required (ingest checks them after a restart); the images are not.
      if (!info && extra.endsWith(HLS_PLAYLIST)) throw new Error(`${extra} is missing`);
      if (info) files.push({ path: extra, bytes: info.size });
    }
    return { rows, files, dir };
  }

  async function listExisting(
    handle: BucketHandle,
    prefix: string,
    signal: AbortSignal,
  ): Promise<Map<string, { size: number; etag: string | null }>> {
    const found = new Map<string, { size: number; etag: string | null }>();
    let token: string | undefined;
    do {
      const page = await handle.client.send(
        new ListObjectsV2Command({
          Bucket: handle.bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
        { abortSignal: signal },
      );
      for (const o of page.Contents ?? []) {
        if (o.Key) found.set(o.Key, { size: o.Size ?? -1, etag: normalizeEtag(o.ETag) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found;
  }

  function buildManifest(
    candidate: PublishCandidate,
    origin: LocationRow,
    fingerprints: { profile: string; source: string },
    profile: HouseProfile,
    rows: Awaited<ReturnType<typeof localFiles>>['rows'],
    files: LocalFile[],
  ): PublishManifest {
    const probe = probeOf(candidate.probeJson);
    if (!probe) throw new Error('the asset has no readable probe');
    if (!candidate.ingestMethod) throw new Error('the asset records no ingest method');
    const rendition = (kind: 'main' | 'proxy') => {
      const of = rows.filter((r) => r.kind === kind);
      const first = of[0];
      if (!first) throw new Error(`the asset has no ${kind} rendition`);
      return {
        width: first.width,
        height: first.height,
        durationMs: first.renditionDurationMs,
        segments: of.map((r) => ({
          seq: r.seq,
          file: r.file,
          startMs: r.startMs,
          durationMs: r.durationMs,
          bytes: r.bytes,
        })),
      };
    };
    return {
      format: 'airdeck-renditions',
      version: PUBLISH_FORMAT_VERSION,
      profileFingerprint: fingerprints.profile,
      profile,
      source: {
        fingerprint: fingerprints.source,
        bucket: origin.bucket,
        key: candidate.objectKey,
        etag: candidate.etag,
        size: candidate.size,
      },
      ingestMethod: candidate.ingestMethod,
      probe,
      renditions: { main: rendition('main'), proxy: rendition('proxy') },
      files,
      publishedAt: clock.now(),
    };
  }

  async function publishOne(
    location: LocationRow,
    candidate: PublishCandidate,
    keyPrefix: string,
    fingerprints: { profile: string; source: string },
    signal: AbortSignal,
  ): Promise<boolean> {
    const handle = options.bucketFor(location.id);
    const origin = options.location(candidate.originLocationId);
    if (!origin) throw new Error('the asset’s own location is gone');
    const profileJson = candidate.profileJson;
    const profile: HouseProfile = profileJson
      ? (JSON.parse(profileJson) as HouseProfile)
      : context.settings.get().houseProfile;
    const { rows, files, dir } = await localFiles(candidate.assetId);
    const existing = await listExisting(handle, keyPrefix, signal);
    const md5Of = (body: Buffer) => createHash('md5').update(body).digest('hex');

    // Exact: every object is byte for byte our file (an ETag that is not an MD5 cannot say).
    // Files are read one by one, a few at a time, never all held at once.
    let allExact = true;
    const manifestThere = existing.has(manifestKey(keyPrefix));
    const read = async (file: LocalFile) => {
      const body = await readFile(join(dir, file.path));
      if (body.length !== file.bytes) {
        throw new Error(`${file.path} has ${body.length} bytes, the database says ${file.bytes}`);
      }
      return body;
    };
    const toUpload: LocalFile[] = [];
    await forEachLimit(files, UPLOAD_CONCURRENCY, async (file) => {
      const there = existing.get(keyPrefix + file.path);
      const sameSize = there?.size === file.bytes;
      const comparable = sameSize && there.etag !== null && etagIsContentMd5(there.etag);
      const sameBytes = comparable ? there.etag!.toLowerCase() === md5Of(await read(file)) : null;
      if (manifestThere) {
        // Complete already (published by an earlier pass or by another Airdeck): never
        // overwritten, since players of other stations may be reading it.
        if (sameBytes !== true) allExact = false;
      } else if (!sameSize || sameBytes === false) {
        toUpload.push(file);
      } else if (sameBytes === null) allExact = false;
    });
    if (!manifestThere) {
      await forEachLimit(toUpload, UPLOAD_CONCURRENCY, async (file) => {
        signal.throwIfAborted();
        const body = await read(file);
        const out = await handle.client.send(
          new PutObjectCommand({
            Bucket: handle.bucket,
            Key: keyPrefix + file.path,
            Body: body,
            ContentLength: body.length,
            ContentType: contentTypeOf(file.path),
            CacheControl: SEGMENT_CACHE,
          }),
          { abortSignal: signal },
        );
        const etag = normalizeEtag(out.ETag);
        if (!etag || !etagIsContentMd5(etag)) allExact = false;
        else if (etag.toLowerCase() !== md5Of(body)) {
          throw new Error(`${file.path}: the server stored other bytes (ETag ${etag})`);
        }
      });
      const manifest = buildManifest(candidate, origin, fingerprints, profile, rows, files);
      signal.throwIfAborted();
      await handle.client.send(
        new PutObjectCommand({
          Bucket: handle.bucket,
          Key: manifestKey(keyPrefix),
          Body: `${JSON.stringify(manifest)}\n`,
          ContentType: 'application/json',
          CacheControl: 'no-cache',
        }),
        { abortSignal: signal },
      );
    }
    return allExact;
  }

  // --- passes -------------------------------------------------------------------------------
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let settleTimer: NodeJS.Timeout | undefined;

  async function passOver(location: LocationRow): Promise<void> {
    const rows = new Map(store.rowsOf(location.id).map((r) => [r.assetId, r]));
    const todo: { candidate: PublishCandidate; keyPrefix: string; fp: [string, string] }[] = [];
    for (const candidate of store.candidates()) {
      const profileFp = profileFpOf(candidate);
      const sourceFp = sourceFpOf(candidate);
      if (!profileFp || !sourceFp) continue;
      const keyPrefix = renditionsPrefix(location.prefix, profileFp, sourceFp);
      const row = rows.get(candidate.assetId);
      if (
        row?.state === 'published' &&
        row.keyPrefix === keyPrefix &&
        row.bucket === location.bucket
      ) {
        continue;
      }
      todo.push({ candidate, keyPrefix, fp: [profileFp, sourceFp] });
    }
    if (todo.length === 0) return;
    uploading.add(location.id);
    announce();
    try {
      for (const { candidate, keyPrefix, fp } of todo) {
        if (closed) return;
        // Still ready with the same renditions? (It may have changed while earlier ones ran.)
        const current = store.candidate(candidate.assetId);
        if (!current) continue;
        const previous = rows.get(candidate.assetId);
        const base = {
          assetId: candidate.assetId,
          locationId: location.id,
          bucket: location.bucket,
          keyPrefix,
        };
        try {
          const isExact = await publishOne(
            location,
            current,
            keyPrefix,
            { profile: fp[0], source: fp[1] },
            stop.signal,
          );
          // Re-ingested or removed meanwhile: what went up is not its renditions any more.
          const still = store.candidate(candidate.assetId) !== null;
          if (
            still &&
            store.save({ ...base, state: 'published', exact: isExact, error: null, attempts: 0 })
          ) {
            withRows.add(candidate.assetId);
            forgetExact(candidate.assetId, location.id);
            if (isExact) noteExact(candidate.assetId, location.id, keyPrefix);
            logger.info(
              `published asset ${candidate.assetId} to ${location.name}: ${keyPrefix}${isExact ? '' : ' (objects there already, not byte-identical)'}`,
            );
          }
          announce();
        } catch (error) {
          if (closed) return;
          const reason = errorText(error);
          logger.warn(
            `publishing asset ${candidate.assetId} to ${location.name} failed (tried again on the next pass): ${reason}`,
          );
          if (
            store.save({
              ...base,
              state: 'failed',
              exact: false,
              error: reason,
              attempts: (previous?.attempts ?? 0) + 1,
            })
          ) {
            withRows.add(candidate.assetId);
          }
          forgetExact(candidate.assetId, location.id);
          announce();
          if (locationWide(error)) return;
        }
      }
    } finally {
      uploading.delete(location.id);
      announce();
    }
  }

  async function pass(): Promise<void> {
    for (const location of options.locations()) {
      if (closed) return;
      if (!location.publishRenditions) continue;
      await passOver(location);
    }
  }

  /** Runs a pass now (or right after the running one); resolves when that pass has ended. */
  function publishNow(): Promise<void> {
    if (closed) return Promise.resolve();
    if (running) {
      // The running loop goes round once more before it settles.
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await pass().catch((error: unknown) => logger.error('publishing pass failed', error));
        } while (again && !closed);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  function soon(): void {
    if (closed) return;
    if (settleTimer) clearTimeout(settleTimer);
    settleTimer = setTimeout(() => {
      settleTimer = undefined;
      void publishNow();
    }, SETTLE_MS);
    settleTimer.unref();
  }

  const anyPublishing = () => options.locations().some((l) => l.publishRenditions);

  let offs: (() => void)[] = [];
  return {
    store,
    lookup,
    status,
    publishNow,
    /** Called by ingest as an asset's renditions commit: what made them. */
    recordProfile(assetId: number, profile: HouseProfile): void {
      try {
        store.recordProfile(assetId, profileFingerprint(profile), profile);
      } catch (error) {
        logger.warn(`could not record the house profile of asset ${assetId}: ${errorText(error)}`);
      }
    },
    /** After a location was added, edited or removed. */
    locationsChanged(): void {
      refreshBases();
      const present = new Set(options.locations().map((l) => l.id));
      // A removed location's rows went with it (ON DELETE CASCADE).
      for (const byLocation of exact.values()) {
        for (const locationId of byLocation.keys()) {
          if (!present.has(locationId)) byLocation.delete(locationId);
        }
      }
      // A moved bucket or folder makes earlier publications stale: published again.
      for (const location of options.locations()) {
        const root = `${location.prefix}${RENDITIONS_ROOT}`;
        for (const row of store.rowsOf(location.id)) {
          if (row.bucket !== location.bucket || !row.keyPrefix.startsWith(root)) {
            store.dropRow(row.assetId, location.id);
            forgetExact(row.assetId, location.id);
          }
        }
      }
      announce();
      if (anyPublishing()) soon();
    },
    start(): void {
      loadLookup();
      offs = [
        bus.on('assetChanged', (asset) => {
          if (asset.state !== 'ready' || asset.preview !== 'ready') {
            // Its renditions are going or being replaced: what was published is not them.
            // (Checked in memory first: progress events arrive several times a second.)
            if (withRows.delete(asset.id) && store.dropAsset(asset.id) > 0) {
              forgetExact(asset.id);
              announce();
            }
            return;
          }
          if (anyPublishing()) soon();
        }),
        bus.on('assetsRemoved', ({ ids }) => {
          for (const id of ids) {
            forgetExact(id);
            withRows.delete(id);
          }
          announce();
        }),
      ];
      timer = setInterval(() => void publishNow(), options.intervalMs ?? DEFAULT_INTERVAL_MS);
      timer.unref();
      if (anyPublishing()) soon();
    },
    async close(): Promise<void> {
      closed = true;
      for (const off of offs.splice(0)) off();
      if (timer) clearInterval(timer);
      if (settleTimer) clearTimeout(settleTimer);
      stop.abort();
      await running;
    },
  };
}
export type Publisher = ReturnType<typeof createPublisher>;
