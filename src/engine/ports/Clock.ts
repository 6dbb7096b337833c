/** Time source, injected so tests and replays are deterministic. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}
