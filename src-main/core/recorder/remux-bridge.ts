// A non-HLS source (RTMP, SRT, RTSP, UDP, an http(s) MPEG-TS stream) as a local HLS playlist:
// one supervised ffmpeg stream-copies it into short segments in a private folder, and the
// source recorder takes them in from there exactly as it takes an HLS source's (same planner,
// same gaps, same index). Keeping one path for every source means restarts, outages and
// retention behave the same whatever the protocol.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  buildRemuxToHlsArgs,
  superviseFfmpeg,
  type FfmpegRegistry,
  type SupervisedFfmpeg,
} from '../ffmpeg';

export type RemuxBridge = {
  /** `file://…/index.m3u8` for the source recorder. */
  readonly playlistUrl: string;
  /** Why the last run of ffmpeg ended, while it is waiting to start again; else null. */
  readonly lastError: string | null;
  stop(): Promise<void>;
};

export type RemuxBridgeOptions = {
  sourceId: number;
  url: string;
  /** `<data>/recorder-remux`: one folder per source, emptied on start and stop. */
  root: string;
  ffmpeg: string;
  registry: FfmpegRegistry;
  segmentSeconds?: number;
  inputTimeoutSeconds?: number;
};

export function startRemuxBridge(options: RemuxBridgeOptions): RemuxBridge {
  const dir = join(options.root, String(options.sourceId));
  // Segments left by an earlier run would be taken as new: start from an empty folder.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let lastError: string | null = null;
  const supervised: SupervisedFfmpeg = superviseFfmpeg(
    () => {
      sweepOldRuns(dir);
      return buildRemuxToHlsArgs({
        url: options.url,
        dir,
        segmentSeconds: options.segmentSeconds ?? 2,
        // Shorter than the recorder's stall detection (three 2 s segments): an outage ends the
        // run before it is noticed, so the next run dates its segments afresh and the outage is
        // a gap. A run kept across an outage would date what follows too early and hide it.
        inputTimeoutSeconds: options.inputTimeoutSeconds ?? 2,
      });
    },
    {
      binary: options.ffmpeg,
      registry: options.registry,
      label: `recorder remux ${options.sourceId}`,
      backoff: { initialMs: 1000, maxMs: 30_000 },
      onState: (state) => {
        if (state.status === 'backoff') lastError = state.reason;
        else if (state.status === 'running') lastError = null;
      },
    },
  );
  return {
    playlistUrl: pathToFileURL(join(dir, 'index.m3u8')).href,
    get lastError() {
      return lastError;
    },
    async stop() {
      await supervised.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** How long an earlier run's segments stay for the recorder to take in after a restart. */
const EARLIER_RUN_KEEP_MS = 60_000;

/**
 * A new run rewrites the playlist and never deletes what an earlier run left (its own
 * `delete_segments` knows only its own files): those go once the recorder has surely taken them.
 */
function sweepOldRuns(dir: string) {
  const cutoff = Date.now() - EARLIER_RUN_KEEP_MS;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    try {
      if (name.endsWith('.ts') && statSync(path).mtimeMs < cutoff) rmSync(path, { force: true });
    } catch {
      // Deleted meanwhile.
    }
  }
}
