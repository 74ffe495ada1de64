import { z } from 'zod';

export const Id = z.number().int().positive();

/** Probing → queued → ingesting → ready, or failed with a reason a person understands. */
export const AssetState = z.enum(['probing', 'queued', 'ingesting', 'ready', 'failed']);
export type AssetState = z.infer<typeof AssetState>;

export const PreviewState = z.enum(['pending', 'ready', 'failed']);
export type PreviewState = z.infer<typeof PreviewState>;

export const FolderSchema = z.object({
  id: Id,
  parentId: Id.nullable(),
  name: z.string(),
  /** Assets directly inside (not in sub-folders). */
  assetCount: z.number().int().nonnegative(),
});
export type Folder = z.infer<typeof FolderSchema>;

export const VideoStreamSchema = z.object({
  codec: z.string(),
  profile: z.string().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  fps: z.number().nullable(),
  fieldOrder: z.string().nullable(),
  rotation: z.number().int(),
  pixelFormat: z.string().nullable(),
  bitDepth: z.number().int().nullable(),
  variableFrameRate: z.boolean(),
});
export const AudioStreamSchema = z.object({
  codec: z.string(),
  channels: z.number().int(),
  sampleRate: z.number().int(),
});
export const ProbeSchema = z.object({
  container: z.string(),
  durationMs: z.number().int().nonnegative(),
  sizeBytes: z.number().int().nonnegative(),
  bitRate: z.number().int().nullable(),
  video: VideoStreamSchema.nullable(),
  audio: z.array(AudioStreamSchema),
});
export type Probe = z.infer<typeof ProbeSchema>;

export const RenditionSchema = z.object({
  kind: z.enum(['main', 'proxy']),
  width: z.number().int(),
  height: z.number().int(),
  bandwidth: z.number().int(),
  segmentCount: z.number().int(),
  durationMs: z.number().int(),
  /** Served by the core: `/media/{assetId}/{kind}/index.m3u8` (token needed). */
  playlistUrl: z.string(),
});

