// Pure helpers naming S3 objects: the asset source reference and the cache's file names.
import { createHash } from 'node:crypto';
import { extname } from 'node:path';

/** `assets.source_location` of an S3 asset: the location's id (stable across renames) + key. */
export function formatS3Source(locationId: number, key: string): string {
  return `s3://${locationId}/${key}`;
}

export function parseS3Source(source: string): { locationId: number; key: string } | null {
  const match = /^s3:\/\/([1-9][0-9]{0,15})\/(.+)$/s.exec(source);
  if (!match) return null;
  return { locationId: Number(match[1]), key: match[2]! };
}

/** S3 quotes ETags on the wire; we keep them bare. */
export function normalizeEtag(raw: string | undefined | null): string | null {
  if (!raw) return null;
  const bare = raw.replace(/^W\//, '').replace(/^"|"$/g, '');
  return bare === '' ? null : bare;
}

/**
 * A single-part upload's ETag is the MD5 of the content; a multipart one is the MD5 of the
 * parts' MD5s with `-<parts>` appended, which cannot be checked without the part sizes. SSE-KMS
 * objects also have non-MD5 ETags, but those are not 32 hex digits either way we can tell.
 */
export function etagIsContentMd5(etag: string): boolean {
  return /^[0-9a-f]{32}$/i.test(etag);
}

/**
 * Where a verified object lives, relative to the cache folder: one folder per location, 256
 * fan-out folders, a name hashed from key + ETag (a changed object is a new file, never an
 * overwrite of one somebody may be reading) keeping the key's extension for tools that look.
 */
export function cacheFileFor(locationId: number, key: string, etag: string): string {
  const hash = createHash('sha256').update(key).update('\0').update(etag).digest('hex');
  const ext = extname(key)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, '')
    .slice(0, 12);
  return `${locationId}/${hash.slice(0, 2)}/${hash.slice(0, 40)}${ext}`;
}

export const PARTIAL_SUFFIX = '.partial';

/** Last path component of a key or a folder prefix. */
export function baseName(keyOrPrefix: string): string {
  const trimmed = keyOrPrefix.endsWith('/') ? keyOrPrefix.slice(0, -1) : keyOrPrefix;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
