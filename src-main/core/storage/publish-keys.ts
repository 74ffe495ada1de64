// Pure naming of published renditions: which house profile and which source they belong to, and
// the object keys they live under. Two Airdecks that ingest the same object with the same house
// profile compute the same keys, which is how one finds what the other published.
//
//   <location prefix>airdeck/renditions/<profile fingerprint>/<source fingerprint>/
//     manifest.json            written last: its presence means every other object is in
//     main/index.m3u8, main/seg_00000.ts, …
//     proxy/index.m3u8, proxy/seg_00000.ts, …
//     poster.jpg, filmstrip.jpg, filmstrip.json
import { createHash } from 'node:crypto';
import type { HouseProfile } from '../../../src-shared/contract';

/** Bumped when the layout or the manifest changes in a way older readers cannot follow. */
export const PUBLISH_FORMAT_VERSION = 1;
export const RENDITIONS_ROOT = 'airdeck/renditions/';
export const MANIFEST_FILE = 'manifest.json';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Every field of the house profile, in a fixed order: renditions made with any other value
 * (frame size, bitrates, segment length, loudness target) are a different product.
 */
export function profileFingerprint(profile: HouseProfile): string {
  const fields = Object.keys(profile).sort() as (keyof HouseProfile)[];
  const canonical = JSON.stringify([
    PUBLISH_FORMAT_VERSION,
    fields.map((field) => [field, profile[field]]),
  ]);
  return sha256(canonical).slice(0, 16);
}

/** What identifies an S3 source on any Airdeck: the bucket, the full key and the ETag. */
export type S3SourceIdentity = { bucket: string; key: string; etag: string };

/**
 * The endpoint is left out on purpose: the same bucket is often reached by different URLs
 * (an internal host, a public one, a region alias). The ETag names the object's version.
 */
export function sourceFingerprint(source: S3SourceIdentity): string {
  return sha256(['s3', source.bucket, source.key, source.etag].join('\0')).slice(0, 32);
}

/** The folder (ending with `/`) holding one asset's published renditions. */
export function renditionsPrefix(
  locationPrefix: string,
  profileFp: string,
  sourceFp: string,
): string {
  if (!/^[0-9a-f]{16}$/.test(profileFp)) throw new Error(`bad profile fingerprint ${profileFp}`);
  if (!/^[0-9a-f]{32}$/.test(sourceFp)) throw new Error(`bad source fingerprint ${sourceFp}`);
  return `${locationPrefix}${RENDITIONS_ROOT}${profileFp}/${sourceFp}/`;
}

export function manifestKey(prefix: string): string {
  return `${prefix}${MANIFEST_FILE}`;
}

/**
 * A file of the asset's media folder, as the manifest names it: a rendition's playlist or
 * segment (`main/seg_00003.ts`) or a preview image or its description at the top. Nothing
 * else, so a manifest cannot write outside the folder or anything a route would serve.
 */
export function isPublishablePath(path: string): boolean {
  return /^(?:(?:main|proxy)\/[A-Za-z0-9_-]+\.(?:ts|m3u8)|[A-Za-z0-9_-]+\.(?:jpg|json))$/.test(
    path,
  );
}

/**
 * Where players fetch a published object: the base URL joined to the object key, each key
 * component percent-encoded (a location prefix may hold spaces or other reserved characters).
 */
export function publicObjectUrl(publicBaseUrl: string, key: string): string {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return `${base}/${key.split('/').map(encodeURIComponent).join('/')}`;
}
