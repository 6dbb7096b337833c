/**
 * Generation speed: output tokens per second from the first token to the end of the call, so a long
 * prompt's processing time (which lands before the first token) does not hide how fast tokens come.
 * Null when it cannot be told: no first-token time, or fewer than two output tokens.
 */
export function decodeTokensPerSecond(options: {
  /** Output tokens of the call. */
  outputTokens: number;
  /** Wall time of the whole call, in milliseconds. */
  durationMs: number;
  /** Milliseconds from the call's start to its first output token; null when unknown. */
  timeToFirstTokenMs: number | null;
}): number | null {
  const { outputTokens, durationMs, timeToFirstTokenMs } = options;
  if (timeToFirstTokenMs === null || outputTokens < 2) return null;
  const decodeMs = durationMs - timeToFirstTokenMs;
  // The first token arrives with the prompt's processing; the rest are what was decoded after it.
  return decodeMs > 0 ? ((outputTokens - 1) * 1000) / decodeMs : null;
}
