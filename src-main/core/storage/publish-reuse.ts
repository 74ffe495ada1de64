// Reuse: an asset imported from S3 whose renditions another Airdeck (or this one, before its
// data folder was lost) published for the same object and the same house profile is not
// transcoded: its renditions are downloaded instead, every object checked against the
// manifest's size (and its MD5 where the ETag is one). Anything doubtful answers null and the
// ingest reads the source as usual; the reason is logged.
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GetObjectCommand, NoSuchKey, S3ServiceException } from '@aws-sdk/client-s3';
import type { HouseProfile } from '../../../src-shared/contract';
import type { CoreContext } from '../core-context';
import type { ObtainHooks, ObtainedRenditions } from '../ingest/ingest-service';
import { newPartialDir } from '../ingest/media-layout';
import type { VerifiedRendition } from '../ingest/segment-verifier';
import type { LocationRow } from './location-store';
import { etagIsContentMd5, normalizeEtag } from './object-ref';
import {
  manifestKey,
  profileFingerprint,
  renditionsPrefix,
  sourceFingerprint,
} from './publish-keys';
import { parsePublishManifest, type PublishManifest } from './publish-manifest';
import { forEachLimit, type BucketHandle } from './publisher';

const DOWNLOAD_CONCURRENCY = 4;
/** Looking for a manifest must not hold an ingest up behind a location that does not answer. */
const LOOKUP_TIMEOUT_MS = 15_000;

export type ReuseOptions = {
  objectOf(assetId: number): { location_id: number; object_key: string; etag: string } | undefined;
  locations(): LocationRow[];
  bucketFor(locationId: number): BucketHandle;
};

