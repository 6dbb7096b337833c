import { join } from 'node:path';

/** The folder of project locks inside a data directory. */
export function projectLocksDir(options: {
  /** The data directory (from `openDataDir` or `resolveDataDir`). */
  dataDir: string;
}): string {
  return join(options.dataDir, 'locks');
}
