// Highest priority first, first in first out within a priority, at most `concurrency()`
// running. A job's failure is its own business: the queue only learns that a slot is free again.

export type JobQueue<K> = {
  /**
   * False if `key` is already queued or running. A waiting job of a higher `priority`
   * (default 0) starts before any of a lower one; running jobs are never interrupted.
   */
  add(key: K, priority?: number): boolean;
  /** Removes a job that has not started; false if it was not waiting. */
  remove(key: K): boolean;
  has(key: K): boolean;
  isRunning(key: K): boolean;
  /** Starts waiting jobs if slots are free (e.g. after the concurrency setting grew). */
  pump(): void;
  /** Stops starting jobs; running ones finish on their own. */
  pause(): void;
  waiting(): K[];
};

export function createJobQueue<K>(options: {
  concurrency: () => number;
  run: (key: K) => Promise<void>;
}): JobQueue<K> {
  const waiting: { key: K; priority: number }[] = [];
  const running = new Set<K>();
  const indexOf = (key: K) => waiting.findIndex((w) => w.key === key);
  let paused = false;

  function pump(): void {
    while (!paused && waiting.length > 0 && running.size < Math.max(1, options.concurrency())) {
      const key = (waiting.shift() as { key: K }).key;
      running.add(key);
      void options
        .run(key)
        .catch(() => undefined)
        .finally(() => {
          running.delete(key);
          pump();
        });
    }
  }

  return {
    add(key, priority = 0) {
      if (running.has(key) || indexOf(key) >= 0) return false;
      const before = waiting.findIndex((w) => w.priority < priority);
      waiting.splice(before < 0 ? waiting.length : before, 0, { key, priority });
      pump();
      return true;
    },
    remove(key) {
      const index = indexOf(key);
      if (index < 0) return false;
      waiting.splice(index, 1);
      return true;
    },
    has: (key) => running.has(key) || indexOf(key) >= 0,
    isRunning: (key) => running.has(key),
    pump,
    pause() {
      paused = true;
    },
    waiting: () => waiting.map((w) => w.key),
  };
}
