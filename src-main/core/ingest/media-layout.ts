// Where an asset's media lives. The library's HTTP routes serve exactly this layout.
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const POSTER_FILE = 'poster.jpg';
export const FILMSTRIP_FILE = 'filmstrip.jpg';
/** `{ columns, rows, count, intervalMs, tileWidth, tileHeight }` for the detail panel. */
export const FILMSTRIP_META_FILE = 'filmstrip.json';

export function assetMediaDir(mediaDir: string, assetId: number): string {
  return join(mediaDir, String(assetId));
}

/** A fresh work folder beside the final one (same file system, so the final rename is atomic). */
export function newPartialDir(mediaDir: string, assetId: number): string {
  return join(mediaDir, `${assetId}.partial-${randomBytes(4).toString('hex')}`);
}

const PARTIAL = /^(\d+)\.partial-[\w-]+$/;

/** Removes work folders left behind by a crash; only one asset's if `assetId` is given. */
export async function removePartialDirs(mediaDir: string, assetId?: number): Promise<void> {
  const names = await readdir(mediaDir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => {
        const match = PARTIAL.exec(name);
        return match !== null && (assetId === undefined || Number(match[1]) === assetId);
      })
      .map((name) => rm(join(mediaDir, name), { recursive: true, force: true })),
  );
}
