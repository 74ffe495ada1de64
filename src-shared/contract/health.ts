import { z } from 'zod';

export const FfmpegInfoSchema = z.object({
  path: z.string().nullable(),
  source: z.enum(['env', 'bundled', 'path']).nullable(),
  version: z.string().nullable(),
  error: z.string().optional(),
});

export const HealthSchema = z.object({
  ok: z.boolean(),
  version: z.string(),
  uptimeMs: z.number().int().nonnegative(),
  db: z.object({ ok: z.boolean(), schemaVersion: z.number().int(), path: z.string() }),
  ffmpeg: FfmpegInfoSchema,
  memory: z.object({ rssBytes: z.number(), heapUsedBytes: z.number() }),
  load: z.array(z.number()),
  connections: z.number().int().nonnegative(),
});
export type Health = z.infer<typeof HealthSchema>;
