import { z } from 'zod';
import { Id } from './library';

/**
 * Storage locations (S3 endpoints: AWS or any S3-compatible server) and the local cache of
 * their objects. A location is browsed like a folder; its objects become library assets without
 * being copied into the library folder first: the cache fetches each object once (one download
 * however many callers ask), verifies it and keeps it while anything on air within the horizon
 * or a pin needs it.
 *
 * Secrets are write-only: a request may carry `accessKeyId` + `secretAccessKey`, no response ever
 * returns the secret (only where the credentials come from and the key id's last characters).
 */

/** A bucket name as S3 allows it (3–63 lowercase letters, digits, dots, hyphens). */
const BucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a bucket name is 3–63 of a-z, 0-9, . and -');
/** Key prefix inside the bucket: no leading slash; ends with `/` when not empty. */
const KeyPrefix = z
  .string()
  .max(1024)
  .refine((p) => !p.startsWith('/'), { message: 'a prefix does not start with /' })
  .refine((p) => p === '' || p.endsWith('/'), { message: 'a prefix ends with /' });
const HttpUrl = z
  .string()
  .max(2048)
  .refine((u) => /^https?:\/\/[^\s/]+/i.test(u) && URL.canParse(u), {
    message: 'an http(s) URL',
  });
const ObjectKey = z
  .string()
  .min(1)
  .max(1024)
  .refine((k) => !k.endsWith('/'), { message: 'an object key, not a folder' });

/** Where a location's credentials come from (see README "S3 credentials"). */
export const CredentialSource = z.enum([
  /** Desktop: encrypted with the OS keychain (Electron safeStorage). */
  'keychain',
  /** serve: `<dataDir>/s3-credentials.json` (mode 0600). */
  'file',
  /** AIRDECK_S3_* environment variables (override stored ones). */
  'environment',
  /** None stored: the AWS SDK's own chain (AWS_* variables, ~/.aws, instance roles). */
  'default-chain',
]);
export type CredentialSource = z.infer<typeof CredentialSource>;

