import type { Clock } from './clock';

/**
 * Calls `tick` on every whole second of the given clock (not every 1000 ms from start), so
 * every window's clock turns over at the same moment.
 */
export function startSecondTicker(clock: Clock, tick: (now: number) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    const delay = 1000 - (clock.now() % 1000);
    timer = setTimeout(() => {
      tick(clock.now());
      schedule();
    }, delay);
    timer.unref();
  };
  schedule();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
