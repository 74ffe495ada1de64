import { timingSafeEqual } from 'node:crypto';

/** Constant-time comparison of a secret the caller gave (an output key) with ours. */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
