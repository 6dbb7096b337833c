import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { projectConfigSchema, type ProjectConfig } from '../../shared/projectConfigSchema.js';
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ProjectConfigError({ file, field: null, reason: `is not valid JSON (${(error as Error).message})`, cause: error });
  }
  const parsed = projectConfigSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const keys = issue && 'keys' in issue && Array.isArray(issue.keys) ? (issue.keys as string[]) : [];
  const field = [...(issue?.path ?? []).map(String), ...keys.slice(0, 1)].join('.');
  throw new ProjectConfigError({
    file,
    field: field === '' ? null : field,
    reason: issue?.code === 'unrecognized_keys' ? `is not a known setting` : (issue?.message ?? 'does not match the schema'),
    cause: parsed.error,
  });
}
