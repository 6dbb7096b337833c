import { defaultProjectSettings, type ProjectSettings } from '../../src/shared/projectSettingsSchema.js';

/**
 * Project settings for a whole session in a test: `models` run with commands straight on this machine (no sandbox,
 * which the test opts out of), everything else at its default.
 */
export function localRunSettings(options: {
  /** The models setting, e.g. `scripted:/tmp/x/script.json`. */
  models: string;
}): ProjectSettings {
  return { ...defaultProjectSettings, models: options.models, sandbox: 'local', allowUnsandboxed: true };
}
