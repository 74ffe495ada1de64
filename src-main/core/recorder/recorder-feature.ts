// The recorder as a core feature: recorded sources managed over the contract, one recording
// loop per enabled source, retention (days, disk cap, low free space; holds win), playlists of
// any window for the HTTP routes (the original and the desk's fast-review rendition), and the
// review jobs (screenshots, clips).
//
// Done: HLS sources with MPEG-TS segments (a master playlist is followed to its first variant),
// and RTMP/SRT/RTSP/UDP/HTTP-TS sources, stream-copied by ffmpeg into local HLS segments that
// take the same path (remux-bridge.ts). Not done yet: fragmented-MP4 HLS (EXT-X-MAP).
import { readdir, rm, statfs } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  RecordedSource,
  RecordedSourceUpdate,
  RecorderAlarm,
  RecorderState,
  ReviewJob,
} from '../../../src-shared/contract';
import type { CoreContext, Feature } from '../core-context';
import { callerPrincipal, reviewableSources, type Caller } from '../rpc/caller';
import { AppError } from '../errors';
import { isRemuxedSource } from '../../../src-shared/contract';
import { createFastRenditions } from './fast-rendition';
import { startRemuxBridge, type RemuxBridge } from './remux-bridge';
import { buildRecordingPlaylist, type IndexedSegment } from './playlist-builder';
import { createRecorderStore, type SourceRow } from './recorder-store';
import { planFreeSpace, planRetention } from './retention-plan';
import { createReviewJobs } from './review-jobs';
import { createClipRegistry, type ClipBucket, type ClipRegistry } from './clip-registry';
import { holeIn } from './clip-gaps';
import { createRecorderSettings } from './recorder-settings';
import type { PathGuard } from '../library/allowed-roots';
import { startSourceRecorder, type SourceRecorder } from './source-recorder';

export type RecorderMethod =
  | 'recorderSourcesList'
  | 'recorderSourceAdd'
  | 'recorderSourceUpdate'
  | 'recorderSourceRemove'
  | 'recordingCoverage'
  | 'reviewScreenshot'
  | 'reviewClip'
  | 'reviewJobsList'
  | 'reviewClipBatch'
  | 'reviewBatchGet'
  | 'clipsList'
  | 'clipTargetsList'
  | 'clipTargetAdd'
  | 'clipTargetUpdate'
  | 'clipTargetRemove'
  | 'clipDeliver'
  | 'clipDeliveryRetry'
  | 'recorderSettingsGet'
  | 'recorderSettingsSet';

/** The most segments one playlist lists (a day of 6 s segments is 14,400). */
export const MAX_PLAYLIST_SEGMENTS = 50_000;

export type RecorderApi = {
  /**
   * Null when the source does not exist. The fast rendition lists the same segments with the
   * same times (so a player switches between them at the same air time), under `fast/<id>`.
   */
  playlist(
    sourceId: number,
    kind: 'vod' | 'event',
    fromAt: number,
    toAt: number | null,
    rendition?: 'original' | 'fast',
  ): string | null;
  /** Absolute path of a segment of that source, or null. */
  segmentPath(sourceId: number, segmentId: number): string | null;
  /** `<data>/recordings/<sourceId>`: a served segment must resolve inside it. */
  sourceDir(sourceId: number): string;
  /** The fast-review rendition of a segment (made now if needed), or null when no such segment. */
  fastSegmentPath(sourceId: number, segmentId: number): Promise<string | null>;
  /** `<data>/recordings-fast/<sourceId>`. */
  fastSourceDir(sourceId: number): string;
  /** A finished screenshot or clip, or null. */
  jobFile(jobId: number): string | null;
  /** A screenshot or clip job as `reviewJobsList` shows it, or undefined. */
  job(jobId: number): ReviewJob | undefined;
  /** Whether the recorded source exists. */
  sourceExists(sourceId: number): boolean;
  /** Keeps [fromAt, toAt) of a source from retention (notes and the like); returns the hold id. */
  addHold(sourceId: number, fromAt: number, toAt: number, reason: string): number;
  removeHold(holdId: number): void;
  /** Runs one retention pass now (tests, and the timer). */
  enforceRetention(): Promise<void>;
  /** The source a clip-registry request acts on (for source-limited rights). */
  sourcesOf(method: string, request: unknown): number[];
};

