import { projectSettingsSchema, type ProjectSettings } from '../../shared/projectSettingsSchema.js';
import { ProjectSettingsInvalidError } from './ProjectSettingsInvalidError.js';

/** Validates session settings; throws `ProjectSettingsInvalidError` naming the first field at fault. */
export function parseProjectSettings(options: {
  /** Settings as given (a form's values, or JSON read back from the database). */
  settings: unknown;
}): ProjectSettings {
  const parsed = projectSettingsSchema.safeParse(options.settings);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const keys = issue && 'keys' in issue && Array.isArray(issue.keys) ? (issue.keys as string[]) : [];
  const field = [...(issue?.path ?? []).map(String), ...keys.slice(0, 1)].join('.');
  throw new ProjectSettingsInvalidError({
    field: field === '' ? 'settings' : field,
    reason: issue?.code === 'unrecognized_keys' ? 'is not a known setting' : (issue?.message ?? 'does not match the settings schema'),
    cause: parsed.error,
  });
}
