// The manifest of an asset's published renditions: what another Airdeck needs to adopt them as
// if it had ingested the source itself (the segment tables, the probe of the source, how it was
// ingested, the house profile) and the size of every object, to verify what it downloads.
import { z } from 'zod';
import { HouseProfileSchema, ProbeSchema } from '../../../src-shared/contract';
import { PUBLISH_FORMAT_VERSION, isPublishablePath } from './publish-keys';

const Count = z.number().int().nonnegative();
const FilePath = z.string().refine(isPublishablePath, { message: 'a file of a media folder' });

const ManifestSegment = z.object({
  seq: Count,
  /** Relative to the rendition's folder (`seg_00000.ts`). */
  file: z.string().regex(/^[A-Za-z0-9_-]+\.ts$/),
  startMs: Count,
  durationMs: z.number().int().positive(),
  bytes: z.number().int().positive(),
});

const ManifestRendition = z
  .object({
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    durationMs: Count,
    segments: z.array(ManifestSegment).min(1),
  })
  .refine(
    (r) =>
      r.segments.every(
        (s, i) =>
          s.seq === i &&
          s.startMs === (i === 0 ? 0 : r.segments[i - 1]!.startMs + r.segments[i - 1]!.durationMs),
      ),
    { message: 'segments are numbered from 0 and contiguous' },
  );

export const PublishManifestSchema = z
  .object({
    format: z.literal('airdeck-renditions'),
    version: z.literal(PUBLISH_FORMAT_VERSION),
    profileFingerprint: z.string().regex(/^[0-9a-f]{16}$/),
    /** The house profile the renditions were made with. */
    profile: HouseProfileSchema,
    source: z.object({
      fingerprint: z.string().regex(/^[0-9a-f]{32}$/),
      bucket: z.string(),
      key: z.string(),
      etag: z.string(),
      size: Count,
    }),
    ingestMethod: z.enum(['remux', 'transcode']),
    /** The source's probe, as the asset records it. */
    probe: ProbeSchema,
    renditions: z.object({ main: ManifestRendition, proxy: ManifestRendition }),
    /** Every object beside the manifest, relative to its folder, with its size in bytes. */
    files: z.array(z.object({ path: FilePath, bytes: Count })).min(1),
    publishedAt: z.number().int(),
  })
  .refine(
    (m) => {
      const listed = new Map(m.files.map((f) => [f.path, f.bytes]));
      return (['main', 'proxy'] as const).every((kind) =>
        m.renditions[kind].segments.every((s) => listed.get(`${kind}/${s.file}`) === s.bytes),
      );
    },
    { message: 'every segment is listed among the files with its size' },
  )
  .refine((m) => new Set(m.files.map((f) => f.path)).size === m.files.length, {
    message: 'each file is listed once',
  });
export type PublishManifest = z.infer<typeof PublishManifestSchema>;

/** Parses a downloaded manifest; a clear error for anything that is not one. */
export function parsePublishManifest(text: string): PublishManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('the manifest is not JSON');
  }
  const parsed = PublishManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `the manifest is not valid: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown'}`,
    );
  }
  return parsed.data;
}
