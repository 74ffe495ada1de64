import { z } from 'zod';
import { ContractErrorSchema } from './errors';

/**
 * The WebSocket framing used by `serve`. One socket carries calls (with an id so replies can
 * overtake each other) and pushed events.
 */
export const ClientFrameSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  params: z.unknown().optional(),
});
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export const ServerFrameSchema = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number().int().nullable(), ok: z.literal(false), error: ContractErrorSchema }),
  z.object({ event: z.string(), data: z.unknown() }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** Close code sent when the token is missing or wrong (4000-4999 are application codes). */
export const CLOSE_UNAUTHORIZED = 4401;
export const WS_PATH = '/api/ws';
