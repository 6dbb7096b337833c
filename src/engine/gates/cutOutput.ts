/** Default size kept of command output in rail details: 8 KB, as the rail result schema promises. */
const DEFAULT_LIMIT_BYTES = 8 * 1024;

/**
 * Cuts command output to a byte budget, keeping the start (where the first error usually is) and the end
 * (where the summary is) with a marker saying how much was dropped.
 */
export function cutOutput(options: {
  /** Output to cut. */
  text: string;
  /** Bytes kept in total. Default 8192. */
  limitBytes?: number;
}): string {
  const limit = options.limitBytes ?? DEFAULT_LIMIT_BYTES;
  const bytes = Buffer.from(options.text, 'utf8');
  if (bytes.length <= limit) return options.text;
  const half = Math.floor(limit / 2);
  const head = bytes.subarray(0, half).toString('utf8');
  const tail = bytes.subarray(bytes.length - half).toString('utf8');
  return `${head}\n[... ${bytes.length - 2 * half} bytes cut ...]\n${tail}`;
}
