import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo, MediaAccess } from '../../src-shared/contract';
import { systemClock, type Clock } from './clock/clock';
import { startSecondTicker } from './clock/ticker';
import { openDatabase } from './db/open-database';
import { startWalCheckpointer } from './db/wal-checkpointer';
import { EventBus } from './events/event-bus';
import { createFfmpegRegistry, type FfmpegRegistry } from './ffmpeg';
import { detectFfmpeg, type FfmpegStatus } from './ffmpeg-status';
import { createHealthService, type HealthService } from './health/health-service';
import { createDispatcher, type Dispatch, type Handlers } from './rpc/dispatcher';
import { createSettingsService, type SettingsService } from './settings/settings-service';
import type { Logger } from './logger';
import type { CoreContext } from './core-context';
import { createIngestService } from './ingest/ingest-service';
import type { IngestService } from './ingest/types';
import { createLibraryFeature, type LibraryService } from './library/library-feature';
import { createPathGuard, defaultAllowedRoots } from './library/allowed-roots';
import { createScheduleFeature } from './schedule/schedule-feature';
import { createPlayoutFeature, type PlayoutApi } from './playout';
import { createPushOutputsFeature } from './outputs/push-outputs-feature';
import { createMonitorFeature, type MonitorApi } from './monitor';
import { createStorageFeature, type PublishingApi } from './storage/storage-feature';
import type { SecretBox } from './storage/credentials';
import type { CacheService } from './cache/cache-service';
import { createWallFeature, type WallApi } from './wall';
import { createPeopleFeature } from './people/people-feature';
import type { PeopleService } from './people/people-service';
import { createChannelResolver } from './people/channel-resolver';
import { createRecorderFeature, type RecorderApi, type RecorderFeatureOptions } from './recorder';
import { createChatFeature, type Presence } from './chat';
import { createShiftsFeature, type StatsApi } from './shifts/shifts-feature';
import { createNotesFeature, type NotesApi, type NotesFeatureOptions } from './notes';
import { createReportSchedulesFeature } from './reports/report-schedules-feature';
import { createReportDelivery } from './reports/report-targets';
import { createApiKeysFeature } from './api-keys/api-keys-feature';
import type { ApiKeysService } from './api-keys/api-keys-service';
import { createSubscribersFeature } from './subscribers/subscribers-feature';
import type { SubscribersService } from './subscribers/subscribers-service';
import type { ApiEventLog } from './api-keys/api-event-log';
import {
  createAudienceFeature,
  type AudienceApi,
  type AudienceFeatureOptions,
} from './audience/audience-feature';

export type CoreOptions = {
  dataDir: string;
  mode: AppInfo['mode'];
  version: string;
  logger: Logger;
  clock?: Clock;
  nativeBinding?: string;
  /** False: no alarm detectors on channels (load benchmarks); outside streams still run. */
  monitorChannels?: boolean;
  /** Interval of health events; the clock ticks every second regardless. */
  healthIntervalMs?: number;
  /** Desktop: S3 secrets encrypted with the OS keychain; serve keeps them in a 0600 file. */
  secretBox?: SecretBox | null;
  /** Storage prefetch/purge period (tests shorten it). */
  cachePassIntervalMs?: number;
  /** Rendition publishing pass period (tests shorten it). */
  publishPassIntervalMs?: number;
  /**
   * Set on the command line (`serve --public-url`, `--allow-root`): wins over the station
   * setting of the same name for this run, so a server's operator can pin it.
   */
  publicBaseUrl?: string | null;
  allowedRoots?: readonly string[] | null;
  /** How long integrators' events are kept for Last-Event-ID resume (default 24 h). */
  apiEventRetentionMs?: number;
  /** How long an idle HLS session of a subscriber still counts as a stream (tests shorten it). */
  subscriberStreamIdleMs?: number;
  /** Recorder timings and disk checks (tests shorten or inject them). */
  recorder?: RecorderFeatureOptions;
  /** Desk statistics roll-up timings (tests shorten them). */
  notes?: NotesFeatureOptions;
  /** Audience roll-up timings and bounds (tests shorten them). */
  audience?: AudienceFeatureOptions;
};

