import { basename, extname } from 'node:path';

const MAX_NAME_LENGTH = 255;

/**
 * Names are shown, never used as paths, so anything printable is kept (spaces, quotes, any
 * script). Control characters are dropped because they corrupt lists, logs and JSON lines.
 */
export function cleanName(raw: string): string {
  return (
    raw
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
      .trim()
      .slice(0, MAX_NAME_LENGTH)
  );
}

/** A folder or asset name as stored; '/' and '\\' are refused because library paths use '/'. */
export function isStorableName(name: string): boolean {
  return name.length > 0 && !/[/\\]/.test(name) && name !== '.' && name !== '..';
}

/** "Evening News.final.mp4" → "Evening News.final": the asset title a person expects. */
export function assetNameFromFile(filePath: string): string {
  const base = basename(filePath);
  const ext = extname(base);
  const stem = ext && ext !== base ? base.slice(0, -ext.length) : base;
  return cleanName(stem) || cleanName(base) || 'Untitled';
}

/** Slash-separated library path → cleaned, non-empty segments. */
export function splitLibraryPath(path: string): string[] {
  return path
    .split('/')
    .map(cleanName)
    .filter((segment) => segment.length > 0);
}
