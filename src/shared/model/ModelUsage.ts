/** What a model call cost, as its backend measured it. */
export interface ModelUsage {
  promptTokens: number;
  outputTokens: number;
  /** Wall time of the whole call in milliseconds. */
  durationMs: number;
  /** Milliseconds until the first output token; null when the backend cannot tell. */
  timeToFirstTokenMs: number | null;
}
