import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const SKIPPED = new Set(['.git', 'node_modules', '.venv', '__pycache__', '.pytest_cache', 'dist', 'out', 'coverage']);

/** Repository-relative paths of the workspace's files, sorted, at most `limit` (default 300). */
export async function listWorkspaceFiles(options: {
  root: string;
  /** Maximum number of paths returned. Default 300. */
  limit?: number;
}): Promise<string[]> {
  const limit = options.limit ?? 300;
  const found: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (found.length >= limit) return;
      if (SKIPPED.has(entry.name)) continue;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(join(dir, entry.name), rel);
      else if (entry.isFile()) found.push(rel);
    }
  };
  await walk(options.root, '');
  return found;
}
