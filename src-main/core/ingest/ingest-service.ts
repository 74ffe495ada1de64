// The ingest queue: owns every asset's state from `queued` to `ready`/`failed` and says so on
// the bus. Jobs run in a FIFO with the station's concurrency; one job's failure is recorded on
// its asset and never stops the queue.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AssetState } from '../../../src-shared/contract';
import type { CoreContext } from '../core-context';
import { HLS_PLAYLIST } from '../ffmpeg';
import { createAssetSummaryReader } from '../library/asset-summary';
import { createJobQueue } from './job-queue';
import { CANCELLED_REASON, describeIngestError } from './ingest-failure';
import { IngestAbortedError, runIngestJob, type IngestJobResult } from './ingest-job';
import { createIngestStore, type CommittedRendition } from './ingest-store';
import { assetMediaDir, removePartialDirs } from './media-layout';
import type { IngestService } from './types';
import type { VerifiedRendition } from './segment-verifier';

/** assetChanged at most this often per asset while only the percentage moves. */
const PROGRESS_INTERVAL_MS = 250;
const MISSING_MEDIA_REASON =
  'The media files of this asset are missing from the media folder; retry to ingest it again.';

type StopReason = 'cancel' | 'shutdown' | 'remove';
type RunningJob = { controller: AbortController; reason: StopReason | null; done: Promise<void> };

/** Peak bits per second over the segments: what HLS BANDWIDTH means. */
function peakBandwidth(rendition: VerifiedRendition): number {
  let peak = 0;
  for (const s of rendition.segments) {
    if (s.durationMs > 0) peak = Math.max(peak, Math.ceil((s.bytes * 8 * 1000) / s.durationMs));
  }
  return peak;
}

export function createIngestService(context: CoreContext): IngestService {
  const { db, bus, mediaDir, logger } = context;
  const store = createIngestStore(db, () => context.clock.now());
  const readSummary = createAssetSummaryReader(db);
  const running = new Map<number, RunningJob>();
  const waiters = new Map<number, ((state: AssetState) => void)[]>();
  const lastProgressAt = new Map<number, number>();
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

  const fail = (id: number, reason: string) => {
    store.setState(id, 'failed', 0, reason);
    announce(id);
    settle(id, 'failed');
  };

  const onProgress = (id: number, fraction: number) => {
    const now = performance.now();
    if (now - (lastProgressAt.get(id) ?? -Infinity) < PROGRESS_INTERVAL_MS) return;
    lastProgressAt.set(id, now);
    store.setProgress(id, fraction);
    announce(id);
  };

  const commit = (id: number, result: IngestJobResult) => {
    const rendition = (kind: 'main' | 'proxy', r: VerifiedRendition): CommittedRendition => ({
      kind,
      dir: `${id}/${kind}`,
      bandwidth: peakBandwidth(r),
      rendition: r,
    });
    store.commitReady(id, result.method, [
      rendition('main', result.main),
      rendition('proxy', result.proxy),
    ]);
  };

  async function runJob(id: number): Promise<void> {
    const asset = store.source(id);
    if (!asset) {
      settle(id, 'failed');
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
    if (asset.source_kind === 's3') {
      fail(id, 'Ingest reads local files only; this asset points at S3.');
      return;
    }
    const job: RunningJob = {
      controller: new AbortController(),
      reason: null,
      done: Promise.resolve(),
    };
    let finish!: () => void;
    job.done = new Promise((resolve) => (finish = resolve));
    running.set(id, job);
    store.setState(id, 'probing', 0);
    announce(id);
    try {
      await runIngestJob({
        assetId: id,
        source: asset.source_location,
        mediaDir,
        profile: context.settings.get().houseProfile,
        binaries,
        registry: context.ffmpeg.registry,
        signal: job.controller.signal,
        onProbed: (probe) => {
          store.setProbe(id, probe);
          store.setState(id, 'ingesting', 0);
          announce(id);
        },
        onProgress: (fraction) => onProgress(id, fraction),
        commit: (result) => commit(id, result),
      });
      announce(id);
      settle(id, 'ready');
    } catch (error) {
      if (error instanceof IngestAbortedError && job.reason === 'shutdown') {
        // Left as it was (probing/ingesting): resume() picks it up after the restart.
      } else if (error instanceof IngestAbortedError && job.reason === 'remove') {
        settle(id, 'failed');
      } else if (error instanceof IngestAbortedError) {
        fail(id, CANCELLED_REASON);
      } else {
        const reason = describeIngestError(error);
        logger.warn(`ingest of asset ${id} failed: ${reason}`);
        fail(id, reason);
      }
    } finally {
      lastProgressAt.delete(id);
      running.delete(id);
      finish();
    }
  }

  const queue = createJobQueue<number>({
    concurrency: () => context.settings.get().ingestConcurrency,
    run: runJob,
  });
  // A larger concurrency setting takes effect at once; a smaller one as jobs finish.
  const offSettings = bus.on('settingsChanged', () => queue.pump());

  function enqueue(id: number): void {
    if (closed || queue.has(id)) return;
    const asset = store.source(id);
    if (!asset || asset.state === 'ready') return;
    store.setState(id, 'queued', 0);
    announce(id);
    queue.add(id);
  }

  async function stop(id: number, reason: StopReason): Promise<boolean> {
    if (queue.remove(id)) return true;
    const job = running.get(id);
    if (!job) return false;
    job.reason ??= reason;
    job.controller.abort();
    await job.done;
    return true;
  }

  return {
    enqueue,
    retry(id) {
      const asset = store.source(id);
      if (asset && asset.state !== 'ready') enqueue(id);
    },
    async cancel(id) {
      const wasQueued = queue.remove(id);
      if (wasQueued) fail(id, CANCELLED_REASON);
      else await stop(id, 'cancel');
    },
    whenSettled(id) {
      const state = store.source(id)?.state;
      if (state === undefined) return Promise.resolve('failed');
      if ((state === 'ready' || state === 'failed') && !queue.has(id))
        return Promise.resolve(state);
      return new Promise((resolve) => {
        const list = waiters.get(id) ?? [];
        list.push(resolve);
        waiters.set(id, list);
      });
    },
    async removeMedia(id) {
      await stop(id, 'remove');
      settle(id, 'failed');
      store.dropRenditions(id);
      await rm(assetMediaDir(mediaDir, id), { recursive: true, force: true });
      await removePartialDirs(mediaDir, id);
    },
    resume() {
      // Synchronous on purpose: no job may create a work folder while leftovers are removed.
      for (const name of readdirSync(mediaDir, { withFileTypes: true })) {
        if (name.isDirectory() && /^\d+\.partial-/.test(name.name)) {
          const id = Number(name.name.split('.')[0]);
          if (!running.has(id)) rmSync(join(mediaDir, name.name), { recursive: true, force: true });
        }
      }
      // A ready asset whose folder vanished (restored backup, hand deletion) must not air.
      const ready = db
        .prepare<[], { id: number }>("SELECT id FROM assets WHERE state = 'ready'")
        .all();
      for (const { id } of ready) {
        const dir = assetMediaDir(mediaDir, id);
        if (
          !existsSync(join(dir, 'main', HLS_PLAYLIST)) ||
          !existsSync(join(dir, 'proxy', HLS_PLAYLIST))
        ) {
          store.dropRenditions(id);
          fail(id, MISSING_MEDIA_REASON);
        }
      }
      for (const id of store.unfinished()) {
        if (!running.has(id)) enqueue(id);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      offSettings();
      queue.pause();
      await Promise.all([...running.keys()].map((id) => stop(id, 'shutdown')));
    },
  };
}
