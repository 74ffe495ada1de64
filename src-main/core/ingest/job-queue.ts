// First in, first out, at most `concurrency()` running. A job's failure is its own business:
// the queue only learns that a slot is free again.

export type JobQueue<K> = {
  /** False if `key` is already queued or running. */
  add(key: K): boolean;
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
  const waiting: K[] = [];
  const running = new Set<K>();
  let paused = false;

  function pump(): void {
    while (!paused && waiting.length > 0 && running.size < Math.max(1, options.concurrency())) {
      const key = waiting.shift() as K;
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
    add(key) {
      if (running.has(key) || waiting.includes(key)) return false;
      waiting.push(key);
      pump();
      return true;
    },
    remove(key) {
      const index = waiting.indexOf(key);
      if (index < 0) return false;
      waiting.splice(index, 1);
      return true;
    },
    has: (key) => running.has(key) || waiting.includes(key),
    isRunning: (key) => running.has(key),
    pump,
    pause() {
      paused = true;
    },
    waiting: () => [...waiting],
  };
}
