import { projectConfigSchema, type ProjectConfig } from '../../shared/projectConfigSchema.js';
import { ProjectConfigError } from './ProjectConfigError.js';

/**
 * Parses and validates the text of a `nightshift.json`. Throws `ProjectConfigError` naming the file and the
 * first offending field.
 */
export function parseProjectConfig(options: {
  /** The file's content. */
  text: string;
  /** Absolute path of the file, for the error. */
  file: string;
}): ProjectConfig {
  const { file } = options;
  let json: unknown;
  try {
    json = JSON.parse(options.text);
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