export const StorageLocationSchema = z.object({
  id: Id,
  name: z.string(),
  /** Null: AWS itself (endpoint derived from the region). */
  endpoint: z.string().nullable(),
  region: z.string(),
  bucket: z.string(),
  prefix: z.string(),
  /** `http://host/bucket/key` instead of `http://bucket.host/key` (most self-hosted servers). */
  pathStyle: z.boolean(),
  credentials: z.object({
    source: CredentialSource,
    /** Last 4 characters of the access key id, for recognising which key is in use. */
    accessKeyIdHint: z.string().nullable(),
  }),
  /**
   * Upload the house renditions (main and proxy segments, playlists, poster, filmstrip and a
   * manifest written last) of every ready asset imported from S3, under
   * `<prefix>airdeck/renditions/<profile fingerprint>/<source fingerprint>/`, in the background.
   * Another Airdeck importing the same object (bucket + key + ETag) with the same house profile
   * downloads them instead of transcoding. Assets from local files are not published.
   */
  publishRenditions: z.boolean(),
  /**
   * Where players fetch this location's objects (the bucket's public URL or a CDN in front of
   * it, allowing cross-origin GETs for browser players). When set, live main playlists name
   * each whole asset segment this Airdeck published byte for byte as
   * `<publicBaseUrl>/<object key>`, so Airdeck serves only the playlists; slate and cut
   * segments, and the proxy playlist (read by Airdeck's own monitoring), keep Airdeck's URLs.
   * Published segments carry the asset's own timestamps (not restamped onto the channel's
   * clock as Airdeck's segment route does): players that honour EXT-X-DISCONTINUITY (hls.js,
   * Safari, ExoPlayer) play them, since every programme start carries one; ffmpeg's HLS
   * demuxer, which does not, should read a station without a public base URL.
   */
  publicBaseUrl: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type StorageLocation = z.infer<typeof StorageLocationSchema>;

const locationFields = {
  name: z.string().trim().min(1).max(100),
  endpoint: HttpUrl.nullable().default(null),
  region: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{2,40}$/, 'a region such as us-east-1')
    .default('us-east-1'),
  bucket: BucketName,
  prefix: KeyPrefix.default(''),
  pathStyle: z.boolean().default(true),
  publishRenditions: z.boolean().default(false),
  publicBaseUrl: HttpUrl.nullable().default(null),
};
/** Both or neither: a key id without its secret cannot sign anything. */
const credentialFields = {
  accessKeyId: z.string().trim().min(1).max(256).optional(),
  secretAccessKey: z.string().min(1).max(1024).optional(),
};
const bothOrNeither = (c: { accessKeyId?: string; secretAccessKey?: string }) =>
  (c.accessKeyId === undefined) === (c.secretAccessKey === undefined);
const BOTH_OR_NEITHER = { message: 'give both accessKeyId and secretAccessKey, or neither' };

export const StorageLocationInputSchema = z
  .object({ ...locationFields, ...credentialFields })
  .strict()
  .refine(bothOrNeither, BOTH_OR_NEITHER);
export type StorageLocationInput = z.input<typeof StorageLocationInputSchema>;

export const StorageLocationPatchSchema = z
  .object({
    id: Id,
    name: locationFields.name.optional(),
    endpoint: HttpUrl.nullable().optional(),
    region: z
      .string()
      .trim()
      .regex(/^[a-z0-9-]{2,40}$/, 'a region such as us-east-1')
      .optional(),
    bucket: BucketName.optional(),
    prefix: KeyPrefix.optional(),
    pathStyle: z.boolean().optional(),
    publishRenditions: z.boolean().optional(),
    publicBaseUrl: HttpUrl.nullable().optional(),
    ...credentialFields,
    /** Forget stored credentials (the environment or the SDK chain is used instead). */
    clearCredentials: z.boolean().optional(),
  })
  .strict()
  .refine(bothOrNeither, BOTH_OR_NEITHER);
export type StorageLocationPatch = z.input<typeof StorageLocationPatchSchema>;

export const StorageFolderSchema = z.object({
  /** Full key prefix, ending with `/`: pass it back as `prefix` to open the folder. */
  prefix: z.string(),
  /** Last path component, without the slash. */
  name: z.string(),
});

export const StorageObjectSchema = z.object({
  key: z.string(),
  /** Last path component. */
  name: z.string(),
  size: z.number().int().nonnegative(),
  /** Without quotes. Multipart uploads end in `-N`. */
  etag: z.string(),
  lastModified: z.number().int().nullable(),
  /** The library asset already made from this object, if any. */
  assetId: Id.nullable(),
  /** A verified copy is in the local cache. */
  cached: z.boolean(),
});
export type StorageObject = z.infer<typeof StorageObjectSchema>;

export const StorageBrowseResultSchema = z.object({
  locationId: Id,
  prefix: z.string(),
  folders: z.array(StorageFolderSchema),
  objects: z.array(StorageObjectSchema),
  /** Pass back as `continuationToken` for the next page; null on the last page. */
  nextContinuationToken: z.string().nullable(),
});
export type StorageBrowseResult = z.infer<typeof StorageBrowseResultSchema>;

export const CacheSettingsSchema = z
  .object({
    /** Objects of assets airing within this many hours are kept and prefetched. */
    horizonHours: z
      .number()
      .min(1)
      .max(24 * 14),
    /** Unretained cached files unread for longer than this are purged. */
    orphanMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 365),
    /** Null: no cap. Over the cap, least recently read unretained files go first. */
    sizeCapBytes: z.number().int().min(1).nullable(),
    /** Below this much free space on the cache's disk: alarm and pause prefetch. */
    lowDiskFreeBytes: z.number().int().min(0),
    /**
     * Also hash every download and compare it with a single-part object's MD5 ETag. Size and
     * ETag are always checked (the GET asks for exactly the listed version, If-Match), and
     * HTTPS authenticates every byte in transit; the hash guards a plain-HTTP link, at about
     * 0.2 s of CPU per 128 MiB (on a loaded two-core machine, a third of the throughput).
     */
    checkContentMd5: z.boolean(),
  })
  .strict();
export type CacheSettings = z.infer<typeof CacheSettingsSchema>;

export const DownloadStateSchema = z.enum(['downloading', 'verifying', 'done', 'failed']);
export const DownloadProgressSchema = z.object({
  locationId: Id,
  key: z.string(),
  etag: z.string().nullable(),
  receivedBytes: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative().nullable(),
  state: DownloadStateSchema,
  error: z.string().nullable(),
});
export type DownloadProgress = z.infer<typeof DownloadProgressSchema>;

export const CacheAlarmKind = z.enum([
  /** A prefetch for an item airing within the horizon failed: the item is not ready for air. */
  'not_ready_for_air',
  /** Free space on the cache's disk is under the threshold; prefetch is paused. */
  'low_disk',
]);
export const CacheAlarmSchema = z.object({
  kind: CacheAlarmKind,
  /** Stable per condition (`not_ready_for_air:<assetId>`, `low_disk`): clearing reuses it. */
  id: z.string(),
  message: z.string(),
  assetId: Id.nullable(),
  /** When the earliest affected item airs (not_ready_for_air). */
  airsAt: z.number().int().nullable(),
  raisedAt: z.number().int(),
  /** True in the event that ends the condition. */
  cleared: z.boolean(),
});
export type CacheAlarm = z.infer<typeof CacheAlarmSchema>;

