/** Runs tasks one at a time per key; tasks under different keys run independently. */
export interface SerialQueue<K> {
  /**
   * Runs `work` once every task queued earlier under the same key has settled, and answers its result. A task
   * that fails does not hold up the next one. When `signal` aborts while the task is still waiting, the
   * returned promise rejects with the signal's reason and `work` never runs; tasks queued after it still wait
   * for the ones queued before it.
   */
  run<T>(options: {
    /** Tasks with equal keys (SameValueZero) run in the order they were queued. */
    key: K;
    /** The task; it starts only when its turn comes. */
    work: () => Promise<T> | T;
    /** Gives up waiting for the turn; a task already running is not interrupted by the queue. */
    signal?: AbortSignal;
  }): Promise<T>;
}

/** A keyed serial queue: one chain of tasks per key, forgotten once it runs empty. */
export function createSerialQueue<K = string>(): SerialQueue<K> {
  // Each key maps to a promise that resolves when its last queued task has settled; it never rejects.
  const tails = new Map<K, Promise<void>>();

  return {
    async run({ key, work, signal }) {
      const previous = tails.get(key) ?? Promise.resolve();
      let release!: () => void;
      const current = new Promise<void>((resolve) => (release = resolve));
      // Waits for `previous` too, so a task that gave up early still keeps later ones behind earlier ones.
      const tail = previous.then(() => current);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      try {
        await (signal ? untilAborted(previous, signal) : previous);
        return await work();
      } finally {
        release();
      }
    },
  };
}

function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
