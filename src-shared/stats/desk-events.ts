import { z } from 'zod';

/**
 * What the review desk reports about the people at it, one event at a time, in order. The
 * desk emits these; the statistics are computed from them alone, so the desk and the figures
 * can be built and tested apart. `deskSession` tells two windows of one person apart.
 */
const Base = {
  at: z.number().int(),
  personId: z.number().int().positive(),
  deskSession: z.string().min(1).max(100),
};
const Source = z.number().int().positive();

export const DeskEventSchema = z.discriminatedUnion('type', [
  z.object({ ...Base, type: z.literal('sessionStart') }),
  z.object({ ...Base, type: z.literal('sessionEnd') }),
  /** Keyboard or pointer input at the desk (throttled by the desk, e.g. one per second). */
  z.object({ ...Base, type: z.literal('input') }),
  /** Playback starts, or changes speed (a new start on a playing source replaces its speed). */
  z.object({
    ...Base,
    type: z.literal('playbackStart'),
    sourceId: Source,
    speed: z.number().positive().max(16),
  }),
  z.object({ ...Base, type: z.literal('playbackStop'), sourceId: Source }),
  z.object({ ...Base, type: z.literal('sourceOpen'), sourceId: Source }),
  z.object({ ...Base, type: z.literal('sourceClose'), sourceId: Source }),
  z.object({
    ...Base,
    type: z.literal('noteCreated'),
    sourceId: Source.nullable(),
    characters: z.number().int().min(0),
  }),
  z.object({ ...Base, type: z.literal('screenshot'), sourceId: Source }),
  z.object({ ...Base, type: z.literal('clip'), sourceId: Source }),
]);
export type DeskEvent = z.infer<typeof DeskEventSchema>;

/** Playback speeds are kept in bands, one integer column each: up to 1×, 2×, 4×, 8×, 16×. */
export const speedBands = [1, 2, 4, 8, 16] as const;
export type SpeedBand = (typeof speedBands)[number];
export function speedBand(speed: number): SpeedBand {
  return speedBands.find((b) => speed <= b) ?? 16;
}
