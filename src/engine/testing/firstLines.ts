/** Longest message kept per test: enough for the assertion and its first frames. */
const MAX_CHARS = 1_500;

/** The start of a runner's failure text, trimmed to what a person and the next attempt need. */
export function firstLines(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > MAX_CHARS ? `${trimmed.slice(0, MAX_CHARS)}…` : trimmed;
}
