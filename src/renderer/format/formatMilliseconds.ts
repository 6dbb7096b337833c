/** A short duration for steps that take milliseconds to minutes, e.g. `120 ms`, `2.9 s`, `1m 04s`. */
export function formatMilliseconds(options: {
  /** The duration in milliseconds. */
  ms: number;
}): string {
  const ms = Math.max(0, Math.round(options.ms));
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}
