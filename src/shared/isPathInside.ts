import { relativeInside } from './relativeInside.js';

/**
 * Whether absolute POSIX `path` is `dir` or lies below it, after folding `.`, `..` and repeated or trailing
 * slashes, so `/work/a/../b` is inside `/work` and `/work2` is not. Pure path text: symlinks are not followed,
 * so callers that guard a real file system pass `realpath`s. A relative `path` or `dir` is never inside.
 */
export function isPathInside(options: {
  /** Absolute path to test. */
  path: string;
  /** Absolute directory it must be in. */
  dir: string;
}): boolean {
  return relativeInside(options) !== null;
}
