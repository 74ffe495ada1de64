// The ingest queue: owns every asset's state from `queued` to `ready`/`failed` and says so on
// the bus. Each asset goes through two phases in one job pool with the station's concurrency:
// the air phase (main rendition; the asset is `ready` at its end) and, queued behind every air
// phase, the preview phase (proxy rendition, poster, filmstrip). One job's failure is recorded
// on its asset and never stops the queue; a preview failure never un-readies an asset.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AssetState, HouseProfile, Probe } from '../../../src-shared/contract';
import type { CoreContext } from '../core-context';
import { HLS_PLAYLIST } from '../ffmpeg';
import { createAssetSummaryReader } from '../library/asset-summary';
import { createJobQueue } from './job-queue';
import { CANCELLED_REASON, IngestFailure, describeIngestError } from './ingest-failure';
import { IngestAbortedError, runIngestJob, type IngestJobResult } from './ingest-job';
import type { IngestMethod } from './ingest-plan';
import { createIngestStore, type CommittedRendition } from './ingest-store';
import { assetMediaDir, removePartialDirs } from './media-layout';
import { readMainLayout, runPreviewJob, type MainLayout } from './preview-job';
import type { IngestPipeline } from './types';
import type { VerifiedRendition } from './segment-verifier';

/** assetChanged at most this often per asset while only the percentage moves. */
const PROGRESS_INTERVAL_MS = 250;
const MISSING_MEDIA_REASON =
  'The media files of this asset are missing from the media folder; retry to ingest it again.';
/** Every waiting air phase starts before any waiting preview. */
const AIR_PRIORITY = 1;
const PREVIEW_PRIORITY = 0;

type Phase = 'air' | 'preview';
type JobKey = `${Phase}:${number}`;
type StopReason = 'cancel' | 'shutdown' | 'remove';
type RunningJob = { controller: AbortController; reason: StopReason | null; done: Promise<void> };
type PreviewOutcome = 'ready' | 'failed';

const airKey = (id: number): JobKey => `air:${id}`;
const previewKey = (id: number): JobKey => `preview:${id}`;

/** Peak bits per second over the segments: what HLS BANDWIDTH means. */
function peakBandwidth(rendition: VerifiedRendition): number {
  let peak = 0;
  for (const s of rendition.segments) {
    if (s.durationMs > 0) peak = Math.max(peak, Math.ceil((s.bytes * 8 * 1000) / s.durationMs));
  }
  return peak;
}

function committed(id: number, kind: 'main' | 'proxy', r: VerifiedRendition): CommittedRendition {
  return { kind, dir: `${id}/${kind}`, bandwidth: peakBandwidth(r), rendition: r };
}

/**
 * House renditions made elsewhere (published by another Airdeck for the same source and house
 * profile), downloaded and checked into a work folder beside the media folder: `main/`,
 * `proxy/` and the preview images, as an ingest would have left them.
 */
export type ObtainedRenditions = {
  dir: string;
  method: IngestMethod;
  main: VerifiedRendition;
  proxy: VerifiedRendition;
};
export type ObtainHooks = { onProbed(probe: Probe): void; onProgress(fraction: number): void };

/** Where ingest gets a local file for a source that is not one (S3 objects, via the cache). */
export type IngestSources = {
  openS3?(assetId: number, signal: AbortSignal): Promise<{ path: string; release(): void }>;
  /** Renditions obtained another way, or null to ingest the source (storage/publish-reuse.ts). */
  obtainRenditions?(
    assetId: number,
    profile: HouseProfile,
    signal: AbortSignal,
    hooks: ObtainHooks,
  ): Promise<ObtainedRenditions | null>;
  /** Told which house profile made an asset's renditions, as they commit. */
  renditionsMadeWith?(assetId: number, profile: HouseProfile): void;
};

