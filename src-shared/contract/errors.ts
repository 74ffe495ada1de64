import { z } from 'zod';

/** Every failure that crosses a transport is data, never a stack trace. */
export const errorCodes = [
  'invalid_request',
  'unknown_method',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'unavailable',
  /** A disk path outside the folders an admin allows (import and watch folders). */
  'path_not_allowed',
  'internal',
] as const;
export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** One refused value of a form-like payload (e.g. `fields.brand`), so a form can mark it. */
export const FieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof FieldErrorSchema>;

export const ContractErrorSchema = z.object({
  code: ErrorCode,
  message: z.string(),
  fields: z.array(FieldErrorSchema).optional(),
});
export type ContractError = z.infer<typeof ContractErrorSchema>;

export type CallResult<T> = { ok: true; result: T } | { ok: false; error: ContractError };
