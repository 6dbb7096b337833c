/** A short human duration between two instants, e.g. `42s`, `12m 03s`, `3h 07m`. */
export function formatDuration(options: {
  /** Epoch milliseconds. */
  startedAt: number;
  /** Epoch milliseconds; null means still going, measured up to `now`. */
  endedAt: number | null;
  /** Epoch milliseconds used for `endedAt: null`. Default: `Date.now()`. */
  now?: number;
}): string {
  const end = options.endedAt ?? options.now ?? Date.now();
  const seconds = Math.max(0, Math.round((end - options.startedAt) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
