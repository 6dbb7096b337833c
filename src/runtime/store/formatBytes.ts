/** Bytes for people: `512 B`, `3.4 MB`, `4.21 GB` (decimal units, as disks and download pages use). */
export function formatBytes(options: {
  /** A non-negative byte count. */
  bytes: number;
}): string {
  const { bytes } = options;
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${units[unit]}`;
}
