/** Injected everywhere time matters, so tests can run a week of schedule in a second. */
export type Clock = { now(): number };

export const systemClock: Clock = { now: () => Date.now() };
