// Disk paths a caller of the contract may make the core read (import folders, watch folders)
// lie under roots an admin allows. Without this, anyone who may import could have the core
// ingest (and serve back as media) any file its user can read: ~/.ssh, other data folders.
//
// A path is checked twice: as written (no `..` segment, lexically under a root: a refused path
// is never touched, so the answer says nothing about what exists outside the roots), then as it
// resolves on disk (realpath), so a symbolic link inside a root cannot lead out of it.
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { AppError } from '../errors';

export type PathGuard = {
  /**
   * The path, normalised, when it may be read; throws `path_not_allowed` otherwise. A path that
   * does not exist (but would lie under a root) is returned as written, for the caller to report.
   */
  check(path: string): string;
  /** True when `real` (already resolved by realpath) lies under a root. */
  holds(real: string): boolean;
  /** The roots in force, resolved. */
  roots(): string[];
};

/**
 * Without a setting: `<data>/import` everywhere, and on the desktop the signed-in user's home
 * folder too (files dropped on the window come from there). `serve` reads nothing else unless
 * told (`--allow-root`, `AIRDECK_ALLOWED_ROOTS` or the station setting).
 */
export function defaultAllowedRoots(dataDir: string, mode: 'desktop' | 'headless'): string[] {
  const roots = [join(dataDir, 'import')];
  if (mode === 'desktop') roots.push(homedir());
  return roots;
}

/** `AIRDECK_ALLOWED_ROOTS`: paths separated by the platform's delimiter (`:`; `;` on Windows). */
export function parseRootList(
  value: string | undefined,
  delimiter = process.platform === 'win32' ? ';' : ':',
): string[] {
  return (value ?? '')
    .split(delimiter)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

function notAllowed(path: string, why: string): AppError {
  return new AppError(
    'path_not_allowed',
    `${path} ${why}. Allowed folders are set in Settings (allowed roots) or with serve --allow-root.`,
  );
}

function isUnder(child: string, root: string): boolean {
  return child === root || child.startsWith(root.endsWith(sep) ? root : root + sep);
}

export function createPathGuard(configuredRoots: () => readonly string[]): PathGuard {
  /** Roots as given (normalised) and as they resolve; a root that does not exist holds nothing. */
  // Synchronous: a handful of roots and one path per call (watch folders are added by a
  // synchronous handler); files inside a folder are resolved by the importer, asynchronously.
  function resolvedRoots(): { lexical: string[]; real: string[] } {
    const lexical: string[] = [];
    const real: string[] = [];
    for (const root of configuredRoots()) {
      if (!isAbsolute(root) || root.includes('\0')) continue;
      try {
        real.push(realpathSync(root));
        lexical.push(normalize(root));
      } catch {
        // Missing or unreadable: nothing can be imported from it anyway.
      }
    }
    return { lexical, real };
  }

  const holds = (real: string) => resolvedRoots().real.some((r) => isUnder(real, r));

  return {
    check(given) {
      if (given.includes('\0') || !isAbsolute(given))
        throw notAllowed(given, 'is not an absolute path');
      if (given.split(/[\\/]+/).includes('..')) throw notAllowed(given, 'contains ".."');
      const path = normalize(given);
      const roots = resolvedRoots();
      // Written under a root, or under where a root resolves to (a root may be a link itself).
      const written = [...roots.lexical, ...roots.real];
      if (!written.some((r) => isUnder(path, r)))
        throw notAllowed(path, 'is outside the allowed folders');
      let real: string;
      try {
        real = realpathSync(path);
      } catch {
        return path;
      }
      if (!roots.real.some((r) => isUnder(real, r))) {
        throw notAllowed(path, 'leads outside the allowed folders');
      }
      return path;
    },
    holds,
    roots: () => resolvedRoots().real,
  };
}
