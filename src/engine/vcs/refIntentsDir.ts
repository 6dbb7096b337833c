import { join } from 'node:path';

/** The folder of ref-lock intents (`createRefLockIntent`) inside a data directory. */
export function refIntentsDir(options: {
  /** The data directory (from `openDataDir` or `resolveDataDir`). */
  dataDir: string;
}): string {
  return join(options.dataDir, 'ref-intents');
}
