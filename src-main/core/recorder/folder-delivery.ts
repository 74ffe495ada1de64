// Writes a finished clip into a folder on the server's disk without ever leaving it: the folder
// is checked against the allowed folders and resolved (a link inside pointing out is refused),
// the file name is made here from plain characters, and the bytes go to a hidden temporary name
// first and are renamed into place, so a reader of the folder never sees half a clip.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../errors';
import type { PathGuard } from '../library/allowed-roots';

/** `Outside 1` at 2026-12-06T15:01:02.345Z, job 12 → `Outside-1_20261206T150102.345Z_clip12.mp4`. */
export function clipFileName(sourceName: string, fromAt: number, jobId: number): string {
  const safe =
    sourceName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '') // accents off: Ü → U
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[.-]+|-+$/g, '')
      .slice(0, 60) || 'source';
  const when = new Date(fromAt).toISOString().replace(/[-:]/g, '');
  return `${safe}_${when}_clip${jobId}.mp4`;
}

/** A person's words for what went wrong with the target folder. */
export function describeFolderError(error: unknown, folder: string): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `The disk of ${folder} is full.`;
    case 'EROFS':
      return `${folder} is on a read-only disk.`;
    case 'EACCES':
    case 'EPERM':
      return `${folder} may not be written to by the server.`;
    case 'ENOENT':
      return `${folder} does not exist (any more).`;
    case 'ENOTDIR':
      return `${folder} is not a folder.`;
    default:
      return error instanceof AppError || error instanceof Error ? error.message : String(error);
  }
}

/** The real folder a target names, or an AppError saying why it may not be used. */
export async function checkTargetFolder(guard: PathGuard, folder: string): Promise<string> {
  const allowed = guard.check(folder);
  let real: string;
  try {
    real = await realpath(allowed);
    if (!(await stat(real)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
  } catch (error) {
    throw new AppError('invalid_request', describeFolderError(error, folder));
  }
  if (!guard.holds(real))
    throw new AppError('path_not_allowed', `${folder} leads outside the allowed folders.`);
  return real;
}

/** Copies `file` into the folder as `name`; returns the path it landed at. */
export async function deliverToFolder(
  guard: PathGuard,
  folder: string,
  file: string,
  name: string,
): Promise<string> {
  const real = await checkTargetFolder(guard, folder);
  const destination = resolve(real, name);
  // The name is made here, but a check costs nothing against a future change of clipFileName.
  if (dirname(destination) !== real || name.startsWith('.'))
    throw new AppError('path_not_allowed', `${name} would land outside ${folder}.`);
  const temporary = join(real, `.${name}.part-${randomBytes(6).toString('hex')}`);
  try {
    await copyFile(file, temporary, constants.COPYFILE_EXCL);
    // On disk before the rename makes it visible.
    const handle = await open(temporary, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, destination);
    return destination;
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new AppError('unavailable', describeFolderError(error, folder));
  }
}
