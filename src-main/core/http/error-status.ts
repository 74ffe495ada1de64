import type { ErrorCode } from '../../../src-shared/contract';

/** The HTTP status every contract error code answers with, wherever a route sends one. */
export const httpStatusOf: Record<ErrorCode, number> = {
  invalid_request: 400,
  unknown_method: 404,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  path_not_allowed: 403,
  internal: 500,
};
