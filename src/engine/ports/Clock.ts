/** Time source, injected so tests and replays are deterministic. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Waits `ms` milliseconds, or less when `signal` aborts (it then resolves, never rejects). Used while
   * the session waits for its environment to come back. Default: a real timer.
   */
  sleep?(options: { ms: number; signal?: AbortSignal }): Promise<void>;
}
