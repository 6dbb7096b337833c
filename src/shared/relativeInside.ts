/**
 * `path` relative to `dir` with forward slashes (`''` when they are the same), or null when `path` is not
 * inside `dir` (see isPathInside).
 */
export function relativeInside(options: {
  /** Absolute path to locate. */
  path: string;
  /** Absolute directory it must be in. */
  dir: string;
}): string | null {
  const path = absoluteSegments(options.path);
  const dir = absoluteSegments(options.dir);
  if (path === null || dir === null || path.length < dir.length) return null;
  if (dir.some((segment, index) => path[index] !== segment)) return null;
  return path.slice(dir.length).join('/');
}

function absoluteSegments(path: string): string[] | null {
  if (!path.startsWith('/')) return null;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    // `/..` is `/`, as the kernel resolves it.
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments;
}
