import { z } from 'zod';

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const TimeZone = z
  .string()
  .min(1)
  .refine(isIanaZone, { message: 'not an IANA time zone (e.g. Europe/Berlin)' });

/** Station-wide settings. Every field has a default so an empty database is a working station. */
export const SettingsSchema = z.object({
  stationName: z.string().trim().min(1).max(80).default('Airdeck'),
  timeZone: TimeZone.default('UTC'),
  clockFormat: z.enum(['24h', '12h']).default('24h'),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingsPatchSchema = z
  .object({
    stationName: z.string().trim().min(1).max(80),
    timeZone: TimeZone,
    clockFormat: z.enum(['24h', '12h']),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;
