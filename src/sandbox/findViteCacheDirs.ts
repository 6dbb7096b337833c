import { mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/** What vite (and vitest on it) writes inside `node_modules`: its cache (`.vite`) and bundled config files. */
const VITE_DIRS = ['.vite', '.vite-temp'];

/**
 * The folders inside the linked read-only `node_modules` folders that vite and vitest must be able to write:
 * vite puts its cache in `node_modules/.vite` and bundles `vitest.config.ts` into `node_modules/.vite-temp`,
 * and fails the run (exit 1) when it cannot; no environment variable moves them. Each is created on the host
 * when missing (as vite itself would), so a sandbox can mount a private writable folder over it; a folder that
 * cannot be created is left out.
 */
export function findViteCacheDirs(options: {
  /** Host folders shown read-only in the sandbox; those named `node_modules` are looked at. */
  readOnlyDirs: string[];
}): string[] {
  const found: string[] = [];
  for (const dir of options.readOnlyDirs) {
    if (basename(dir) !== 'node_modules') continue;
    for (const name of VITE_DIRS) {
      const path = join(dir, name);
      try {
        mkdirSync(path, { recursive: true });
        if (statSync(path).isDirectory()) found.push(path);
      } catch {
        // A read-only or foreign node_modules: vite fails there as it would without Nightshift.
      }
    }
  }
  return found;
}
