const GIB = 1024 ** 3;

/**
 * Memory left to macOS and the user's apps: 15% of the total or 6 GiB, whichever is larger. Below that
 * the OS compresses and swaps, and a model that still "fits" makes the whole machine crawl.
 */
export function defaultReserveBytes(totalMemoryBytes: number): number {
  return Math.max(Math.round(totalMemoryBytes * 0.15), 6 * GIB);
}