export type Core = {
  bus: EventBus;
  dispatch: Dispatch;
  info: AppInfo;
  health: HealthService;
  settings: SettingsService;
  ffmpeg: FfmpegStatus;
  ffmpegRegistry: FfmpegRegistry;
  context: CoreContext;
  ingest: IngestService;
  library: LibraryService;
  playout: PlayoutApi;
  /** Alarms, detectors, viewers per channel (the HTTP server reports requests here). */
  monitor: MonitorApi;
  /** The S3 object cache (fetch, open, purge, prefetch). */
  cache: CacheService;
  /** Saved wall layouts; the desktop app registers its displays here. */
  wall: WallApi;
  /** Renditions published to storage locations: where players may fetch an asset's segments. */
  publishing: PublishingApi;
  /** Where players reach the station: `--public-url`, else the setting, else null. */
  publicBaseUrl(): string | null;
  /** Accounts, sessions and the audit log; transports authenticate windows here. */
  people: PeopleService;
  /** Recorded outside sources: playlists of any window, segments, holds, review files. */
  recorder: RecorderApi;
  /** Who is on which screen; transports report closed windows here. */
  presence: Pick<Presence, 'disconnect'>;
  /** Desk statistics: the review desk records its event log here; reports read notes from it. */
  stats: StatsApi;
  /** Notes on recordings; the desk statistics feed (rolled up on a timer). */
  notes: NotesApi;
  /** Integrator keys: `/api/v1` authenticates bearers here and counts their usage. */
  apiKeys: ApiKeysService;
  /** What `/api/v1/events` streams: this core's events, retained for resume. */
  apiEvents: ApiEventLog;
  /** Viewer subscriptions: the public outputs ask here about every `sub_` key. */
  subscribers: SubscribersService;
  /** Viewer sessions and audience history: the HTTP server reports each player request here. */
  audience: AudienceApi;
  /** Transports report how many windows are connected (shown in health). */
  trackConnection(): () => void;
  /** Set by whoever starts the HTTP server (serve, the desktop app); answered by `mediaAccess`. */
  publishHttpEndpoint(access: MediaAccess): void;
  close(): Promise<void>;
};