export const CacheStatusSchema = z.object({
  usedBytes: z.number().int().nonnegative(),
  entryCount: z.number().int().nonnegative(),
  /** Entries some scheduled item within the horizon or a pin needs. */
  retainedCount: z.number().int().nonnegative(),
  /** Retained objects not yet in the cache. */
  missingCount: z.number().int().nonnegative(),
  /** Files being read right now (never deleted). */
  openCount: z.number().int().nonnegative(),
  pinnedAssetIds: z.array(Id),
  downloads: z.array(DownloadProgressSchema),
  disk: z.object({
    freeBytes: z.number().int().nonnegative().nullable(),
    totalBytes: z.number().int().nonnegative().nullable(),
    low: z.boolean(),
  }),
  prefetchPaused: z.boolean(),
  lastPrefetchAt: z.number().int().nullable(),
  lastGcAt: z.number().int().nullable(),
  alarms: z.array(CacheAlarmSchema),
  settings: CacheSettingsSchema,
});
export type CacheStatus = z.infer<typeof CacheStatusSchema>;

/** Publishing of one location, counted over the ready assets imported from S3. */
export const PublishingLocationStatusSchema = z.object({
  locationId: Id,
  /** The manifest is in the bucket (uploaded here, or found there already). */
  published: z.number().int().nonnegative(),
  /** Ready and not yet tried (0 when the location does not publish). */
  pending: z.number().int().nonnegative(),
  /** The last attempt failed; tried again on the next pass. */
  failed: z.number().int().nonnegative(),
  /** A pass is uploading to this location now. */
  uploading: z.boolean(),
  /** The most recent failure's message, if any asset is failed. */
  lastError: z.string().nullable(),
});
export type PublishingLocationStatus = z.infer<typeof PublishingLocationStatusSchema>;
export const PublishingStatusSchema = z.object({
  locations: z.array(PublishingLocationStatusSchema),
});
export type PublishingStatus = z.infer<typeof PublishingStatusSchema>;

const Empty = z.object({}).strict();
const LocationRef = z.object({ id: Id }).strict();

export const storageMethods = {
  storageLocationsList: {
    request: Empty,
    response: z.object({ locations: z.array(StorageLocationSchema) }),
  },
  storageLocationsAdd: { request: StorageLocationInputSchema, response: StorageLocationSchema },
  storageLocationsUpdate: { request: StorageLocationPatchSchema, response: StorageLocationSchema },
  /** Refused while assets point at the location (their ids are in the error message). */
  storageLocationsRemove: { request: LocationRef, response: z.object({ id: Id }) },
  /**
   * Lists one key of the bucket with the location's credentials: a saved location (`id`) or a
   * draft from the settings form (`draft`), so the form can be checked before saving.
   */
  storageLocationsTest: {
    request: z
      .object({ id: Id.optional(), draft: StorageLocationInputSchema.optional() })
      .strict()
      .refine((r) => (r.id === undefined) !== (r.draft === undefined), {
        message: 'give either id or draft',
      }),
    response: z.object({ ok: z.boolean(), message: z.string() }),
  },
  /** One page (up to `limit`) of a folder: sub-folders (common prefixes) and objects. */
  storageBrowse: {
    request: z
      .object({
        locationId: Id,
        prefix: KeyPrefix.default(''),
        continuationToken: z.string().max(4096).nullable().default(null),
        limit: z.number().int().min(1).max(1000).default(500),
      })
      .strict(),
    response: StorageBrowseResultSchema,
  },
  /**
   * Makes a library asset per object (an object imported before returns its existing asset),
   * then fetches it through the cache and ingests the cached file. Returns at once; progress
   * arrives as `downloadProgress` then `assetChanged`.
   */
  storageImport: {
    request: z
      .object({ locationId: Id, keys: z.array(ObjectKey).min(1).max(1000), folderId: Id })
      .strict(),
    response: z.object({
      assets: z.array(
        z.object({ key: z.string(), assetId: Id.nullable(), error: z.string().nullable() }),
      ),
    }),
  },
  /** Published / pending / failed assets per location; kept current by `publishingChanged`. */
  storagePublishingStatus: { request: Empty, response: PublishingStatusSchema },
  cacheStatus: { request: Empty, response: CacheStatusSchema },
  cacheSettingsGet: { request: Empty, response: CacheSettingsSchema },
  cacheSettingsSet: {
    request: CacheSettingsSchema.partial().strict(),
    response: CacheSettingsSchema,
  },
  /** A pinned asset's object stays cached (and is prefetched) whatever the schedule says. */
  cachePin: {
    request: z.object({ assetId: Id, pinned: z.boolean() }).strict(),
    response: z.object({ assetId: Id, pinned: z.boolean() }),
  },
} as const;

export const storageEvents = {
  storageLocationsChanged: z.object({ locations: z.array(StorageLocationSchema) }),
  /** At most a few per second per download, plus its last state (`done` or `failed`). */
  downloadProgress: DownloadProgressSchema,
  /** After a download lands, a purge, a pin or a settings change. */
  cacheChanged: CacheStatusSchema,
  /** Raised and cleared (same `id`, `cleared: true`). */
  cacheAlarm: CacheAlarmSchema,
  /** After each asset a publishing pass uploads (or fails), and when a pass starts or ends. */
  publishingChanged: PublishingStatusSchema,
} as const;
