// Monitoring: a detector per watched source, the alarm book, media readiness, playout's
// alarms, outside streams and the dashboard's figures. See src-shared/contract/monitor.ts.
import type {
  CacheAlarm,
  RecorderAlarm,
  AlarmsSettings,
  DashboardFigures,
  DetectorStatus as ContractDetectorStatus,
  MediaAccess,
  MonitorSource,
} from '../../../src-shared/contract';
import { dashboardChannelRow } from '../../../src-shared/contract';
import type { CoreContext, Feature } from '../core-context';
import { AppError } from '../errors';
import type { BackoffOptions } from '../ffmpeg';
import { ownChannelUrl } from '../http/own-channel-url';
import type { PlayoutApi } from '../playout';
import { createAlarmBook, type AlarmBook } from './alarm-book';
import { createAlarmsSettingsStore } from './alarm-settings';
import { createAlarmStore } from './alarm-store';
import { startDetector, type Detector, type DetectorTransition } from './detector';
import { createMediaReadinessQuery } from './media-readiness';
import { createChannelAirPlan } from './planned-air';
import { createSourceStore, type SourceRow } from './source-store';
import { probeStream } from './stream-probe';
import { createCpuMeter, diskFigures, ffmpegFigures, processFigures } from './system-figures';
import { createViewerCounter } from './viewer-counter';

export type MonitorMethod =
  | 'monitorSourcesList'
  | 'monitorSourceAdd'
  | 'monitorSourceUpdate'
  | 'monitorSourceRemove'
  | 'monitorSourceProbe'
  | 'alarmsList'
  | 'alarmAcknowledge'
  | 'alarmsAcknowledgeAll'
  | 'alarmsSettingsGet'
  | 'alarmsSettingsSet'
  | 'dashboardGet';

export type MonitorApi = {
  /** A player fetched a playlist or segment of this channel (the HTTP server reports 2xx hits). */
  countViewer(slug: string, address: string, userAgent: string | undefined): void;
  /** Entries in the viewer table (bounded; tests and benchmarks read it). */
  viewerTableSize(): number;
  /** Start/stop detectors to match what should be watched now. */
  reconcile(): void;
  /** Check the schedule for media not ready now (also runs every 30 s and on changes). */
  checkReadiness(): void;
  alarms: AlarmBook;
  figures(): DashboardFigures;
};

export type MonitorOptions = {
  playout: PlayoutApi;
  endpoint: () => MediaAccess;
  /** False: no detector for channels whatever the cap (load benchmarks). */
  monitorChannels?: boolean;
  /** The S3 media cache's usage when the station has one. */
  cacheUsage?: () => DashboardFigures['cache'];
  dashboardIntervalMs?: number;
  readinessIntervalMs?: number;
  detectorBackoff?: Partial<BackoffOptions>;
};

const DEFAULT_ACKNOWLEDGER = 'operator';
const LABEL = 'monitor';

type Watched = {
  key: string;
  sourceKind: 'channel' | 'outside';
  sourceId: number;
  name: string;
  url: string;
  detector: Detector;
};

/** The channel's proxy rendition on our own server (loopback for an unspecified address). */
export function proxyPlaylistUrl(baseUrl: string, slug: string, key: string | null): string {
  return ownChannelUrl(baseUrl, slug, 'proxy.m3u8', key);
}

