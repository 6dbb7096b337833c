import type { ProjectConfig } from '../shared/projectConfigSchema.js';
import type { ProjectSettings } from '../shared/projectSettingsSchema.js';

/**
 * What a project's saved settings change in the sandbox policy, as `createSandboxFactory` takes it and as the
 * session supervisor passes it: a chosen `sandbox` replaces nightshift.json's, and `allowUnsandboxed` is the
 * app's own opt-in, so running loose is allowed only where the user ticked it in the app.
 */
export function sandboxOverridesOf(options: { settings: ProjectSettings }): { preference?: ProjectConfig['sandbox']; allowUnsandboxed: boolean } {
  return {
    ...(options.settings.sandbox === null ? {} : { preference: options.settings.sandbox }),
    allowUnsandboxed: options.settings.allowUnsandboxed,
  };
}