export function createIngestService(
  context: CoreContext,
  sources: IngestSources = {},
): IngestPipeline {
  const { db, bus, mediaDir, logger } = context;
  const store = createIngestStore(db, () => context.clock.now());
  const readSummary = createAssetSummaryReader(db);
  const running = new Map<JobKey, RunningJob>();
  const waiters = new Map<number, ((state: AssetState) => void)[]>();
  const previewWaiters = new Map<number, ((state: PreviewOutcome) => void)[]>();
  const lastProgressAt = new Map<number, number>();
  /** The air phase's verified layout of the main rendition, handed to the preview. */
  const mainLayouts = new Map<number, MainLayout>();
  let closed = false;

  const announce = (id: number) => {
    const summary = readSummary(id);
    if (summary) bus.emit('assetChanged', summary);
  };

  const settle = (id: number, state: AssetState) => {
    const list = waiters.get(id) ?? [];
    waiters.delete(id);
    for (const resolve of list) resolve(state);
  };

  const settlePreview = (id: number, state: PreviewOutcome) => {
    const list = previewWaiters.get(id) ?? [];
    previewWaiters.delete(id);
    for (const resolve of list) resolve(state);
  };

  const fail = (id: number, reason: string) => {
    store.setState(id, 'failed', 0, reason);
    announce(id);
    settle(id, 'failed');
    settlePreview(id, 'failed');
  };

  const failPreview = (id: number, reason: string) => {
    store.setPreviewError(id, reason);
    announce(id);
    settlePreview(id, 'failed');
  };

  const onProgress = (id: number, fraction: number) => {
    const now = performance.now();
    if (now - (lastProgressAt.get(id) ?? -Infinity) < PROGRESS_INTERVAL_MS) return;
    lastProgressAt.set(id, now);
    store.setProgress(id, fraction);
    announce(id);
  };

  /** Registers a running job; `finish` must be called when it has ended. */
  function start(key: JobKey): { job: RunningJob; finish: () => void } {
    let finish!: () => void;
    const job: RunningJob = {
      controller: new AbortController(),
      reason: null,
      done: new Promise((resolve) => (finish = resolve)),
    };
    running.set(key, job);
    return {
      job,
      finish: () => {
        running.delete(key);
        finish();
      },
    };
  }

  function enqueuePreview(id: number): void {
    if (closed) return;
    queue.add(previewKey(id), PREVIEW_PRIORITY);
  }

  async function runAir(id: number): Promise<void> {
    const asset = store.source(id);
    if (!asset) {
      settle(id, 'failed');
      settlePreview(id, 'failed');
      return;
    }
    if (asset.state === 'ready') {
      settle(id, 'ready');
      return;
    }
    const binaries = context.ffmpeg.binaries;
    if (!binaries) {
      fail(id, `ffmpeg is not available (${context.ffmpeg.status.error ?? 'not found'}).`);
      return;
    }
    if (asset.source_kind === 's3' && !sources.openS3) {
      fail(id, 'Ingest reads local files only; this asset points at S3.');
      return;
    }
    const { job, finish } = start(airKey(id));
    mainLayouts.delete(id);
    store.setState(id, 'probing', 0);
    announce(id);
    const profile: HouseProfile = context.settings.get().houseProfile;
    let releaseSource: (() => void) | undefined;
    let adopted: 'ready' | 'ready-with-preview' | null = null;
    try {
      // --- Renditions obtained another way (begin) --------------------------------------------
      if (sources.obtainRenditions) {
        const signal = job.controller.signal;
        let found = false;
        const obtained = await sources
          .obtainRenditions(id, profile, signal, {
            onProbed: (probe) => {
              found = true;
              store.setProbe(id, probe);
              store.setState(id, 'ingesting', 0);
              announce(id);
            },
            onProgress: (fraction) => onProgress(id, fraction),
          })
          .catch((error: unknown) => {
            throw signal.aborted ? new IngestAbortedError('stopped while fetching') : error;
          });
        if (!obtained && found && !signal.aborted) {
          // They could not be used after all: the ingest of the source starts from the probe.
          store.setState(id, 'probing', 0);
          announce(id);
        }
        if (obtained && signal.aborted) {
          await rm(obtained.dir, { recursive: true, force: true });
          throw new IngestAbortedError('stopped while fetching published renditions');
        }
        if (obtained) {
          // Waiters are told once the job has ended (below), as after an ingest.
          adopted = await adoptObtained(id, obtained, profile);
          return;
        }
      }
      // --- Renditions obtained another way (end) ----------------------------------------------
      let source = asset.source_location;
      if (asset.source_kind === 's3' && sources.openS3) {
        // Through the cache: one download however many ask, held while ffmpeg reads it.
        const signal = job.controller.signal;
        const opened = await sources.openS3(id, signal).catch((error: unknown) => {
          throw signal.aborted ? new IngestAbortedError('stopped while fetching') : error;
        });
        releaseSource = opened.release;
        source = opened.path;
      }
      await runIngestJob({
        assetId: id,
        source,
        mediaDir,
        profile,
        binaries,
        registry: context.ffmpeg.registry,
        signal: job.controller.signal,
        onProbed: (probe) => {
          store.setProbe(id, probe);
          store.setState(id, 'ingesting', 0);
          announce(id);
        },
        onProgress: (fraction) => onProgress(id, fraction),
        commit: (result: IngestJobResult) => {
          store.commitReady(id, result.method, [committed(id, 'main', result.main)]);
          sources.renditionsMadeWith?.(id, profile);
          mainLayouts.set(id, {
            dir: `${id}/main`,
            fps: profile.fps,
            segments: result.main.segments.map((s) => ({ file: s.file, frames: s.frames })),
          });
        },
      });
      announce(id);
      enqueuePreview(id);
      settle(id, 'ready');
    } catch (error) {
      if (error instanceof IngestAbortedError && job.reason === 'shutdown') {
        // Left as it was (probing/ingesting): resume() picks it up after the restart.
      } else if (error instanceof IngestAbortedError && job.reason === 'remove') {
        settle(id, 'failed');
        settlePreview(id, 'failed');
      } else if (error instanceof IngestAbortedError) {
        fail(id, CANCELLED_REASON);
      } else {
        const reason = describeIngestError(error);
        logger.warn(`ingest of asset ${id} failed: ${reason}`);
        fail(id, reason);
      }
    } finally {
      releaseSource?.();
      lastProgressAt.delete(id);
      finish();
      if (adopted) settle(id, 'ready');
      if (adopted === 'ready-with-preview') settlePreview(id, 'ready');
    }
  }

  /**
   * Obtained renditions become the asset's media as an ingest's would: the folder by one
   * rename, then the main rendition (ready) and the proxy (preview ready), each in its own
   * transaction and announced like the two phases of an ingest.
   */
  async function adoptObtained(
    id: number,
    obtained: ObtainedRenditions,
    profile: HouseProfile,
  ): Promise<'ready' | 'ready-with-preview'> {
    const final = assetMediaDir(mediaDir, id);
    try {
      await rm(final, { recursive: true, force: true });
      await rename(obtained.dir, final);
      try {
        store.commitReady(id, obtained.method, [committed(id, 'main', obtained.main)]);
        sources.renditionsMadeWith?.(id, profile);
      } catch (error) {
        await rm(final, { recursive: true, force: true });
        throw error;
      }
    } finally {
      await rm(obtained.dir, { recursive: true, force: true });
    }
    announce(id);
    try {
      store.commitPreview(id, committed(id, 'proxy', obtained.proxy));
    } catch (error) {
      logger.warn(`asset ${id}: the obtained proxy was not kept (${describeIngestError(error)})`);
      enqueuePreview(id);
      return 'ready';
    }
    announce(id);
    return 'ready-with-preview';
  }

  async function runPreview(id: number): Promise<void> {
    const info = store.previewState(id);
    if (!info || info.asset !== 'ready') {
      mainLayouts.delete(id);
      if (info?.asset !== 'probing' && info?.asset !== 'queued' && info?.asset !== 'ingesting') {
        settlePreview(id, 'failed');
      }
      return;
    }
    if (info.preview === 'ready') {
      mainLayouts.delete(id);
      settlePreview(id, 'ready');
      return;
    }
    const binaries = context.ffmpeg.binaries;
    if (!binaries) {
      failPreview(id, `ffmpeg is not available (${context.ffmpeg.status.error ?? 'not found'}).`);
      return;
    }
    const { job, finish } = start(previewKey(id));
    const signal = job.controller.signal;
    const registry = context.ffmpeg.registry;
    try {
      let layout = mainLayouts.get(id);
      mainLayouts.delete(id);
      if (!layout) {
        const main = store.mainRendition(id);
        if (!main) throw new IngestFailure('The asset has no main rendition.');
        layout = await readMainLayout(
          mediaDir,
          main.dir,
          { width: main.width, height: main.height, durationMs: main.duration_ms },
          { binary: binaries.ffprobe.path, registry, signal },
        );
      }
      await runPreviewJob({
        assetId: id,
        mediaDir,
        profile: context.settings.get().houseProfile,
        binaries,
        registry,
        signal,
        main: layout,
        commit: (proxy) => store.commitPreview(id, committed(id, 'proxy', proxy)),
      });
      announce(id);
      settlePreview(id, 'ready');
    } catch (error) {
      if (error instanceof IngestAbortedError && job.reason === 'shutdown') {
        // Still pending: resume() queues it again after the restart.
      } else if (error instanceof IngestAbortedError && job.reason === 'remove') {
        settlePreview(id, 'failed');
      } else if (error instanceof IngestAbortedError || signal.aborted) {
        failPreview(id, CANCELLED_REASON);
      } else {
        const reason = describeIngestError(error);
        logger.warn(`preview of asset ${id} failed: ${reason}`);
        failPreview(id, reason);
      }
    } finally {
      finish();
    }
  }

  const queue = createJobQueue<JobKey>({
    concurrency: () => context.settings.get().ingestConcurrency,
    run: (key) => {
      const [phase, id] = key.split(':') as [Phase, string];
      return phase === 'air' ? runAir(Number(id)) : runPreview(Number(id));
    },
  });
  // A larger concurrency setting takes effect at once; a smaller one as jobs finish.
  const offSettings = bus.on('settingsChanged', () => queue.pump());

  function enqueue(id: number): void {
    if (closed || queue.has(airKey(id))) return;
    const asset = store.source(id);
    if (!asset || asset.state === 'ready') return;
    // A preview still waiting belongs to media this ingest replaces.
    queue.remove(previewKey(id));
    store.setState(id, 'queued', 0);
    announce(id);
    queue.add(airKey(id), AIR_PRIORITY);
  }

  async function stop(key: JobKey, reason: StopReason): Promise<boolean> {
    if (queue.remove(key)) return true;
    const job = running.get(key);
    if (!job) return false;
    job.reason ??= reason;
    job.controller.abort();
    await job.done;
    return true;
  }

  // Waiting, or running as far as this service is concerned: the queue itself learns that a job
  // ended only after the job settled its waiters, and a waiter may ask again at once.
  const pending = (key: JobKey) => running.has(key) || queue.waiting().includes(key);
  const busy = (id: number) => pending(airKey(id)) || pending(previewKey(id));

  return {
    enqueue,
    retry(id) {
      const asset = store.source(id);
      if (!asset) return;
      if (asset.state !== 'ready') {
        enqueue(id);
        return;
      }
      if (closed || queue.has(previewKey(id)) || store.previewState(id)?.preview === 'ready') {
        return;
      }
      store.setPreviewError(id, null);
      announce(id);
      enqueuePreview(id);
    },
    async cancel(id) {
      if (queue.remove(airKey(id))) fail(id, CANCELLED_REASON);
      else if (running.has(airKey(id))) await stop(airKey(id), 'cancel');
      else if (queue.remove(previewKey(id))) failPreview(id, CANCELLED_REASON);
      else await stop(previewKey(id), 'cancel');
    },
    whenSettled(id) {
      const state = store.source(id)?.state;
      if (state === undefined) return Promise.resolve('failed');
      if ((state === 'ready' || state === 'failed') && !pending(airKey(id))) {
        return Promise.resolve(state);
      }
      return new Promise((resolve) => {
        const list = waiters.get(id) ?? [];
        list.push(resolve);
        waiters.set(id, list);
      });
    },
    whenPreviewSettled(id) {
      const info = store.previewState(id);
      if (!info) return Promise.resolve('failed');
      if (!busy(id)) {
        if (info.asset === 'failed') return Promise.resolve('failed');
        if (info.asset === 'ready' && info.preview !== 'pending') {
          return Promise.resolve(info.preview);
        }
      }
      return new Promise((resolve) => {
        const list = previewWaiters.get(id) ?? [];
        list.push(resolve);
        previewWaiters.set(id, list);
      });
    },
    async removeMedia(id) {
      await stop(airKey(id), 'remove');
      await stop(previewKey(id), 'remove');
      settle(id, 'failed');
      settlePreview(id, 'failed');
      mainLayouts.delete(id);
      store.dropRenditions(id);
      await rm(assetMediaDir(mediaDir, id), { recursive: true, force: true });
      await removePartialDirs(mediaDir, id);
    },
    resume() {
      // Synchronous on purpose: no job may create a work folder while leftovers are removed.
      for (const name of readdirSync(mediaDir, { withFileTypes: true })) {
        if (name.isDirectory() && /^\d+\.partial-/.test(name.name)) {
          const id = Number(name.name.split('.')[0]);
          if (!running.has(airKey(id)) && !running.has(previewKey(id))) {
            rmSync(join(mediaDir, name.name), { recursive: true, force: true });
          }
        }
      }
      const previews: number[] = [];
      for (const [id, kinds] of store.readyAssets()) {
        const dir = assetMediaDir(mediaDir, id);
        // A ready asset whose main rendition vanished (restored backup, hand deletion) must not air.
        if (!kinds.has('main') || !existsSync(join(dir, 'main', HLS_PLAYLIST))) {
          store.dropRenditions(id);
          fail(id, MISSING_MEDIA_REASON);
          continue;
        }
        if (running.has(previewKey(id))) continue;
        if (kinds.has('proxy') && !existsSync(join(dir, 'proxy', HLS_PLAYLIST))) {
          store.dropProxy(id);
          announce(id);
        } else if (kinds.has('proxy')) continue;
        // A preview interrupted by a restart (or lost) is made again; a failed one waits for retry.
        if (store.previewState(id)?.preview === 'pending') previews.push(id);
      }
      for (const id of store.unfinished()) {
        if (!running.has(airKey(id))) enqueue(id);
      }
      for (const id of previews) enqueuePreview(id);
    },
    async close() {
      if (closed) return;
      closed = true;
      offSettings();
      queue.pause();
      await Promise.all([...running.keys()].map((key) => stop(key, 'shutdown')));
    },
  };
}
