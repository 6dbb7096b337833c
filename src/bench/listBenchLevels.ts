import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPackageRoot } from '../node/findPackageRoot.js';
import type { LoadedBenchLevel } from './LoadedBenchLevel.js';
import { loadBenchLevel } from './loadBenchLevel.js';

/**
 * Every level under `root` (each folder with a level.json), loaded and sorted by id. A broken level throws
 * (`BenchLevelInvalidError`) instead of being left out, so a suite never silently shrinks.
 */
export async function listBenchLevels(options: {
  /** Folder of level folders. Default: the package's resources/bench. */
  root?: string;
} = {}): Promise<LoadedBenchLevel[]> {
  const root = options.root ? resolve(options.root) : join(findPackageRoot({ from: fileURLToPath(import.meta.url) }) ?? process.cwd(), 'resources', 'bench');
  const entries = await readdir(root, { withFileTypes: true });
  const dirs: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const children = await readdir(join(root, entry.name));
    if (children.includes('level.json')) dirs.push(join(root, entry.name));
  }
  const levels = await Promise.all(dirs.map((dir) => loadBenchLevel({ dir })));
  return levels.sort((a, b) => a.level.id.localeCompare(b.level.id, 'en', { numeric: true }));
}
