import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

/** Projects are keyed by real path, so a symlinked or relative spelling finds the same project. */
export function realPathOrResolved(path: string): string {
  try {
    return realpathSync(resolve(path));
  } catch {
    return resolve(path);
  }
}
