import type { Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, normalize } from 'node:path';
import type { PathGuard } from './allowed-roots';
import type { AssetIntake } from './asset-intake';
import type { FolderTree } from './folder-tree';
import { assetNameFromFile, cleanName } from './names';

export type ImportResult = { path: string; assetId: number | null; error: string | null };

/**
 * Which paths an import may read: those a guard allows (every contract call), or any path the
 * process can read ('any-path': the shell user's own `airdeck import`, the demo's own clips).
 */
export type ImportScope = PathGuard | 'any-path';

/** Above this, a dropped folder is almost certainly a mistake (a home directory, a disk). */
const MAX_FILES_PER_CALL = 20_000;

/**
 * Files nobody means to import: hidden files (.DS_Store, ._resource forks, editor swap files)
 * and downloads or copies still in progress.
 */
export function isIgnoredFileName(name: string): boolean {
  return (
    name.startsWith('.') ||
    name.startsWith('~$') ||
    /\.(part|partial|crdownload|download|tmp)$/i.test(name) ||
    name === 'Thumbs.db' ||
    name === 'desktop.ini'
  );
}

function describeKind(info: Stats): string {
  if (info.isSocket()) return 'a socket';
  if (info.isFIFO()) return 'a pipe';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file or folder';
}

function errorText(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many symbolic links';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Imports paths on the core machine: files as they are, folders recursively with their
 * sub-folders recreated as library folders. Each path gets its own result, so one bad path never
 * fails the others.
 */
export function createPathImporter(folders: FolderTree, intake: AssetIntake) {
  async function importFile(path: string, info: Stats, folderId: number): Promise<ImportResult> {
    try {
      const asset = intake.add({
        folderId,
        name: assetNameFromFile(path),
        sourceKind: 'file',
        location: path,
        size: info.size,
        mtimeMs: info.mtimeMs,
      });
      return { path, assetId: asset.id, error: null };
    } catch (error) {
      return { path, assetId: null, error: errorText(error) };
    }
  }

  async function importDirectory(
    dir: string,
    folderId: number,
    results: ImportResult[],
    seen: Set<string>,
    scope: ImportScope,
  ): Promise<void> {
    // A symlink back up the tree would otherwise recurse forever.
    const real = await realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    const entries = (await readdir(dir)).filter((n) => !isIgnoredFileName(n)).sort();
    for (const name of entries) {
      if (results.length >= MAX_FILES_PER_CALL) {
        results.push({
          path: dir,
          assetId: null,
          error: `stopped after ${MAX_FILES_PER_CALL} files`,
        });
        return;
      }
      const path = join(dir, name);
      let info: Stats;
      try {
        info = await stat(path);
        // A symbolic link in an allowed folder may point anywhere: where it leads must be allowed.
        if (scope !== 'any-path' && !scope.holds(await realpath(path))) {
          results.push({
            path,
            assetId: null,
            error: 'path_not_allowed: leads outside the allowed folders',
          });
          continue;
        }
      } catch (error) {
        results.push({ path, assetId: null, error: errorText(error) });
        continue;
      }
      if (info.isDirectory()) {
        const childName = cleanName(name) || 'Untitled';
        await importDirectory(
          path,
          folders.ensurePath(folderId, [childName]),
          results,
          seen,
          scope,
        );
      } else if (info.isFile()) {
        results.push(await importFile(path, info, folderId));
      }
      // Devices, sockets and pipes inside a folder are skipped silently: nobody dropped them.
    }
  }

  return async (
    paths: readonly string[],
    folderId: number,
    scope: ImportScope,
  ): Promise<ImportResult[]> => {
    folders.get(folderId);
    // Every path is checked before any is imported: a refused call imports nothing.
    // (A relative or NUL-containing path is never touched: it is reported on its own below.)
    if (scope !== 'any-path') {
      for (const given of paths) {
        if (isAbsolute(given) && !given.includes('\0')) scope.check(given);
      }
    }
    const results: ImportResult[] = [];
    for (const given of paths) {
      if (given.includes('\0')) {
        results.push({ path: given.replaceAll('\0', ''), assetId: null, error: 'invalid path' });
        continue;
      }
      if (!isAbsolute(given)) {
        results.push({ path: given, assetId: null, error: 'must be an absolute path' });
        continue;
      }
      const path = normalize(given);
      let info: Stats;
      try {
        info = await stat(path);
      } catch (error) {
        results.push({ path, assetId: null, error: errorText(error) });
        continue;
      }
      if (info.isFile()) {
        results.push(await importFile(path, info, folderId));
      } else if (info.isDirectory()) {
        try {
          const name = cleanName(basename(path)) || 'Untitled';
          await importDirectory(
            path,
            folders.ensurePath(folderId, [name]),
            results,
            new Set(),
            scope,
          );
        } catch (error) {
          results.push({ path, assetId: null, error: errorText(error) });
        }
      } else {
        results.push({ path, assetId: null, error: `is ${describeKind(info)}, not a media file` });
      }
    }
    return results;
  };
}