/** What the recorder borrows from other features: S3 buckets and the allowed folders. */
export type RecorderDeps = {
  buckets?: ClipBucket | null;
  folders?: PathGuard | null;
};

export type RecorderFeatureOptions = {
  retentionIntervalMs?: number;
  /**
   * Below this many free bytes on the recordings' disk: a low-disk alarm, and the oldest unheld
   * media goes first. The default of the `lowDiskFreeBytes` recorder setting.
   */
  lowDiskFreeBytes?: number;
  diskSpace?: (dir: string) => Promise<{ freeBytes: number } | null>;
  fetchTimeoutMs?: number;
};

async function statfsSpace(dir: string) {
  try {
    const s = await statfs(dir);
    return { freeBytes: s.bavail * s.bsize };
  } catch {
    return null;
  }
}

export function createRecorderFeature(
  context: CoreContext,
  options: RecorderFeatureOptions = {},
  deps: RecorderDeps = {},
): Feature<RecorderMethod> & { recorder: RecorderApi } {
  const { db, bus, clock, logger } = context;
  const now = () => clock.now();
  const recordingsDir = join(context.dataDir, 'recordings');
  mkdirSync(recordingsDir, { recursive: true });
  const store = createRecorderStore(db, now);
  const settings = createRecorderSettings(db, {
    lowDiskFreeBytes: options.lowDiskFreeBytes ?? 2 * 1024 ** 3,
  });
  // Built after the jobs (it reads them); finished clips reach it through this late binding.
  let registry: ClipRegistry | null = null;
  const jobs = createReviewJobs({
    db,
    bus,
    store,
    recordingsDir,
    outputDir: join(context.dataDir, 'review'),
    binaries: context.ffmpeg.binaries,
    registry: context.ffmpeg.registry,
    logger,
    now,
    onDone: (job) => registry?.onClipDone(job),
  });
  registry = createClipRegistry({
    db,
    bus,
    logger,
    now,
    jobFile: (id) => jobs.fileOf(id),
    job: (id) => jobs.get(id),
    sourceName: (id) => store.get(id)?.name ?? null,
    buckets: deps.buckets ?? null,
    folders: deps.folders ?? null,
  });
  const clips = registry;
  const fast = createFastRenditions({
    store,
    recordingsDir,
    dir: join(context.dataDir, 'recordings-fast'),
    ffmpeg: context.ffmpeg.binaries?.ffmpeg.path ?? null,
    registry: context.ffmpeg.registry,
    logger,
  });
  const running = new Map<
    number,
    { recorder: SourceRecorder; url: string; bridge: RemuxBridge | null }
  >();
  const diskSpace = options.diskSpace ?? statfsSpace;
  let retentionTimer: NodeJS.Timeout | null = null;
  let lowDiskAlarm: RecorderAlarm | null = null;
  let closed = false;

  function view(row: SourceRow, totals = store.totals()): RecordedSource {
    const t = totals.get(row.id);
    const live = running.get(row.id)?.recorder;
    const state: RecorderState = !row.enabled ? 'stopped' : (live?.state ?? 'recording');
    return {
      ...row,
      state,
      lastError: row.enabled ? (live?.lastError ?? null) : null,
      firstAt: t?.first_at ?? null,
      lastAt: t?.last_at ?? null,
      segments: t?.n ?? 0,
      bytes: t?.bytes ?? 0,
    };
  }
  const list = (): RecordedSource[] => {
    const totals = store.totals();
    return store.list().map((row) => view(row, totals));
  };
  const announce = () => bus.emit('recorderSourcesChanged', { sources: list() });

  function mustGet(id: number): SourceRow {
    const row = store.get(id);
    if (!row) throw new AppError('not_found', `Recorded source ${id} does not exist.`);
    return row;
  }

  /** Removes `.part-*` leftovers and files a crash renamed but never indexed. */
  async function sweepOrphans(sourceId: number) {
    const root = join(recordingsDir, String(sourceId));
    const indexed = new Set(store.files(sourceId));
    let hours: string[];
    try {
      hours = await readdir(root);
    } catch {
      return;
    }
    for (const hour of hours) {
      let names: string[];
      try {
        names = await readdir(join(root, hour));
      } catch {
        continue;
      }
      for (const name of names) {
        if (!indexed.has(`${sourceId}/${hour}/${name}`))
          await rm(join(root, hour, name), { force: true, recursive: true });
      }
    }
  }

  function stopRecorder(id: number): Promise<void> {
    const entry = running.get(id);
    running.delete(id);
    if (!entry) return Promise.resolve();
    return entry.recorder.stop().then(() => entry.bridge?.stop());
  }

  /** Brings the running loops in line with the table (enabled sources, their URLs). */
  async function reconcile(id: number) {
    const row = store.get(id);
    const entry = running.get(id);
    if (entry && (!row || !row.enabled || row.url !== entry.url)) await stopRecorder(id);
    if (closed || !row || !row.enabled || running.has(id)) return;
    await sweepOrphans(id);
    await fast.sweep(id);
    if (closed || running.has(id)) return;
    const ffmpeg = context.ffmpeg.binaries?.ffmpeg.path;
    const bridge =
      isRemuxedSource(row.url) && ffmpeg
        ? startRemuxBridge({
            sourceId: id,
            url: row.url,
            root: join(context.dataDir, 'recorder-remux'),
            ffmpeg,
            registry: context.ffmpeg.registry,
          })
        : null;
    const recorder = startSourceRecorder(row, {
      store,
      recordingsDir,
      now,
      logger,
      ...(options.fetchTimeoutMs ? { fetchTimeoutMs: options.fetchTimeoutMs } : {}),
      ...(bridge
        ? { local: { playlistUrl: bridge.playlistUrl, lastError: () => bridge.lastError } }
        : {}),
      onState: () => announce(),
    });
    running.set(id, { recorder, url: row.url, bridge });
  }

  async function deleteSegments(segments: { id: number; sourceId: number; file: string }[]) {
    for (const segment of segments) {
      // Row first: a crash in between leaves an orphan file the next start sweeps.
      store.deleteSegment(segment.id);
      await rm(join(recordingsDir, segment.file), { force: true });
      await fast.removeSegment(segment.sourceId, segment.id);
    }
  }

  async function enforceRetention() {
    const totals = store.totals();
    let deleted = 0;
    for (const source of store.list()) {
      const totalsOf = totals.get(source.id);
      const total = totalsOf?.bytes ?? 0;
      const expiresBefore = now() - source.retentionDays * 86_400_000;
      // Most passes find nothing due: the totals tell so without reading a source's segments.
      const due =
        totalsOf !== undefined &&
        (totalsOf.first_at < expiresBefore ||
          (source.diskCapBytes !== null && total > source.diskCapBytes));
      if (!due) {
        store.deleteGapsBefore(source.id, expiresBefore);
        continue;
      }
      const candidates = store
        .unheld(source.id, 20_000)
        .map((s) => ({ ...s, endAt: s.startAt + s.durationMs }));
      const doomed = planRetention(candidates, {
        expiresBefore,
        totalBytes: total,
        capBytes: source.diskCapBytes,
      });
      const ids = new Set(doomed.map((d) => d.id));
      await deleteSegments(candidates.filter((c) => ids.has(c.id)));
      deleted += doomed.length;
      // Gaps older than the retention horizon describe media long gone.
      store.deleteGapsBefore(source.id, expiresBefore);
    }
    const { lowDiskFreeBytes } = settings.get();
    const space = await diskSpace(recordingsDir);
    const low = space !== null && space.freeBytes < lowDiskFreeBytes;
    if (space && low) {
      // Free a tenth more than the shortfall so the next pass does not start at the edge again.
      const need = Math.ceil((lowDiskFreeBytes - space.freeBytes) * 1.1);
      const perSource = store.list().map((s) => store.unheld(s.id, 2000));
      const ids = new Set(
        planFreeSpace(
          perSource.map((list) => list.map((s) => ({ ...s, endAt: s.startAt + s.durationMs }))),
          need,
        ),
      );
      await deleteSegments(perSource.flat().filter((s) => ids.has(s.id)));
      deleted += ids.size;
      if (ids.size > 0)
        logger.warn(`recorder: low free space, ${ids.size} oldest unheld segment(s) deleted`);
      const mib = (n: number) => Math.floor(n / 1024 ** 2);
      raiseLowDisk(
        `The recordings' disk has ${mib(space.freeBytes)} MiB free (alarm below ${mib(lowDiskFreeBytes)} MiB); ${ids.size} oldest unheld segment(s) deleted${ids.size === 0 ? ' (everything left is held by notes and clips)' : ''}.`,
        space.freeBytes,
        lowDiskFreeBytes,
      );
    } else if (space && lowDiskAlarm) {
      bus.emit('recorderAlarm', {
        ...lowDiskAlarm,
        freeBytes: space.freeBytes,
        raisedAt: now(),
        cleared: true,
      });
      lowDiskAlarm = null;
    }
    if (deleted > 0) announce();
  }

  /** Raised once per condition (repeated passes while low do not raise it again). */
  function raiseLowDisk(message: string, freeBytes: number, thresholdBytes: number) {
    if (lowDiskAlarm || closed) return;
    lowDiskAlarm = {
      kind: 'low_disk',
      message,
      freeBytes,
      thresholdBytes,
      raisedAt: now(),
      cleared: false,
    };
    logger.warn(`recorder alarm: ${message}`);
    bus.emit('recorderAlarm', lowDiskAlarm);
  }

  /** Refuses, as data and before any work, a clip range that crosses a hole in the recording. */
  function assertNoHole(sourceId: number, inAt: number, outAt: number) {
    const { spans, gaps } = coverage(sourceId, inAt, outAt);
    const hole = holeIn(spans, gaps, inAt, outAt, now());
    if (!hole) return;
    const iso = (at: number) => new Date(at).toISOString();
    const name = store.get(sourceId)?.name ?? `Source ${sourceId}`;
    const message = `${name}: the clip crosses a gap in the recording from ${iso(hole.fromAt)} to ${iso(hole.toAt)} (${hole.reason}, ${((hole.toAt - hole.fromAt) / 1000).toFixed(1)} s); clip the parts before and after it instead.`;
    throw new AppError('conflict', message, [{ path: 'inAt', message }]);
  }

  function assertName(name: string, id?: number) {
    const clash = store.idByName(name);
    if (clash !== undefined && clash !== id)
      throw new AppError('conflict', `A recorded source named "${name}" already exists.`);
  }

  function playlist(
    sourceId: number,
    kind: 'vod' | 'event',
    fromAt: number,
    toAt: number | null,
    rendition: 'original' | 'fast' = 'original',
  ) {
    if (!store.get(sourceId)) return null;
    const segments: IndexedSegment[] = store.window(
      sourceId,
      fromAt,
      toAt ?? Number.MAX_SAFE_INTEGER,
      MAX_PLAYLIST_SEGMENTS,
    );
    return buildRecordingPlaylist(segments, {
      kind,
      fromAt,
      targetDurationMs: running.get(sourceId)?.recorder.targetDurationMs ?? 0,
      uri: rendition === 'fast' ? (s) => `fast/${s.id}` : (s) => `seg/${s.id}`,
    });
  }

  function coverage(sourceId: number, fromAt: number, toAt: number) {
    mustGet(sourceId);
    const segments = store.window(sourceId, fromAt, toAt, MAX_PLAYLIST_SEGMENTS);
    const spans: { fromAt: number; toAt: number; segments: number; bytes: number }[] = [];
    let previous: IndexedSegment | undefined;
    for (const s of segments) {
      const last = spans.at(-1);
      const joined =
        last &&
        previous &&
        s.mediaSequence === previous.mediaSequence + 1 &&
        Math.abs(s.startAt - last.toAt) <= 250;
      if (joined) {
        last.toAt = s.startAt + s.durationMs;
        last.segments += 1;
        last.bytes += s.bytes;
      } else
        spans.push({
          fromAt: s.startAt,
          toAt: s.startAt + s.durationMs,
          segments: 1,
          bytes: s.bytes,
        });
      previous = s;
    }
    return { spans, gaps: store.gaps(sourceId, fromAt, toAt) };
  }

  function recordedAt(sourceId: number, at: number) {
    const segment = store.window(sourceId, at, at + 1, 1)[0];
    if (!segment)
      throw new AppError('not_found', `Nothing is recorded at ${new Date(at).toISOString()}.`);
    return segment;
  }

  const recorder: RecorderApi = {
    playlist,
    segmentPath(sourceId, segmentId) {
      const segment = store.segment(sourceId, segmentId);
      return segment ? join(recordingsDir, segment.file) : null;
    },
    sourceDir: (sourceId) => join(recordingsDir, String(sourceId)),
    fastSegmentPath: (sourceId, segmentId) => fast.file(sourceId, segmentId),
    fastSourceDir: (sourceId) => fast.sourceDir(sourceId),
    jobFile: (jobId) => jobs.fileOf(jobId),
    job: (jobId) => jobs.get(jobId),
    sourceExists: (sourceId) => store.get(sourceId) !== undefined,
    addHold: (sourceId, fromAt, toAt, reason) => store.addHold(sourceId, fromAt, toAt, reason),
    removeHold: (holdId) => store.removeHold(holdId),
    enforceRetention,
    sourcesOf(method, request) {
      const record = request as { jobId?: unknown; id?: unknown };
      if (method === 'clipDeliver' && typeof record.jobId === 'number') {
        const job = jobs.get(record.jobId);
        return job ? [job.sourceId] : [];
      }
      if (method === 'clipDeliveryRetry' && typeof record.id === 'number') {
        const source = clips.sourceOfDelivery(record.id);
        return source === undefined ? [] : [source];
      }
      return [];
    },
  };

  const inReach = (caller: Caller, sources: RecordedSource[]) => {
    const reach = reviewableSources(caller);
    return reach === null ? sources : sources.filter((s) => reach.has(s.id));
  };

  const personOf = (caller: Caller) => callerPrincipal(caller)?.personId ?? null;

  return {
    recorder,
    handlers: {
      recorderSourcesList: (_request, caller) => ({ sources: inReach(caller, list()) }),
      recorderSourceAdd: async (input) => {
        assertName(input.name);
        const id = store.add(input);
        await reconcile(id);
        announce();
        return view(mustGet(id));
      },
      recorderSourceUpdate: async (patch: RecordedSourceUpdate) => {
        const current = mustGet(patch.id);
        if (patch.name !== undefined) assertName(patch.name, patch.id);
        store.update(current, patch);
        await reconcile(patch.id);
        announce();
        return view(mustGet(patch.id));
      },
      recorderSourceRemove: async ({ id }) => {
        mustGet(id);
        await stopRecorder(id);
        store.remove(id);
        await rm(join(recordingsDir, String(id)), { recursive: true, force: true });
        await fast.removeSource(id);
        announce();
        return { id };
      },
      recordingCoverage: ({ sourceId, fromAt, toAt }) => coverage(sourceId, fromAt, toAt),
      reviewScreenshot: ({ sourceId, at, format }, caller) => {
        mustGet(sourceId);
        recordedAt(sourceId, at);
        return jobs.enqueue({
          kind: 'screenshot',
          sourceId,
          personId: personOf(caller),
          fromAt: at,
          toAt: at,
          format,
          holdFrom: at,
          holdTo: at + 1,
        });
      },
      reviewClip: ({ sourceId, inAt, outAt }, caller) => {
        mustGet(sourceId);
        recordedAt(sourceId, inAt);
        assertNoHole(sourceId, inAt, outAt);
        return jobs.enqueue({
          kind: 'clip',
          sourceId,
          personId: personOf(caller),
          fromAt: inAt,
          toAt: outAt,
          format: 'mp4',
          holdFrom: inAt,
          holdTo: outAt,
        });
      },
      reviewClipBatch: (request, caller) => {
        const [inAt, outAt] =
          'at' in request
            ? [request.at - request.beforeMs, request.at + request.afterMs]
            : [request.inAt, request.outAt];
        // Every source is checked before anything is queued: all clips or none.
        for (const sourceId of request.sourceIds) {
          mustGet(sourceId);
          recordedAt(sourceId, inAt);
          assertNoHole(sourceId, inAt, outAt);
        }
        const personId = personOf(caller);
        return jobs.enqueueBatch(
          personId,
          inAt,
          outAt,
          request.sourceIds.map((sourceId) => ({
            kind: 'clip' as const,
            sourceId,
            personId,
            fromAt: inAt,
            toAt: outAt,
            format: 'mp4' as const,
            holdFrom: inAt,
            holdTo: outAt,
          })),
        );
      },
      reviewBatchGet: ({ id }, caller) => {
        const batch = jobs.batch(id);
        const reach = reviewableSources(caller);
        if (!batch || (reach && batch.jobs.some((j) => !reach.has(j.sourceId))))
          throw new AppError('not_found', `Clip batch ${id} does not exist.`);
        return batch;
      },
      clipsList: ({ sourceId, limit }, caller) => {
        const reach = reviewableSources(caller);
        const list = clips.list(sourceId, reach === null || sourceId !== undefined ? limit : 500);
        return {
          clips: (reach === null ? list : list.filter((c) => reach.has(c.job.sourceId))).slice(
            0,
            limit,
          ),
        };
      },
      clipTargetsList: () => ({ targets: clips.targets() }),
      clipTargetAdd: (input) => clips.addTarget(input),
      clipTargetUpdate: ({ id, autoDeliver }) => clips.updateTarget(id, autoDeliver),
      clipTargetRemove: ({ id }) => clips.removeTarget(id),
      clipDeliver: ({ jobId, targetId }, caller) =>
        clips.deliver(jobId, targetId, personOf(caller)),
      clipDeliveryRetry: ({ id }) => clips.retry(id),
      recorderSettingsGet: () => settings.get(),
      recorderSettingsSet: async (patch) => {
        const next = settings.set(patch);
        // A new threshold is acted on now, not at the next timer pass.
        await enforceRetention();
        return next;
      },
      reviewJobsList: ({ sourceId, limit }, caller) => {
        const reach = reviewableSources(caller);
        if (reach === null || sourceId !== undefined) return { jobs: jobs.list(sourceId, limit) };
        // Limited to some sources: theirs only (the dispatcher already refused a foreign one).
        return {
          jobs: [...reach]
            .flatMap((id) => jobs.list(id, limit))
            .sort((a, b) => b.id - a.id)
            .slice(0, limit),
        };
      },
    },
    start() {
      for (const source of store.list()) void reconcile(source.id);
      jobs.resume();
      clips.resume();
      retentionTimer = setInterval(() => {
        enforceRetention().catch((error: unknown) =>
          logger.error('recorder retention failed', error),
        );
      }, options.retentionIntervalMs ?? 60_000);
      retentionTimer.unref();
    },
    async close() {
      closed = true;
      if (retentionTimer) clearInterval(retentionTimer);
      await Promise.all([...running.keys()].map((id) => stopRecorder(id)));
      await jobs.close();
      await clips.close();
      await fast.close();
    },
  };
}
