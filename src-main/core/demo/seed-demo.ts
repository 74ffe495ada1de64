// The demo station: on a data folder without channels, generate clips with ffmpeg's lavfi
// sources, import them through the library like any operator's files (the UI sees them appear
// and ingest with progress), then create channels and fill the next hours of each. Everything
// goes through the contract except the bulk schedule write (see demo-schedule-writer.ts).
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MethodName, Request, Response } from '../../../src-shared/contract';
import type { Core } from '../create-core';
import { runFfmpeg } from '../ffmpeg';
import { assetNameFromFile } from '../library/names';
import { buildDemoClipArgs, demoClipSet, resolveDemoFont, type DemoClip } from './demo-clips';
import { channelStagger, planChannel, type PlanClip } from './demo-plan';
import { createDemoScheduleWriter } from './demo-schedule-writer';

export type DemoScale = 'normal' | 'short';

export type DemoOptions = {
  /** How many channels to put on air (default 3). */
  channels?: number;
  /** Hours of schedule from the next whole minute (default 24). */
  hours?: number;
  /** `short`: 6–10 s clips and a start within seconds (tests, e2e). */
  scale?: DemoScale;
  /** Progress lines (stderr in `serve`). */
  log?: (line: string) => void;
  /**
   * Puts a channel on air once its schedule is written. The call site for `playoutStart`:
   * `serve` passes the contract call once the playout engine serves it.
   */
  putOnAir?: (channelId: number) => Promise<void>;
};

export type DemoResult =
  | { seeded: false; reason: string }
  | {
      seeded: true;
      channelIds: number[];
      assetIds: { programmes: number[]; ads: number[] };
      /** First instant of the demo schedule (before each channel's stagger). */
      startsAt: number;
      items: number;
      timings: { clipsMs: number; ingestMs: number; channelsMs: number; scheduleMs: number };
    };

const NUMBER_NAMES = ['One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine'];
const PROGRAMMES_FOLDER = 'Demo/Programmes';
const ADS_FOLDER = 'Demo/Ads';

/** "Airdeck One" … "Airdeck Nine", then "Airdeck 10"; slugs follow the name. */
export function demoChannelName(index: number): { name: string; slug: string } {
  const word = NUMBER_NAMES[index];
  const tail = word ?? String(index + 1);
  return { name: `Airdeck ${tail}`, slug: `airdeck-${tail.toLowerCase()}` };
}

type Call = <M extends MethodName>(method: M, params: Request<M>) => Promise<Response<M>>;

function contractCaller(core: Core): Call {
  return async (method, params) => {
    const answer = await core.dispatch(method, params);
    if (!answer.ok) throw new Error(`${method}: ${answer.error.message}`);
    return answer.result as Response<typeof method>;
  };
}

/** Makes each missing clip (`.part` first, renamed when whole, so a crash leaves no half clip). */
async function generateClip(core: Core, clip: DemoClip, dir: string, font: string | null) {
  const output = join(dir, clip.file);
  if (existsSync(output) && statSync(output).size > 0) return output;
  const binary = core.context.ffmpeg.binaries?.ffmpeg.path;
  if (!binary) throw new Error('ffmpeg is not available: the demo clips cannot be made');
  const partial = `${output}.part`;
  try {
    await runFfmpeg(buildDemoClipArgs(clip, partial, font), {
      binary,
      registry: core.ffmpegRegistry,
      label: `demo clip ${clip.file}`,
      durationMs: clip.durationS * 1000,
    }).done;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, output);
  return output;
}

/**
 * Seeds the demo unless the station already has channels. Clips are generated one at a time
 * and each is imported as soon as it exists, so ingest (one job at a time by default) runs
 * beside the next clip's encode.
 */