export const AssetSummarySchema = z.object({
  id: Id,
  folderId: Id,
  name: z.string(),
  tags: z.array(z.string()),
  state: AssetState,
  /** 0..1 while ingesting. */
  progress: z.number().min(0).max(1),
  error: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  videoCodec: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  sizeBytes: z.number().int().nullable(),
  posterUrl: z.string().nullable(),
  /**
   * The proxy rendition, poster and filmstrip, made after the asset is ready for air:
   * `pending` until they are in (posterUrl is null meanwhile), `failed` if they could not be
   * made (the asset stays ready; retry makes them again).
   */
  preview: PreviewState,
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type AssetSummary = z.infer<typeof AssetSummarySchema>;

export const AssetUsageSchema = z.object({
  channelId: Id,
  channelName: z.string(),
  itemId: Id,
  startsAt: z.number().int(),
});

export const AssetDetailSchema = AssetSummarySchema.extend({
  source: z.object({ kind: z.enum(['file', 's3', 'upload']), location: z.string() }),
  probe: ProbeSchema.nullable(),
  renditions: z.array(RenditionSchema),
  filmstrip: z
    .object({
      url: z.string(),
      columns: z.number().int(),
      rows: z.number().int(),
      intervalMs: z.number().int(),
      tileWidth: z.number().int(),
      tileHeight: z.number().int(),
    })
    .nullable(),
  usage: z.array(AssetUsageSchema),
});
export type AssetDetail = z.infer<typeof AssetDetailSchema>;

export const WatchFolderSchema = z.object({
  id: Id,
  /** Absolute directory on the core machine (symlinks resolved). */
  diskPath: z.string(),
  /** Library folder the files land in; sub-directories become sub-folders. */
  folderId: Id,
  enabled: z.boolean(),
  /** False when the directory is missing or unreadable; `error` says why. */
  watching: z.boolean(),
  error: z.string().nullable(),
  createdAt: z.number().int(),
});
export type WatchFolder = z.infer<typeof WatchFolderSchema>;

export const AssetSort = z.enum(['name', 'createdAt', 'durationMs', 'state', 'sizeBytes']);
const Name = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine((n) => !/[/\\\0]/.test(n) && n !== '.' && n !== '..', {
    message: 'a name cannot contain / or \\ or be . or ..',
  });

export const AssetQuerySchema = z
  .object({
    /** Omit to search the whole library. */
    folderId: Id.optional(),
    /** Include sub-folders of folderId. */
    recursive: z.boolean().default(false),
    text: z.string().max(200).optional(),
    tag: z.string().max(100).optional(),
    state: AssetState.optional(),
    videoCodec: z.string().max(50).optional(),
    minDurationMs: z.number().int().nonnegative().optional(),
    maxDurationMs: z.number().int().nonnegative().optional(),
    sort: AssetSort.default('name'),
    direction: z.enum(['asc', 'desc']).default('asc'),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(5000).default(500),
  })
  .strict();
export type AssetQuery = z.input<typeof AssetQuerySchema>;

export const libraryMethods = {
  libraryFolders: { request: z.object({}).strict(), response: z.array(FolderSchema) },
  libraryCreateFolder: {
    request: z.object({ parentId: Id, name: Name }).strict(),
    response: FolderSchema,
  },
  libraryRenameFolder: {
    request: z.object({ id: Id, name: Name }).strict(),
    response: FolderSchema,
  },
  libraryMoveFolder: {
    request: z.object({ id: Id, parentId: Id }).strict(),
    response: FolderSchema,
  },
  /** Refused with `conflict` if the folder holds assets used by the schedule. */
  libraryDeleteFolder: {
    request: z.object({ id: Id }).strict(),
    response: z.object({ deletedAssets: z.number().int() }),
  },
  libraryQuery: {
    request: AssetQuerySchema,
    response: z.object({ total: z.number().int(), items: z.array(AssetSummarySchema) }),
  },
  libraryAsset: { request: z.object({ id: Id }).strict(), response: AssetDetailSchema },
  libraryRenameAsset: {
    request: z.object({ id: Id, name: Name }).strict(),
    response: AssetSummarySchema,
  },
  librarySetTags: {
    request: z
      .object({ id: Id, tags: z.array(z.string().trim().min(1).max(100)).max(50) })
      .strict(),
    response: AssetSummarySchema,
  },
  libraryMoveAssets: {
    request: z.object({ ids: z.array(Id).min(1).max(10000), folderId: Id }).strict(),
    response: z.object({ moved: z.number().int() }),
  },
  /**
   * An asset used by the schedule is never deleted (the schedule RESTRICTs it). Without `force`,
   * any scheduled asset among `ids` refuses the whole call with `conflict` and a message saying
   * where it is used (`libraryAsset().usage` has the details). With `force`, the unused ones are
   * deleted and the scheduled ones are left in place and listed in `skipped`.
   */
  libraryDeleteAssets: {
    request: z
      .object({ ids: z.array(Id).min(1).max(10000), force: z.boolean().default(false) })
      .strict(),
    response: z.object({ deleted: z.number().int(), skipped: z.array(Id).default([]) }),
  },
  /** Import files already on this machine's disk (desktop drop, server paths). */
  libraryImportPaths: {
    request: z
      .object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(10000), folderId: Id })
      .strict(),
    response: z.object({
      assets: z.array(
        z.object({ path: z.string(), assetId: Id.nullable(), error: z.string().nullable() }),
      ),
    }),
  },
  ingestRetry: { request: z.object({ id: Id }).strict(), response: AssetSummarySchema },
  ingestCancel: { request: z.object({ id: Id }).strict(), response: AssetSummarySchema },
  /**
   * Resolves a slash-separated library path ("News/2026/November", relative to the root) to its
   * folder; with `create`, missing folders are made on the way.
   */
  libraryFolderPath: {
    request: z.object({ path: z.string().max(4096), create: z.boolean().default(false) }).strict(),
    response: FolderSchema,
  },
  watchFoldersList: { request: z.object({}).strict(), response: z.array(WatchFolderSchema) },
  /** `diskPath` is an absolute, existing directory on the core machine. */
  watchFoldersAdd: {
    request: z.object({ diskPath: z.string().min(1).max(4096), folderId: Id }).strict(),
    response: WatchFolderSchema,
  },
  /** Stops watching; assets already imported stay in the library. */
  watchFoldersRemove: { request: z.object({ id: Id }).strict(), response: z.object({ id: Id }) },
} as const;

export const libraryEvents = {
  /** A new or changed asset (state, progress, name, folder, tags). */
  assetChanged: AssetSummarySchema,
  assetsRemoved: z.object({ ids: z.array(Id) }),
  foldersChanged: z.object({ folders: z.array(FolderSchema) }),
  watchFoldersChanged: z.object({ watchFolders: z.array(WatchFolderSchema) }),
} as const;
