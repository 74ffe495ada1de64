/**
 * Counts failed sign-ins per key (an address, an account) in a sliding window. Bounded: the
 * oldest keys are dropped first when `maxKeys` is reached, so a flood of addresses cannot grow
 * memory without limit.
 */
export type AttemptLimiter = {
  /** Milliseconds until the key may try again, or 0. */
  retryAfterMs(key: string, now: number): number;
  fail(key: string, now: number): void;
  clear(key: string): void;
  /** Takes back the latest failure (an attempt counted ahead of its check that succeeded). */
  forgive(key: string): void;
  size(): number;
};

export function createAttemptLimiter(options: {
  maxFailures: number;
  windowMs: number;
  maxKeys?: number;
}): AttemptLimiter {
  const { maxFailures, windowMs } = options;
  const maxKeys = options.maxKeys ?? 50_000;
  const failures = new Map<string, number[]>();

  const recent = (key: string, now: number): number[] => {
    const list = failures.get(key);
    if (!list) return [];
    const kept = list.filter((at) => now - at < windowMs);
    if (kept.length === 0) failures.delete(key);
    else if (kept.length !== list.length) failures.set(key, kept);
    return kept;
  };

  return {
    retryAfterMs(key, now) {
      const list = recent(key, now);
      if (list.length < maxFailures) return 0;
      return Math.max(1, list[list.length - maxFailures]! + windowMs - now);
    },
    fail(key, now) {
      const list = recent(key, now);
      list.push(now);
      failures.delete(key);
      failures.set(key, list.slice(-maxFailures));
      if (failures.size > maxKeys) {
        const oldest = failures.keys().next().value;
        if (oldest !== undefined) failures.delete(oldest);
      }
    },
    clear(key) {
      failures.delete(key);
    },
    forgive(key) {
      const list = failures.get(key);
      if (!list) return;
      list.pop();
      if (list.length === 0) failures.delete(key);
    },
    size: () => failures.size,
  };
}
