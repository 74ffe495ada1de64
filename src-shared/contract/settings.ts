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

// yuv420p halves chroma both ways, so H.264 in the house format needs even sizes.
const EvenSize = (min: number, max: number) => z.number().int().min(min).max(max).multipleOf(2);

const houseProfileShape = {
  width: EvenSize(160, 3840),
  height: EvenSize(90, 2160),
  /** Whole frames per second: segment and programme lengths stay whole milliseconds at 25/50. */
  fps: z.number().int().min(1).max(60),
  videoBitrateKbps: z.number().int().min(100).max(50_000),
  audioBitrateKbps: z.number().int().min(32).max(512),
  /** Every segment is this long (the last one may be shorter) and starts on a keyframe. */
  segmentSeconds: z.number().int().min(1).max(10),
  /** Integrated loudness target (EBU R128 is −23 LUFS). */
  loudnessLufs: z.number().min(-40).max(-5),
  proxyWidth: EvenSize(160, 1920),
  proxyHeight: EvenSize(90, 1080),
  proxyVideoBitrateKbps: z.number().int().min(50).max(5_000),
};

/** The format every asset is ingested into; a source already in it is only remuxed. */
export const HouseProfileSchema = z.object({
  width: houseProfileShape.width.default(1280),
  height: houseProfileShape.height.default(720),
  fps: houseProfileShape.fps.default(25),
  videoBitrateKbps: houseProfileShape.videoBitrateKbps.default(4000),
  audioBitrateKbps: houseProfileShape.audioBitrateKbps.default(128),
  segmentSeconds: houseProfileShape.segmentSeconds.default(2),
  loudnessLufs: houseProfileShape.loudnessLufs.default(-23),
  proxyWidth: houseProfileShape.proxyWidth.default(480),
  proxyHeight: houseProfileShape.proxyHeight.default(270),
  proxyVideoBitrateKbps: houseProfileShape.proxyVideoBitrateKbps.default(400),
});
export type HouseProfile = z.infer<typeof HouseProfileSchema>;

/**
 * Where players and tuners on the network reach this station (M3U, HDHomeRun and guide URLs are
 * built on it): an absolute http(s) URL, kept without a trailing slash. Null: the server's own
 * listening address. The request's Host header is never used (anyone can send any).
 */
export const PublicBaseUrl = z
  .string()
  .trim()
  .max(2000)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (
          (url.protocol === 'http:' || url.protocol === 'https:') &&
          url.username === '' &&
          url.password === '' &&
          url.search === '' &&
          url.hash === ''
        );
      } catch {
        return false;
      }
    },
    { message: 'an absolute http(s) URL without credentials, query or fragment' },
  )
  .transform((value) => value.replace(/\/+$/, ''));

/** An absolute disk path (POSIX or Windows); the core resolves and checks it. */
const AbsolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0') && (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)), {
    message: 'an absolute path',
  });

/**
 * Folders under which import and watch folders may lie. Null: the default of this machine
 * (`<data>/import`, plus the home folder on the desktop).
 */
export const AllowedRoots = z.array(AbsolutePath).max(64);

/** Station-wide settings. Every field has a default so an empty database is a working station. */
export const SettingsSchema = z.object({
  stationName: z.string().trim().min(1).max(80).default('Airdeck'),
  timeZone: TimeZone.default('UTC'),
  clockFormat: z.enum(['24h', '12h']).default('24h'),
  // prefault runs the inner defaults, so a stored profile missing a newer field still parses.
  houseProfile: HouseProfileSchema.prefault({}),
  /** Ingest jobs run at once; each ffmpeg already uses every core, so 1 suits most machines. */
  ingestConcurrency: z.number().int().min(1).max(8).default(1),
  publicBaseUrl: PublicBaseUrl.nullable().default(null),
  allowedRoots: AllowedRoots.nullable().default(null),
  /**
   * Webhook URLs may point at private, loopback and link-local addresses (a partner on the
   * station's LAN). Off: such URLs are refused, so a key holder cannot reach inside the network.
   */
  webhooksAllowPrivate: z.boolean().default(false),
  /** Days of audience history (per-minute viewers and viewing sessions) kept. */
  audienceRetentionDays: z.number().int().min(1).max(3650).default(90),
});
export type Settings = z.infer<typeof SettingsSchema>;

/**
 * A patch names only what changes; `houseProfile` is merged field by field into the stored
 * profile, so changing the loudness target does not reset the frame size.
 */
export const SettingsPatchSchema = z
  .object({
    stationName: z.string().trim().min(1).max(80),
    timeZone: TimeZone,
    clockFormat: z.enum(['24h', '12h']),
    houseProfile: z.object(houseProfileShape).partial().strict(),
    ingestConcurrency: z.number().int().min(1).max(8),
    publicBaseUrl: PublicBaseUrl.nullable(),
    allowedRoots: AllowedRoots.nullable(),
    webhooksAllowPrivate: z.boolean(),
    audienceRetentionDays: z.number().int().min(1).max(3650),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;
