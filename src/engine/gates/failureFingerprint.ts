import { createHash } from 'node:crypto';
import type { FailureType } from '../../shared/failureType.js';

/** Characters of normalized output that identify a failure; more would capture incidental detail. */
const SIGNIFICANT_CHARS = 50;

/**
 * A 12-hex-digit id for "the same failure again": sha256 of the failure type, the file, and the first 50
 * characters of the output after normalizing away what differs between runs and workspaces (ANSI colour,
 * absolute paths, addresses, numbers such as durations and line numbers, whitespace).
 */
export function failureFingerprint(options: {
  /** Why the attempt failed. */
  failureType: FailureType;
  /** Workspace-relative file the failure is about, if any. */
  file?: string | null;
  /** The failure's output or message. */
  stderr: string;
}): string {
  const significant = normalize(options.stderr).slice(0, SIGNIFICANT_CHARS);
  return createHash('sha256')
    .update(`${options.failureType}\0${options.file ?? ''}\0${significant}`)
    .digest('hex')
    .slice(0, 12);
}

function normalize(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g, '')
      .replace(/(?<![\w.~-])(?:[A-Za-z]:)?[\\/][^\s'"`:,;()[\]<>|]+/g, '<path>')
      .replace(/\b0x[0-9a-f]+\b/gi, '<addr>')
      .replace(/\d+(?:\.\d+)?/g, '<n>')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
