import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HouseProfile } from '../../../src-shared/contract';
import type { SegmentTable } from '../../../src-shared/playout';
import type { CoreContext } from '../core-context';
import { runFfmpeg } from '../ffmpeg';
import { buildSlateArgs, type EncodeProfile } from './playout-commands';
import type { Variant } from './media-tables';

/** Slate loop length in segments (10 s at the default 2 s segments). */
export const SLATE_SEGMENTS = 5;
const PROXY_AUDIO_KBPS = 64;

export function encodeProfile(profile: HouseProfile, variant: Variant): EncodeProfile {
  return variant === 'main'
    ? {
        width: profile.width,
        height: profile.height,
        fps: profile.fps,
        videoKbps: profile.videoBitrateKbps,
        audioKbps: profile.audioBitrateKbps,
        segmentSeconds: profile.segmentSeconds,
      }
    : {
        width: profile.proxyWidth,
        height: profile.proxyHeight,
        fps: profile.fps,
        videoKbps: profile.proxyVideoBitrateKbps,
        audioKbps: PROXY_AUDIO_KBPS,
        segmentSeconds: profile.segmentSeconds,
      };
}

export type Slate = {
  /** Known from the profile before the files exist, so the arithmetic never waits. */
  table: SegmentTable;
  dir: string;
  file(variant: Variant, seq: number): string;
  /** Resolves once the files are on disk (generated at start if missing). */
  ready: Promise<void>;
};

const segmentFile = (seq: number) => `seg_${String(seq).padStart(5, '0')}.ts`;

/**
 * The station slate: generated once by ffmpeg into `<mediaDir>/slate/`, again only when the
 * house profile or the station name changes. Its segment table is arithmetic (whole frames
 * per segment by construction), checked against the playlist ffmpeg wrote.
 */
export function createSlate(context: CoreContext): Slate {
  const profile = context.settings.get().houseProfile;
  const stationName = context.settings.get().stationName;
  const dir = join(context.mediaDir, 'slate');
  const segmentMs = profile.segmentSeconds * 1000;
  const table: SegmentTable = Array.from({ length: SLATE_SEGMENTS }, (_, seq) => ({
    seq,
    startMs: seq * segmentMs,
    durationMs: segmentMs,
  }));
  const fingerprint = JSON.stringify({ profile, stationName, segments: SLATE_SEGMENTS, v: 1 });

  async function generate(): Promise<void> {
    const stamp = join(dir, 'slate.json');
    const current = await readFile(stamp, 'utf8').catch(() => null);
    if (current === fingerprint && existsSync(join(dir, 'main', segmentFile(0)))) return;
    const binaries = context.ffmpeg.binaries;
    if (!binaries) throw new Error('ffmpeg is not available: the slate cannot be made');
    await mkdir(dir, { recursive: true });
    const captionFile = join(dir, 'caption.txt');
    await writeFile(captionFile, `${stationName}\nWe'll be right back`);
    for (const variant of ['main', 'proxy'] as const) {
      const work = join(dir, `${variant}.partial`);
      await rm(work, { recursive: true, force: true });
      await mkdir(work, { recursive: true });
      const run = (textFile: string | null) =>
        runFfmpeg(
          buildSlateArgs({
            dir: work,
            profile: encodeProfile(profile, variant),
            segments: SLATE_SEGMENTS,
            textFile,
          }),
          {
            binary: binaries.ffmpeg.path,
            registry: context.ffmpeg.registry,
            label: `slate ${variant}`,
          },
        ).done;
      // Some ffmpeg builds lack drawtext or a default font: a plain dark slate still works.
      await run(captionFile).catch(() => run(null));
      const playlist = await readFile(join(work, 'index.m3u8'), 'utf8');
      const files = playlist.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
      if (files.length !== SLATE_SEGMENTS) {
        throw new Error(`the slate has ${files.length} segments instead of ${SLATE_SEGMENTS}`);
      }
      await rm(join(dir, variant), { recursive: true, force: true });
      await rename(work, join(dir, variant));
    }
    await rm(join(dir, 'cuts'), { recursive: true, force: true });
    await writeFile(stamp, fingerprint);
  }

  const ready = generate();
  ready.catch((error: unknown) => context.logger.error('slate generation failed', error));
  return { table, dir, file: (variant, seq) => join(dir, variant, segmentFile(seq)), ready };
}