export async function seedDemo(core: Core, options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => core.context.logger.info(line));
  const call = contractCaller(core);
  const channelCount = options.channels ?? 3;
  const hours = options.hours ?? 24;
  const short = (options.scale ?? 'normal') === 'short';

  if ((await call('channelsList', {})).length > 0) {
    return { seeded: false, reason: 'the station already has channels' };
  }
  const started = performance.now();
  const dir = join(core.context.dataDir, 'demo-source');
  mkdirSync(dir, { recursive: true });
  const font = resolveDemoFont();
  if (font === null) log('demo: no font found (DejaVu Sans): clips are made without captions');

  const clips = demoClipSet(options.scale ?? 'normal');
  const folders = {
    programme: (await call('libraryFolderPath', { path: PROGRAMMES_FOLDER, create: true })).id,
    ad: (await call('libraryFolderPath', { path: ADS_FOLDER, create: true })).id,
  };
  // An interrupted earlier seed may have imported some clips already: reuse them by name.
  const existing = new Map<string, number>();
  for (const folderId of Object.values(folders)) {
    const { items } = await call('libraryQuery', { folderId, limit: 5000 });
    for (const asset of items) if (asset.state !== 'failed') existing.set(asset.name, asset.id);
  }

  const percent = new Map<number, number>();
  const names = new Map<number, string>();
  const offProgress = core.bus.on('assetChanged', (asset) => {
    const name = names.get(asset.id);
    if (name === undefined || asset.state !== 'ingesting') return;
    // One line per 25 % step: visible progress without flooding the log.
    const step = Math.floor(asset.progress * 4) * 25;
    if (step > (percent.get(asset.id) ?? -1)) {
      percent.set(asset.id, step);
      log(`demo: ingest ${name} ${step}%`);
    }
  });

  const assetIds = new Map<DemoClip, number>();
  let clipsMs = 0;
  /** Time spent waiting for ingest after the last clip was made. */
  const ingestWait = { ms: 0 };
  try {
    for (const [index, clip] of clips.entries()) {
      const name = assetNameFromFile(clip.file);
      const known = existing.get(name);
      if (known !== undefined) {
        assetIds.set(clip, known);
        names.set(known, clip.file);
        continue;
      }
      const t0 = performance.now();
      log(`demo: clip ${index + 1}/${clips.length} ${clip.file} (${clip.durationS} s)`);
      const path = await generateClip(core, clip, dir, font);
      clipsMs += performance.now() - t0;
      // Its own clips in <data>/demo-source, not a caller's path: no allowed roots apply.
      const assets = await core.library.importPaths(
        [path],
        clip.kind === 'ad' ? folders.ad : folders.programme,
        'any-path',
      );
      const imported = assets[0];
      if (!imported || imported.assetId === null) {
        throw new Error(`demo: import of ${clip.file} failed: ${imported?.error ?? 'no answer'}`);
      }
      assetIds.set(clip, imported.assetId);
      names.set(imported.assetId, clip.file);
    }
    const ingestStarted = performance.now();
    for (const [clip, id] of assetIds) {
      const state = await core.ingest.whenSettled(id);
      if (state !== 'ready') {
        const detail = await call('libraryAsset', { id });
        throw new Error(`demo: ingest of ${clip.file} failed: ${detail.error ?? state}`);
      }
    }
    log(`demo: ${assetIds.size} clips ready for air`);
    ingestWait.ms = performance.now() - ingestStarted;
  } finally {
    offProgress();
  }

  const planClips = async (kind: DemoClip['kind']): Promise<PlanClip[]> => {
    const list: PlanClip[] = [];
    for (const [clip, id] of assetIds) {
      if (clip.kind !== kind) continue;
      const detail = await call('libraryAsset', { id });
      if (detail.durationMs === null) throw new Error(`demo: ${clip.file} has no duration`);
      list.push({ assetId: id, durationMs: detail.durationMs, title: clip.title });
    }
    return list;
  };
  const programmes = await planClips('programme');
  const ads = await planClips('ad');

  const t1 = performance.now();
  const channelIds: number[] = [];
  for (let i = 0; i < channelCount; i += 1) {
    const { name, slug } = demoChannelName(i);
    const channel = await call('channelCreate', {
      name,
      number: i + 1,
      slug,
      group: 'Demo',
      fillerFolderId: folders.ad,
    });
    channelIds.push(channel.id);
  }
  const channelsMs = performance.now() - t1;

  // The next whole minute (the next whole second plus a little in short mode, so a test's
  // first boundary comes within seconds).
  const now = core.context.clock.now();
  const startsAt = short ? Math.ceil(now / 1000) * 1000 + 2000 : Math.ceil(now / 60_000) * 60_000;
  const t2 = performance.now();
  function* schedules() {
    for (const [index, channelId] of channelIds.entries()) {
      const items = planChannel({
        channelIndex: index,
        startsAt: startsAt + channelStagger(index, short),
        hours,
        programmes,
        ads,
        short,
      });
      yield { channelId, items };
    }
  }
  const items = createDemoScheduleWriter(core.context.db, core.bus)(schedules(), now);
  const scheduleMs = performance.now() - t2;
  log(
    `demo: ${channelCount} channels, ${items} schedule rows over ${hours} h written in ${Math.round(scheduleMs)} ms`,
  );

  if (options.putOnAir) {
    for (const channelId of channelIds) await options.putOnAir(channelId);
  }
  log(`demo ready: ${channelCount} channels in ${Math.round(performance.now() - started)} ms`);
  const idsOf = (kind: DemoClip['kind']) =>
    [...assetIds].filter(([clip]) => clip.kind === kind).map(([, id]) => id);
  return {
    seeded: true,
    channelIds,
    assetIds: { programmes: idsOf('programme'), ads: idsOf('ad') },
    startsAt,
    items,
    timings: {
      clipsMs: Math.round(clipsMs),
      ingestMs: Math.round(ingestWait.ms),
      channelsMs: Math.round(channelsMs),
      scheduleMs: Math.round(scheduleMs),
    },
  };
}
