import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataDirError } from './DataDirError.js';

/**
 * Creates the data directory tree and proves it writable by writing and removing a probe file, so a bad
 * location fails at start-up with advice instead of midway through a night's work. With `readOnly` it only
 * names the layout, creating and writing nothing, for commands that only read.
 */
export function openDataDir(options: {
  /** The data directory, usually from `resolveDataDir`. Relative paths resolve against the cwd. */
  dir: string;
  /** Name the layout without creating or probing anything. Default false. */
  readOnly?: boolean;
}): { dir: string; dbPath: string; workspacesDir: string; reportsDir: string } {
  const dir = resolve(options.dir);
  const layout = {
    dir,
    dbPath: join(dir, 'nightshift.db'),
    workspacesDir: join(dir, 'workspaces'),
    reportsDir: join(dir, 'reports'),
  };
  if (options.readOnly) return layout;
  for (const path of [layout.dir, layout.workspacesDir, layout.reportsDir]) {
    try {
      mkdirSync(path, { recursive: true });
    } catch (error) {
      throw new DataDirError({ dir: path, reason: `it cannot be created (${describe(error)})`, cause: error });
    }
  }
  const probe = join(dir, `.write-probe-${process.pid}-${Date.now()}`);
  try {
    writeFileSync(probe, 'nightshift');
    rmSync(probe);
  } catch (error) {
    rmSync(probe, { force: true });
    throw new DataDirError({ dir, reason: `it is not writable (${describe(error)})`, cause: error });
  }
  return layout;
}

function describe(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}