export function createMonitorFeature(
  context: CoreContext,
  options: MonitorOptions,
): Feature<MonitorMethod> & { monitor: MonitorApi } {
  const { db, bus, clock, logger } = context;
  const { playout } = options;
  const settingsStore = createAlarmsSettingsStore(db);
  const alarmStore = createAlarmStore(db);
  const sources = createSourceStore(db, () => clock.now());
  const book = createAlarmBook({
    store: alarmStore,
    bus,
    clock,
    settings: () => settingsStore.get(),
  });
  const viewers = createViewerCounter();
  const unready = createMediaReadinessQuery(db);
  const cpu = createCpuMeter();
  /** The last dashboard tick's CPU figure: what a window asking between ticks is shown. */
  let tickCpuPercent: number | null = null;
  const watched = new Map<string, Watched>();
  let closed = false;
  /** Runs `run` once, `ms` from the first of any number of calls in between. */
  const coalesced = (run: () => void, ms: number) => {
    let timer: NodeJS.Timeout | null = null;
    return {
      soon: () => {
        if (timer || closed) return;
        timer = setTimeout(() => {
          timer = null;
          run();
        }, ms);
        timer.unref();
      },
      cancel: () => {
        if (timer) clearTimeout(timer);
      },
    };
  };

  const channelRows = db.prepare<[], { id: number; slug: string; name: string; enabled: number }>(
    'SELECT id, slug, name, enabled FROM channels ORDER BY sort_order, number',
  );
  const ingestCounts = db.prepare<[], { state: string; n: number }>(
    'SELECT state, count(*) AS n FROM assets GROUP BY state',
  );
  const assetName = db.prepare<[number], { name: string }>('SELECT name FROM assets WHERE id = ?');
  let channelCache: { id: number; slug: string; name: string; enabled: number }[] | null = null;
  const channels = () => (channelCache ??= channelRows.all());

  // ---- detectors -------------------------------------------------------------------------

  const onTransition = (w: Omit<Watched, 'detector'>, t: DetectorTransition) => {
    const subject = { sourceKind: w.sourceKind, sourceId: w.sourceId, kind: t.kind };
    // Stream-time transitions are noticed as they happen on a live source: stamp them now.
    const at = t.clock === 'wall' ? t.atMs : clock.now();
    if (t.type === 'raise') book.raise({ ...subject, sourceName: w.name, message: t.message, at });
    else book.clear(subject, at);
  };

  const sourcesPayload = (): MonitorSource[] => sources.list().map((row) => toSource(row));
  const toSource = (row: SourceRow): MonitorSource => {
    const status = watched.get(`outside:${row.id}`)?.detector.status();
    return {
      id: row.id,
      name: row.name,
      url: row.url,
      enabled: row.enabled,
      probe: row.probe,
      probeError: row.probeError,
      probedAt: row.probedAt,
      state: status?.state ?? 'stopped',
      since: status?.since ?? row.createdAt,
      createdAt: row.createdAt,
    };
  };
  const announceSources = () => bus.emit('monitorSourcesChanged', { sources: sourcesPayload() });

  const startWatching = (w: Omit<Watched, 'detector'>): Watched => {
    const binary = context.ffmpeg.binaries!.ffmpeg.path;
    const detector = startDetector({
      url: w.url,
      label: `${LABEL} ${w.sourceKind} ${w.sourceId}`,
      binary,
      registry: context.ffmpeg.registry,
      clock,
      settings: settingsStore.get(),
      backoff: options.detectorBackoff,
      onTransition: (t) => onTransition(w, t),
      // The station's own slate is not a fault: only a channel knows when it plays.
      planned:
        w.sourceKind === 'channel'
          ? createChannelAirPlan(playout, w.sourceId, () => clock.now())
          : undefined,
      onStatus: () => {
        if (w.sourceKind === 'outside' && !closed) announceSources();
      },
    });
    return { ...w, detector };
  };

  const wanted = (): Omit<Watched, 'detector'>[] => {
    const out: Omit<Watched, 'detector'>[] = [];
    if (!context.ffmpeg.binaries || closed) return out;
    const settings = settingsStore.get();
    const { baseUrl } = options.endpoint();
    if (options.monitorChannels !== false && baseUrl && settings.monitoredChannelsCap > 0) {
      const onAir = new Set(playout.onAir());
      const { requireKey, key } = playout.outputs.get();
      const picked = channels()
        .filter((c) => c.enabled === 1 && onAir.has(c.id))
        .sort((a, b) => a.id - b.id)
        .slice(0, settings.monitoredChannelsCap);
      for (const c of picked)
        out.push({
          key: `channel:${c.id}`,
          sourceKind: 'channel',
          sourceId: c.id,
          name: c.name,
          url: proxyPlaylistUrl(baseUrl, c.slug, requireKey ? key : null),
        });
    }
    for (const s of sources.list())
      if (s.enabled)
        out.push({
          key: `outside:${s.id}`,
          sourceKind: 'outside',
          sourceId: s.id,
          name: s.name,
          url: s.url,
        });
    return out;
  };

  const stopWatching = (w: Watched) => {
    watched.delete(w.key);
    void w.detector.stop().catch((error: unknown) => logger.error(`monitor ${w.key} stop`, error));
  };

  const reconcileNow = () => {
    const next = new Map(wanted().map((w) => [w.key, w]));
    let outsideChanged = false;
    for (const w of [...watched.values()]) {
      const want = next.get(w.key);
      if (want && want.url === w.url && want.name === w.name) continue;
      stopWatching(w);
      if (w.sourceKind === 'outside') outsideChanged = true;
    }
    for (const [key, w] of next) {
      if (watched.has(key)) continue;
      watched.set(key, startWatching(w));
      if (w.sourceKind === 'outside') outsideChanged = true;
    }
    // Alarms of channels no longer watched (off air, over the cap) are cleared by their
    // detector's stop; media-not-ready and playout alarms are not detector alarms.
    if (outsideChanged) announceSources();
  };
  // Programme changes of many channels arrive together: one pass for all of them.
  const reconcileLater = coalesced(reconcileNow, 100);
  const reconcileSoon = reconcileLater.soon;

  // ---- media readiness and playout alarms ------------------------------------------------

  const checkReadiness = () => {
    if (closed) return;
    const settings = settingsStore.get();
    const now = clock.now();
    const found = settings.kinds['media-not-ready'].enabled
      ? unready(now, settings.thresholds.mediaNotReadyHorizonMs)
      : [];
    const keys = new Set<string>();
    for (const item of found) {
      keys.add(`${item.channelId}:${item.itemId}`);
      const minutes = Math.max(0, Math.round((item.startsAt - now) / 60_000));
      book.raise({
        sourceKind: 'channel',
        sourceId: item.channelId,
        sourceName: item.channelName,
        kind: 'media-not-ready',
        itemId: item.itemId,
        message: `"${item.assetName}" airs in ${minutes} min and is ${item.assetState}`,
      });
    }
    book.clearWhere(
      (a) => a.kind === 'media-not-ready' && !keys.has(`${a.sourceId}:${a.itemId ?? ''}`),
    );
  };
  const readinessLater = coalesced(checkReadiness, 500);
  const checkReadinessSoon = readinessLater.soon;

  const playoutQuiet = new Map<number, NodeJS.Timeout>();
  const onPlayoutAlarm = (alarm: { channelId: number; message: string }) => {
    const settings = settingsStore.get().kinds.playout;
    const channel = channels().find((c) => c.id === alarm.channelId);
    const subject = {
      sourceKind: 'channel' as const,
      sourceId: alarm.channelId,
      kind: 'playout' as const,
    };
    book.raise({
      ...subject,
      sourceName: channel?.name ?? `#${alarm.channelId}`,
      message: alarm.message,
    });
    // Playout says when something goes wrong, not when it is right again: the alarm clears
    // after a quiet spell (the kind's clear delay, at least a minute).
    clearTimeout(playoutQuiet.get(alarm.channelId));
    const timer = setTimeout(
      () => {
        playoutQuiet.delete(alarm.channelId);
        book.clear(subject);
      },
      Math.max(60_000, settings.clearDelayMs),
    );
    timer.unref();
    playoutQuiet.set(alarm.channelId, timer);
  };

  // The media cache says when a scheduled S3 object could not be fetched before air and when
  // the disk is nearly full; both belong in the one alarm list operators watch.
  const onCacheAlarm = (alarm: CacheAlarm) => {
    const subject =
      alarm.kind === 'low_disk'
        ? { sourceKind: 'station' as const, sourceId: 1, kind: 'low-disk' as const }
        : alarm.assetId !== null
          ? {
              sourceKind: 'asset' as const,
              sourceId: alarm.assetId,
              kind: 'media-not-ready' as const,
            }
          : null;
    if (!subject) return;
    if (alarm.cleared) {
      book.clear(subject);
      return;
    }
    const sourceName =
      subject.sourceKind === 'station'
        ? 'Station'
        : (assetName.get(subject.sourceId)?.name ?? `Asset ${subject.sourceId}`);
    book.raise({ ...subject, sourceName, message: alarm.message });
  };

  // The recorder's disk has its own threshold: its alarm is the station's second low-disk
  // subject (sourceId 2), so the cache clearing its own does not clear the recorder's.
  const onRecorderAlarm = (alarm: RecorderAlarm) => {
    const subject = { sourceKind: 'station' as const, sourceId: 2, kind: 'low-disk' as const };
    if (alarm.cleared) book.clear(subject);
    else book.raise({ ...subject, sourceName: 'Recordings', message: alarm.message });
  };

  // ---- dashboard ----------------------------------------------------------------------------

  const cacheFigures = (): DashboardFigures['cache'] => {
    try {
      return options.cacheUsage?.() ?? null;
    } catch (error) {
      // The cache is optional: a fault there must not take the dashboard down.
      logger.warn(`dashboard: cache usage unavailable: ${String(error)}`);
      return null;
    }
  };

  const figures = (cpuPercent = tickCpuPercent ?? cpu.peek()): DashboardFigures => {
    const now = clock.now();
    const perSlug = viewers.count(now);
    const viewerRows: DashboardFigures['viewers'] = [];
    let viewersTotal = 0;
    if (perSlug.size > 0) {
      for (const c of channels()) {
        const n = perSlug.get(c.slug);
        if (!n) continue;
        viewerRows.push({ channelId: c.id, viewers: n });
        viewersTotal += n;
      }
    }
    const ingest = { queued: 0, running: 0, failed: 0 };
    for (const { state, n } of ingestCounts.all()) {
      if (state === 'probing' || state === 'queued') ingest.queued += n;
      else if (state === 'ingesting') ingest.running += n;
      else if (state === 'failed') ingest.failed += n;
    }
    const active = book.active();
    const detectors: ContractDetectorStatus[] = [...watched.values()].map((w) => {
      const s = w.detector.status();
      return {
        sourceKind: w.sourceKind,
        sourceId: w.sourceId,
        name: w.name,
        state: s.state,
        since: s.since,
        restarts: s.restarts,
        lastError: s.lastError,
      };
    });
    return {
      at: now,
      viewers: viewerRows,
      viewersTotal,
      ingest,
      disk: diskFigures(context.dataDir),
      cache: cacheFigures(),
      ffmpeg: ffmpegFigures(context.ffmpeg.registry),
      process: processFigures(cpuPercent),
      alarms: {
        active: active.length,
        unacknowledged: active.filter((a) => a.acknowledgedAt === null).length,
      },
      detectors,
    };
  };

  // ---- settings ----------------------------------------------------------------------------

  const applySettings = (next: AlarmsSettings) => {
    const saved = settingsStore.set(next);
    for (const w of watched.values()) w.detector.applySettings(saved);
    for (const kind of Object.keys(saved.kinds) as (keyof AlarmsSettings['kinds'])[])
      if (!saved.kinds[kind].enabled) book.clearWhere((a) => a.kind === kind);
    bus.emit('alarmsSettingsChanged', saved);
    reconcileSoon();
    checkReadinessSoon();
    return saved;
  };

  const requireSource = (id: number) => {
    const row = sources.get(id);
    if (!row) throw new AppError('not_found', `No outside source ${id}.`);
    return row;
  };
  const probe = (url: string) =>
    probeStream(url, {
      binary: context.ffmpeg.binaries?.ffprobe.path ?? null,
      registry: context.ffmpeg.registry,
    });

  const offs: (() => void)[] = [];
  let dashboardTimer: NodeJS.Timeout | null = null;
  let readinessInterval: NodeJS.Timeout | null = null;

  const monitor: MonitorApi = {
    countViewer: (slug, address, userAgent) => viewers.seen(slug, address, userAgent, clock.now()),
    viewerTableSize: () => viewers.size(),
    reconcile: reconcileNow,
    checkReadiness,
    alarms: book,
    figures: () => figures(),
  };

  return {
    monitor,
    handlers: {
      monitorSourcesList: () => ({ sources: sourcesPayload() }),
      async monitorSourceAdd({ name, url }) {
        const row = sources.insert(name, url);
        reconcileNow();
        announceSources();
        const outcome = await probe(url);
        if (sources.get(row.id)) sources.saveProbe(row.id, outcome);
        announceSources();
        return { source: toSource(sources.get(row.id) ?? row), probe: outcome };
      },
      async monitorSourceUpdate({ id, name, url, enabled }) {
        const before = requireSource(id);
        const row = sources.update(id, { name, url, enabled })!;
        if (!row.enabled) book.clearWhere((a) => a.sourceKind === 'outside' && a.sourceId === id);
        reconcileNow();
        announceSources();
        let outcome = null;
        if (url !== undefined && url !== before.url) {
          outcome = await probe(url);
          if (sources.get(id)) sources.saveProbe(id, outcome);
          announceSources();
        }
        return { source: toSource(sources.get(id) ?? row), probe: outcome };
      },
      monitorSourceRemove({ id }) {
        requireSource(id);
        sources.remove(id);
        reconcileNow();
        book.clearWhere((a) => a.sourceKind === 'outside' && a.sourceId === id);
        announceSources();
        return { sources: sourcesPayload() };
      },
      async monitorSourceProbe(request) {
        if ('url' in request) return probe(request.url);
        const row = requireSource(request.id);
        const outcome = await probe(row.url);
        if (sources.get(row.id)) sources.saveProbe(row.id, outcome);
        announceSources();
        return outcome;
      },
      alarmsList(request) {
        const log = alarmStore.log(request);
        return {
          active: book.active(),
          log,
          nextBeforeId: log.length === request.limit ? (log.at(-1)?.id ?? null) : null,
        };
      },
      alarmAcknowledge({ id, by }) {
        const alarm = book.acknowledge(id, by ?? DEFAULT_ACKNOWLEDGER);
        if (!alarm) throw new AppError('not_found', `No alarm ${id}.`);
        return alarm;
      },
      alarmsAcknowledgeAll: ({ by }) => ({
        count: book.acknowledgeAll(by ?? DEFAULT_ACKNOWLEDGER),
      }),
      alarmsSettingsGet: () => settingsStore.get(),
      alarmsSettingsSet: (next) => applySettings(next),
      dashboardGet: () => ({
        figures: figures(),
        channels: channels().map((c) => dashboardChannelRow(playout.status(c.id))),
      }),
    },
    start() {
      offs.push(
        bus.on('playoutChanged', ({ channelId, status }) => {
          reconcileSoon();
          if (!status.onAir && playoutQuiet.has(channelId)) {
            // Off air: playout's complaints about it no longer stand.
            clearTimeout(playoutQuiet.get(channelId));
            playoutQuiet.delete(channelId);
            book.clear({ sourceKind: 'channel', sourceId: channelId, kind: 'playout' });
          }
        }),
        bus.on('channelsChanged', () => {
          channelCache = null;
          reconcileSoon();
          checkReadinessSoon();
        }),
        bus.on('outputsSettingsChanged', reconcileSoon),
        bus.on('scheduleChanged', checkReadinessSoon),
        bus.on('assetChanged', (asset) => {
          if (asset.state === 'ready' || asset.state === 'failed') checkReadinessSoon();
        }),
        bus.on('assetsRemoved', checkReadinessSoon),
        bus.on('playoutAlarm', onPlayoutAlarm),
        bus.on('cacheAlarm', onCacheAlarm),
        bus.on('recorderAlarm', onRecorderAlarm),
      );
      dashboardTimer = setInterval(() => {
        try {
          tickCpuPercent = cpu.sample();
          bus.emit('dashboardTick', figures(tickCpuPercent));
        } catch (error) {
          logger.error('dashboard figures', error);
        }
      }, options.dashboardIntervalMs ?? 2000);
      dashboardTimer.unref();
      readinessInterval = setInterval(checkReadiness, options.readinessIntervalMs ?? 30_000);
      readinessInterval.unref();
      checkReadiness();
      reconcileNow();
    },
    async close() {
      closed = true;
      for (const off of offs.splice(0)) off();
      if (dashboardTimer) clearInterval(dashboardTimer);
      if (readinessInterval) clearInterval(readinessInterval);
      reconcileLater.cancel();
      readinessLater.cancel();
      for (const timer of playoutQuiet.values()) clearTimeout(timer);
      await Promise.allSettled([...watched.values()].map((w) => w.detector.stop()));
      watched.clear();
    },
  };
}
