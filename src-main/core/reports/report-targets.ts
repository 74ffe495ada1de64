// Where scheduled reports go: a folder on the server's disk or a storage location.
//
// A folder must lie under the allowed folders (or `<data>/reports`), checked as written and as
// it resolves on disk, when the schedule is saved and again at every run (a link may have been
// swapped in between). The file name is made here from the template's name, never taken from
// the caller. A file is written under a temporary name in the same folder and renamed into
// place, so a reader never sees half a report and a failed run leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { access, mkdir, open, realpath, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { ReportTarget } from '../../../src-shared/contract';
import { AppError } from '../errors';
import type { PathGuard } from '../library/allowed-roots';
import type { PutObject } from '../storage/storage-feature';
import { reportMimeTypes, type ReportFormat } from './report-files';

/** `<name>-<yyyy-mm-dd>T<hhmmss>.<ext>` in station time, the name reduced to safe characters. */
export function reportFileName(
  name: string,
  at: number,
  zone: string,
  format: ReportFormat,
): string {
  const slug =
    name
      .normalize('NFKD')
      // Accents dropped (ü → u), not turned into separators.
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 60) || 'report';
  const stamp = DateTime.fromMillis(at, { zone }).toFormat("yyyy-LL-dd'T'HHmmss");
  return `${slug}-${stamp}.${format}`;
}

/** What a failed write means for the person reading the history. */
function describeWriteError(folder: string, error: unknown): Error {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new Error(`The folder ${folder} is not writable by the Airdeck service (${code}).`);
    case 'EROFS':
      return new Error(`The folder ${folder} is on a read-only file system (EROFS).`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new Error(`No space left for the report in ${folder} (${code}).`);
    case 'ENOTDIR':
    case 'EEXIST':
      return new Error(`${folder} is not a folder (${code}).`);
    default:
      return new Error(
        `Writing to ${folder} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
  }
}

export type ReportDelivery = {
  /** Refuses a target that may not be written (an `AppError` for the caller). */
  check(target: ReportTarget): void;
  /** Writes the file; resolves with where it went, for the history. */
  deliver(target: ReportTarget, fileName: string, body: Buffer): Promise<string>;
};

export function createReportDelivery(deps: {
  folders: PathGuard;
  putObject: PutObject;
  locationExists(id: number): boolean;
}): ReportDelivery {
  const checkFolder = (folder: string) => deps.folders.check(folder);

  async function toFolder(folder: string, fileName: string, body: Buffer): Promise<string> {
    const checked = checkFolder(folder);
    let tmp: string | null = null;
    try {
      await mkdir(checked, { recursive: true });
      const real = await realpath(checked);
      if (!deps.folders.holds(real))
        throw new AppError(
          'path_not_allowed',
          `${checked} leads outside the allowed folders; the report was not written.`,
        );
      tmp = join(real, `.${fileName}.${randomBytes(6).toString('hex')}.partial`);
      const file = await open(tmp, 'wx', 0o640);
      try {
        await file.writeFile(body);
        await file.sync();
      } finally {
        await file.close();
      }
      // Two runs in the same second (a "run now" beside the planned one) keep both files.
      const dot = fileName.lastIndexOf('.');
      let final = join(real, fileName);
      for (let n = 2; await exists(final); n++)
        final = join(real, `${fileName.slice(0, dot)}-${n}${fileName.slice(dot)}`);
      await rename(tmp, final);
      tmp = null;
      return final;
    } catch (error) {
      throw describeWriteError(checked, error);
    } finally {
      if (tmp) await rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  return {
    check(target) {
      if (target.kind === 'folder') checkFolder(target.folder);
      else if (!deps.locationExists(target.locationId))
        throw new AppError('not_found', `No storage location ${target.locationId}.`);
    },
    async deliver(target, fileName, body) {
      if (target.kind === 'folder') return toFolder(target.folder, fileName, body);
      const prefix =
        target.prefix === '' || target.prefix.endsWith('/') ? target.prefix : `${target.prefix}/`;
      const format = fileName.slice(fileName.lastIndexOf('.') + 1) as ReportFormat;
      const put = await deps.putObject({
        locationId: target.locationId,
        key: `${prefix}${fileName}`,
        body,
        contentType: reportMimeTypes[format],
      });
      return `s3://${put.bucket}/${put.key}`;
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
