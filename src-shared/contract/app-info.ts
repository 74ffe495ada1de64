import { z } from 'zod';

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['desktop', 'headless']),
  dataDir: z.string(),
  platform: z.string(),
  nodeVersion: z.string(),
  startedAt: z.number().int(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/**
 * Where this core's HTTP server answers and the token it wants. The desktop page (app://) loads
 * posters and HLS from there; in a browser it is the page's own origin.
 */
export const MediaAccessSchema = z.object({
  baseUrl: z.string().nullable(),
  token: z.string().nullable(),
});
export type MediaAccess = z.infer<typeof MediaAccessSchema>;