/** Builds every service on one data folder. Used by Electron's main process and by `serve`. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  mkdirSync(options.dataDir, { recursive: true });
  const dbFile = join(options.dataDir, 'airdeck.db');
  const { db, schemaVersion } = openDatabase(
    dbFile,
    options.nativeBinding ? { nativeBinding: options.nativeBinding } : {},
  );
  const checkpointer = startWalCheckpointer({
    db,
    file: dbFile,
    logger: options.logger,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });

  const bus = new EventBus();
  const { status: ffmpeg, binaries } = await detectFfmpeg();
  if (ffmpeg.path)
    options.logger.info(`ffmpeg ${ffmpeg.version ?? '?'} from ${ffmpeg.source}: ${ffmpeg.path}`);
  else options.logger.warn(`ffmpeg not available: ${ffmpeg.error ?? 'unknown reason'}`);
  const ffmpegRegistry = createFfmpegRegistry();

  let connections = 0;
  let mediaAccess: MediaAccess = { baseUrl: null, token: null };
  const settings = createSettingsService(db, bus, () => clock.now());
  const health = createHealthService({
    version: options.version,
    startedAt,
    now: () => clock.now(),
    db,
    dbFile,
    schemaVersion,
    ffmpeg,
    connections: () => connections,
  });
  const info: AppInfo = {
    name: 'Airdeck',
    version: options.version,
    mode: options.mode,
    dataDir: options.dataDir,
    platform: `${process.platform}-${process.arch}`,
    nodeVersion: process.versions.node,
    startedAt,
  };

  const mediaDir = join(options.dataDir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  const context: CoreContext = {
    db,
    bus,
    clock,
    logger: options.logger,
    dataDir: options.dataDir,
    mediaDir,
    settings,
    ffmpeg: { status: ffmpeg, binaries, registry: ffmpegRegistry },
  };
  // Features in dependency order; they are closed in reverse.
  // Storage before ingest: ingest reads S3 sources through its cache; imports queue ingest.
  const storage = createStorageFeature(context, {
    secretBox: options.secretBox ?? null,
    // Called only on imports, long after `ingest` below exists.
    enqueueIngest: (id) => ingest.enqueue(id),
    ...(options.cachePassIntervalMs ? { prefetchIntervalMs: options.cachePassIntervalMs } : {}),
    ...(options.publishPassIntervalMs ? { publishIntervalMs: options.publishPassIntervalMs } : {}),
  });
  const ingest = createIngestService(context, {
    openS3: storage.openAssetSource,
    ...storage.publishing.ingestSources,
  });
  // `<data>/import` exists, so the default root is a place files can be dropped into.
  mkdirSync(join(options.dataDir, 'import'), { recursive: true });
  const allowedRoots = (): readonly string[] =>
    options.allowedRoots ??
    settings.get().allowedRoots ??
    defaultAllowedRoots(options.dataDir, options.mode);
  const allowedPaths = createPathGuard(allowedRoots);
  const library = createLibraryFeature(context, ingest, { allowedPaths });
  const schedule = createScheduleFeature(context);
  const playout = createPlayoutFeature(context);
  // Pushes read live.ts from the HTTP server, so they wait for it to be published.
  const pushOutputs = createPushOutputsFeature(context, playout.playout, () => mediaAccess);
  const wall = createWallFeature(context);
  // Detectors read the channels' proxies from the HTTP server too.
  const monitor = createMonitorFeature(context, {
    playout: playout.playout,
    endpoint: () => mediaAccess,
    monitorChannels: options.monitorChannels,
    cacheUsage: () => ({ usedBytes: storage.cache.status().usedBytes, limitBytes: null }),
  });
  const people = createPeopleFeature(context);
  // Clips are delivered to storage locations and to folders inside the allowed folders.
  const recorder = createRecorderFeature(context, options.recorder, {
    buckets: storage.bucketFor,
    folders: allowedPaths,
  });
  const chat = createChatFeature(context, people.people);
  const shifts = createShiftsFeature(context, { handoverNote: chat.handoverNote });
  const publicBaseUrl = (): string | null =>
    options.publicBaseUrl !== undefined && options.publicBaseUrl !== null
      ? options.publicBaseUrl.replace(/\/+$/, '')
      : settings.get().publicBaseUrl;
  const notes = createNotesFeature(
    context,
    {
      recorder: recorder.recorder,
      stats: shifts.stats,
      statsRetentionDays: () => shifts.stats.retentionDays(),
      // Report links fall back to the address this core serves on when none is configured.
      linkBase: () => publicBaseUrl() ?? mediaAccess.baseUrl,
    },
    options.notes,
  );
  // Scheduled reports are written under the allowed folders or `<data>/reports`, never elsewhere.
  const reportsDir = join(options.dataDir, 'reports');
  mkdirSync(reportsDir, { recursive: true });
  const locationById = db.prepare<[number], { id: number }>(
    'SELECT id FROM storage_locations WHERE id = ?',
  );
  const reportSchedules = createReportSchedulesFeature(context, {
    ...shifts.reports,
    delivery: createReportDelivery({
      folders: createPathGuard(() => [reportsDir, ...allowedRoots()]),
      putObject: storage.putObject,
      locationExists: (id) => locationById.get(id) !== undefined,
    }),
  });
  const apiKeys = createApiKeysFeature(context, {
    ...(options.apiEventRetentionMs ? { eventRetentionMs: options.apiEventRetentionMs } : {}),
  });
  const subscribers = createSubscribersFeature(context, {
    ...(options.subscriberStreamIdleMs ? { streamIdleMs: options.subscriberStreamIdleMs } : {}),
  });
  const audience = createAudienceFeature(context, options.audience);
  const features = [
    people,
    library,
    schedule,
    playout,
    pushOutputs,
    monitor,
    wall,
    recorder,
    chat,
    shifts,
    notes,
    reportSchedules,
    apiKeys,
    subscribers,
    audience,
  ];

  const handlers: Handlers = {
    appInfo: () => info,
    // The desktop page reads media from the loopback server, where its cookie does not reach:
    // it gets a short-lived ticket. Browsers are same-origin and use their cookie.
    mediaAccess: (_request, caller) => ({
      baseUrl: mediaAccess.baseUrl,
      token:
        caller.kind === 'window' && caller.principal && caller.meta.transport === 'desktop'
          ? people.people.mediaTicket(caller.principal)
          : null,
    }),
    healthGet: () => health.snapshot(),
    settingsGet: () => settings.get(),
    settingsSet: (patch) => settings.set(patch),
    ...people.handlers,
    ...library.handlers,
    ...schedule.handlers,
    ...playout.handlers,
    ...pushOutputs.handlers,
    ...monitor.handlers,
    ...storage.handlers,
    ...wall.handlers,
    ...recorder.handlers,
    ...chat.handlers,
    ...shifts.handlers,
    ...notes.handlers,
    ...reportSchedules.handlers,
    ...apiKeys.handlers,
    ...subscribers.handlers,
    ...audience.handlers,
  };
  const dispatch = createDispatcher(handlers, {
    onInternalError: (method, error) => options.logger.error(`${method} failed`, error),
    channelsOf: createChannelResolver(db),
    sourcesOf: (method, request) => [
      ...notes.notes.sourcesOf(method, request),
      ...recorder.recorder.sourcesOf(method, request),
    ],
    audit: (record) => people.recordAudit(record),
  });

  for (const feature of features) feature.start?.();
  storage.start?.();
  ingest.resume();

  const stopClock = startSecondTicker(clock, (now) => bus.emit('clockTick', { now }));
  const healthTimer = setInterval(
    () => bus.emit('healthTick', health.snapshot()),
    options.healthIntervalMs ?? 5000,
  );
  healthTimer.unref();

  let closed: Promise<void> | undefined;
  return {
    bus,
    dispatch,
    info,
    health,
    settings,
    ffmpeg,
    ffmpegRegistry,
    context,
    ingest,
    library: library.library,
    playout: playout.playout,
    monitor: monitor.monitor,
    cache: storage.cache,
    wall: wall.wall,
    people: people.people,
    recorder: recorder.recorder,
    presence: chat.presence,
    stats: shifts.stats,
    notes: notes.notes,
    apiKeys: apiKeys.apiKeys,
    apiEvents: apiKeys.apiEvents,
    subscribers: subscribers.subscribers,
    audience: audience.audience,
    publishing: storage.publishing,
    publicBaseUrl,
    publishHttpEndpoint(access) {
      mediaAccess = access;
      void pushOutputs.reconcile();
      monitor.monitor.reconcile();
    },
    trackConnection() {
      connections += 1;
      let done = false;
      return () => {
        if (!done) connections -= 1;
        done = true;
      };
    },
    close() {
      closed ??= (async () => {
        stopClock();
        clearInterval(healthTimer);
        for (const feature of [...features].reverse()) await feature.close?.();
        await ingest.close();
        // After ingest: its jobs stop waiting first; partial downloads stay and resume.
        await storage.close?.();
        await ffmpegRegistry.killAll();
        await checkpointer.stop();
        db.close();
      })();
      return closed;
    },
  };
}
