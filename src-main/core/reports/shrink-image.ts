// Screenshots are full frames (a 1280×720 PNG is about 1.4 MB); a report shows them at page
// width. Re-encoding each as a JPEG no wider than the print needs keeps a 200-screenshot report
// at tens of megabytes instead of hundreds, which also matters because a built report travels
// to the window as base64.
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoreContext } from '../core-context';
import { runFfmpeg } from '../ffmpeg';

export type ShrinkImage = (path: string, maxWidth: number) => Promise<Buffer | null>;

/** ffmpeg arguments: one frame, scaled down (never up) to `maxWidth`, as a quality-3 JPEG. */
export function shrinkImageArgs(input: string, output: string, maxWidth: number): string[] {
  return [
    '-i',
    input,
    '-frames:v',
    '1',
    '-vf',
    `scale='min(${maxWidth},iw)':-2:flags=lanczos`,
    '-q:v',
    '3',
    '-f',
    'image2',
    '-c:v',
    'mjpeg',
    output,
  ];
}

/** A shrinker on the station's ffmpeg; null (keep the original) when ffmpeg is missing or fails. */
export function createImageShrinker(
  ffmpeg: Pick<CoreContext['ffmpeg'], 'binaries' | 'registry'>,
): ShrinkImage {
  return async (path, maxWidth) => {
    const binaries = ffmpeg.binaries;
    if (!binaries) return null;
    const output = join(tmpdir(), `airdeck-report-${randomBytes(6).toString('hex')}.jpg`);
    try {
      await runFfmpeg(shrinkImageArgs(path, output, maxWidth), {
        binary: binaries.ffmpeg.path,
        registry: ffmpeg.registry,
        label: `report image ${path}`,
      }).done;
      return await readFile(output);
    } catch {
      return null;
    } finally {
      await rm(output, { force: true });
    }
  };
}
