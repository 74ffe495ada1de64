// Screenshots as the report writers embed them: the file's bytes, its type and its pixel size.
// Screenshots are PNG or JPEG (what the recorder writes); the size comes from the file's header
// (PNG IHDR, JPEG start-of-frame) so no image is decoded to lay a report out. A file that is
// gone or is neither type stays a link in the report instead of failing it.
import { readFile } from 'node:fs/promises';
import type { ShrinkImage } from './shrink-image';

export type ReportImage = {
  path: string;
  data: Buffer;
  type: 'png' | 'jpg';
  width: number;
  height: number;
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR or a JPEG's SOFn marker; null for anything else. */
export function imageSize(data: Buffer): Pick<ReportImage, 'type' | 'width' | 'height'> | null {
  if (data.length >= 24 && data.subarray(0, 8).equals(PNG_SIGNATURE)) {
    if (data.toString('latin1', 12, 16) !== 'IHDR') return null;
    const width = data.readUInt32BE(16);
    const height = data.readUInt32BE(20);
    return width > 0 && height > 0 ? { type: 'png', width, height } : null;
  }
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return null;
  let at = 2;
  while (at + 9 < data.length) {
    if (data[at] !== 0xff) return null;
    const marker = data[at + 1]!;
    // Fill bytes and markers without a length.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      const height = data.readUInt16BE(at + 5);
      const width = data.readUInt16BE(at + 7);
      return width > 0 && height > 0 ? { type: 'jpg', width, height } : null;
    }
    if (marker === 0xda || marker === 0xd9) return null;
    at += 2 + data.readUInt16BE(at + 2);
  }
  return null;
}

/**
 * Twice the widest an image is shown (the DOCX page width), so print stays sharp; anything
 * wider, or heavier than `SHRINK_ABOVE_BYTES`, is re-encoded when a shrinker is given.
 */
export const REPORT_IMAGE_MAX_WIDTH = 1180;
const SHRINK_ABOVE_BYTES = 300_000;

/** Reads each file once (a path named twice is shared); unreadable or foreign files are left out. */
export async function loadImages(
  paths: readonly string[],
  progress?: (fraction: number) => void,
  shrink?: ShrinkImage,
): Promise<Map<string, ReportImage>> {
  const loaded = new Map<string, ReportImage>();
  const unique = [...new Set(paths)];
  for (const [i, path] of unique.entries()) {
    progress?.(i / unique.length);
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch {
      continue;
    }
    const size = imageSize(data);
    if (!size) continue;
    if (shrink && (size.width > REPORT_IMAGE_MAX_WIDTH || data.length > SHRINK_ABOVE_BYTES)) {
      const smaller = await shrink(path, REPORT_IMAGE_MAX_WIDTH);
      const smallerSize = smaller && imageSize(smaller);
      if (smaller && smallerSize && smaller.length < data.length) {
        loaded.set(path, { path, data: smaller, ...smallerSize });
        continue;
      }
    }
    loaded.set(path, { path, data, ...size });
  }
  return loaded;
}

/** The size that fits `maxWidth` × `maxHeight` keeping the aspect ratio (up or down). */
export function fitInside(
  image: Pick<ReportImage, 'width' | 'height'>,
  maxWidth: number,
  maxHeight: number,
): { width: number; height: number } {
  const scale = Math.min(maxWidth / image.width, maxHeight / image.height);
  return {
    width: Math.max(1, Math.round(image.width * scale)),
    height: Math.max(1, Math.round(image.height * scale)),
  };
}
