import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The nearest directory at or above `from` that holds a `package.json`, or null. Resources are found
 * this way so the same code works from `src/` under tsx and from the bundled `out/` directory.
 */
export function findPackageRoot(options: {
  /** Absolute path of a file or directory to start from. */
  from: string;
}): string | null {
  let dir = options.from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
