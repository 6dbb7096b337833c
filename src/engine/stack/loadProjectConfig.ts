import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { projectConfigSchema, type ProjectConfig } from '../../shared/projectConfigSchema.js';
import { parseProjectConfig } from './parseProjectConfig.js';
import { ProjectConfigError } from './ProjectConfigError.js';

/** Name of the optional per-project config file at the repository root. */
const CONFIG_FILE = 'nightshift.json';

/**
 * Reads `nightshift.json` from the project root and validates it; a missing file yields all defaults.
 * Throws `ProjectConfigError` naming the file and the first offending field.
 */
export async function loadProjectConfig(options: {
  /** Absolute path of the project (or workspace) root. */
  root: string;
}): Promise<ProjectConfig> {
  const file = join(resolve(options.root), CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return projectConfigSchema.parse({});
    throw new ProjectConfigError({ file, field: null, reason: `cannot be read (${(error as Error).message})`, cause: error });
  }
  return parseProjectConfig({ text, file });
}
