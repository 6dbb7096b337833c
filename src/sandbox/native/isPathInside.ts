import { sep } from 'node:path';

/** True when absolute `path` is `dir` or lies under it (by path text; resolve symlinks first where they matter). */
export function isPathInside(path: string, dir: string): boolean {
  return path === dir || dir === sep || path.startsWith(`${dir}${sep}`);
}
