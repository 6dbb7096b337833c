import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { findExecutable } from './findExecutable.js';
import { isPathInside } from '../../shared/isPathInside.js';

/**
 * Paths a sandbox must show read-only so that `tools` run inside it: each tool's install prefix (the
 * parent of its `bin`), both for the program found on PATH (a pyenv or asdf shim lives in the manager's
 * tree) and for the file it resolves to (a Homebrew or /usr/bin symlink points into the real install).
 * A prefix that would expose the file-system root or the whole home directory is narrowed to the tool's own
 * directory (or to the program file alone), so nothing of the home beyond a tool's install is ever shown.
 * Sorted, without duplicates and without paths already covered by another entry.
 */
export function resolveToolDirs(options: {
  /** Program names, e.g. `node`, `python3`. Missing ones are skipped. */
  tools: string[];
  /** Directories searched, joined like PATH. */
  searchPath: string;
  /** The user's home directory, which must never be exposed whole. */
  home: string;
}): string[] {
  const dirs = new Set<string>();
  for (const tool of options.tools) {
    const found = findExecutable({ name: tool, searchPath: options.searchPath });
    if (!found) continue;
    const real = safeRealpath(found);
    for (const program of real === found ? [found] : [found, real]) {
      dirs.add(installDir(program, options.home));
    }
  }
  const sorted = [...dirs].sort();
  return sorted.filter((dir) => !sorted.some((other) => other !== dir && isPathInside({ path: dir, dir: other })));
}

function installDir(program: string, home: string): string {
  const binDir = dirname(program);
  const prefix = dirname(binDir);
  if (prefix !== '/' && !isPathInside({ path: home, dir: prefix })) return prefix;
  return binDir !== '/' && !isPathInside({ path: home, dir: binDir }) ? binDir : program;
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
