import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ProjectPathError } from './ProjectPathError.js';

/** The real path of a folder that is a git repository's root; throws `ProjectPathError` saying what it is instead. */
export function realProjectRoot(path: string): string {
  let root: string;
  try {
    root = realpathSync(resolve(path));
  } catch (error) {
    throw new ProjectPathError({ path, reason: 'it does not exist', cause: error });
  }
  if (!statSync(root).isDirectory()) throw new ProjectPathError({ path, reason: 'it is not a folder' });
  if (!existsSync(join(root, '.git'))) {
    throw new ProjectPathError({ path, reason: 'it has no .git, so it is not the root of a git repository' });
  }
  return root;
}