function isMissing(error: unknown): boolean {
  return (
    error instanceof NoSuchKey ||
    (error instanceof S3ServiceException &&
      (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404))
  );
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function getBytes(
  handle: BucketHandle,
  key: string,
  signal: AbortSignal,
): Promise<{ body: Uint8Array; etag: string | null }> {
  const out = await handle.client.send(new GetObjectCommand({ Bucket: handle.bucket, Key: key }), {
    abortSignal: signal,
  });
  if (!out.Body) throw new Error(`${key}: the server sent no body`);
  return { body: await out.Body.transformToByteArray(), etag: normalizeEtag(out.ETag) };
}

/** The rendition as ingest's verifier would have described it; frames from exact durations. */
export function renditionFromManifest(
  rendition: PublishManifest['renditions']['main'],
  fps: number,
): VerifiedRendition {
  const frameAt = (ms: number) => Math.round((ms * fps) / 1000);
  const segments = rendition.segments.map((s) => ({
    seq: s.seq,
    file: s.file,
    startMs: s.startMs,
    durationMs: s.durationMs,
    bytes: s.bytes,
    frames: frameAt(s.startMs + s.durationMs) - frameAt(s.startMs),
  }));
  return {
    segments,
    frames: segments.reduce((sum, s) => sum + s.frames, 0),
    durationMs: rendition.durationMs,
    bytes: segments.reduce((sum, s) => sum + s.bytes, 0),
    width: rendition.width,
    height: rendition.height,
  };
}

/** Throws unless the manifest describes renditions of this source in this house profile. */
export function checkManifestFits(
  manifest: PublishManifest,
  expected: { profileFp: string; sourceFp: string; profile: HouseProfile },
): void {
  if (manifest.source.fingerprint !== expected.sourceFp)
    throw new Error('it was made from another source');
  if (
    manifest.profileFingerprint !== expected.profileFp ||
    profileFingerprint(manifest.profile) !== expected.profileFp
  )
    throw new Error('it was made with another house profile');
  const { main, proxy } = manifest.renditions;
  const { profile } = expected;
  if (main.width !== profile.width || main.height !== profile.height)
    throw new Error(`its main rendition is ${main.width}x${main.height}`);
  if (proxy.width !== profile.proxyWidth || proxy.height !== profile.proxyHeight)
    throw new Error(`its proxy rendition is ${proxy.width}x${proxy.height}`);
  if (main.segments.length !== proxy.segments.length)
    throw new Error('its proxy is not cut like its main rendition');
}

/**
 * Where to look for a manifest, in order: the asset's own location, then every folder above
 * the object in its bucket (another station may have configured the bucket with a shorter or
 * longer prefix than ours: it published under its own), then the other locations.
 */
export function lookupRoots(
  origin: LocationRow,
  objectKey: string,
  locations: readonly LocationRow[],
): { location: LocationRow; root: string }[] {
  const roots = [{ location: origin, root: origin.prefix }];
  const seen = new Set([`${origin.id}\0${origin.prefix}`]);
  const add = (location: LocationRow, root: string) => {
    const id = `${location.id}\0${root}`;
    if (seen.has(id)) return;
    seen.add(id);
    roots.push({ location, root });
  };
  const parts = objectKey.split('/').slice(0, -1);
  for (let depth = parts.length; depth >= 0; depth--) {
    add(origin, depth === 0 ? '' : `${parts.slice(0, depth).join('/')}/`);
  }
  for (const location of locations) add(location, location.prefix);
  return roots;
}

export function createRenditionReuse(context: CoreContext, options: ReuseOptions) {
  const { logger, mediaDir } = context;

  async function download(
    handle: BucketHandle,
    prefix: string,
    manifest: PublishManifest,
    dir: string,
    signal: AbortSignal,
    onProgress: (fraction: number) => void,
  ): Promise<void> {
    const total = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
    let done = 0;
    await forEachLimit(manifest.files, DOWNLOAD_CONCURRENCY, async (file) => {
      const { body, etag } = await getBytes(handle, prefix + file.path, signal);
      if (body.length !== file.bytes)
        throw new Error(`${file.path} has ${body.length} bytes, the manifest says ${file.bytes}`);
      if (etag && etagIsContentMd5(etag)) {
        const md5 = createHash('md5').update(body).digest('hex');
        if (md5 !== etag.toLowerCase()) throw new Error(`${file.path} does not match its ETag`);
      }
      const target = join(dir, file.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, body);
      done += file.bytes;
      onProgress(total > 0 ? done / total : 1);
    });
  }

  /** Published renditions of the asset's object, downloaded and checked; null to ingest. */
  async function obtain(
    assetId: number,
    profile: HouseProfile,
    signal: AbortSignal,
    hooks: ObtainHooks,
  ): Promise<ObtainedRenditions | null> {
    const object = options.objectOf(assetId);
    if (!object) return null;
    const locations = options.locations();
    const origin = locations.find((l) => l.id === object.location_id);
    if (!origin) return null;
    const profileFp = profileFingerprint(profile);
    const sourceFp = sourceFingerprint({
      bucket: origin.bucket,
      key: object.object_key,
      etag: object.etag,
    });
    for (const { location, root } of lookupRoots(origin, object.object_key, locations)) {
      const prefix = renditionsPrefix(root, profileFp, sourceFp);
      let handle: BucketHandle;
      let text: string;
      try {
        handle = options.bucketFor(location.id);
        const lookup = AbortSignal.any([signal, AbortSignal.timeout(LOOKUP_TIMEOUT_MS)]);
        const { body } = await getBytes(handle, manifestKey(prefix), lookup);
        text = Buffer.from(body).toString('utf8');
      } catch (error) {
        if (signal.aborted) throw error;
        if (!isMissing(error)) {
          logger.warn(
            `asset ${assetId}: could not look for published renditions in ${location.name}: ${describe(error)}`,
          );
        }
        continue;
      }
      const dir = newPartialDir(mediaDir, assetId);
      try {
        const manifest = parsePublishManifest(text);
        checkManifestFits(manifest, { profileFp, sourceFp, profile });
        hooks.onProbed(manifest.probe);
        await download(handle, prefix, manifest, dir, signal, hooks.onProgress);
        logger.info(
          `asset ${assetId}: using the renditions published in ${location.name} (${prefix}) instead of ingesting`,
        );
        return {
          dir,
          method: manifest.ingestMethod,
          main: renditionFromManifest(manifest.renditions.main, profile.fps),
          proxy: renditionFromManifest(manifest.renditions.proxy, profile.fps),
        };
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        if (signal.aborted) throw error;
        logger.warn(
          `asset ${assetId}: the renditions published in ${location.name} (${prefix}) cannot be used, ingesting from the source instead: ${describe(error)}`,
        );
        return null;
      }
    }
    return null;
  }

  return { obtain };
}
