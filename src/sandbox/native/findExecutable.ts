import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The first executable file called `name` on `searchPath` (a PATH value), or null when there is none. */
export function findExecutable(options: {
  /** Program name, e.g. `bwrap`; an absolute path is checked as it is. */
  name: string;
  /** Directories to search, joined like PATH. Default: this process's PATH. */
  searchPath?: string;
}): string | null {
  const candidates = isAbsolute(options.name)
    ? [options.name]
    : (options.searchPath ?? process.env.PATH ?? '')
        .split(delimiter)
        .filter((dir) => isAbsolute(dir))
        .map((dir) => join(dir, options.name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here; keep looking.
    }
  }
  return null;
}
