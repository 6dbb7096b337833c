import type { Vcs } from '../engine/ports/Vcs.js';
import { parseProjectSettings } from '../engine/settings/parseProjectSettings.js';
import { ProjectSettingsInvalidError } from '../engine/settings/ProjectSettingsInvalidError.js';
import { assertValidBranchName } from '../engine/vcs/assertValidBranchName.js';
import { InvalidBranchNameError } from '../engine/vcs/InvalidBranchNameError.js';
import { ModelsSpecError } from '../runtime/models/ModelsSpecError.js';
import { parseModelsSpec } from '../runtime/models/parseModelsSpec.js';
import type { ProjectSettings } from '../shared/projectSettingsSchema.js';

/**
 * Settings a session could start with, checked before they are saved so that the form hears about a mistake
 * next to its field instead of at 23:00: the schema, a model backend `--models` accepts, a valid branch name,
 * and for direct delivery a branch that exists and is not checked out (what the engine refuses at start).
 * Throws `ProjectSettingsInvalidError` naming the field.
 */
export async function checkProjectSettings(options: {
  settings: unknown;
  vcs: Vcs;
  /** The project's repository root; relative model files resolve against it. */
  repoDir: string;
}): Promise<ProjectSettings> {
  const settings = parseProjectSettings({ settings: options.settings });
  try {
    parseModelsSpec({ spec: settings.models, cwd: options.repoDir });
  } catch (error) {
    if (!(error instanceof ModelsSpecError)) throw error;
    throw new ProjectSettingsInvalidError({ field: 'models', reason: String(error.context.problem), cause: error });
  }
  const target = settings.targetBranch;
  if (target !== null) {
    try {
      assertValidBranchName(target);
    } catch (error) {
      if (!(error instanceof InvalidBranchNameError)) throw error;
      throw new ProjectSettingsInvalidError({ field: 'targetBranch', reason: `"${target}" is not a branch name: ${String(error.context.reason)}`, cause: error });
    }
  }
  if (settings.mode === 'direct' && target !== null) {
    const repo = await options.vcs.inspectRepo({ repoDir: options.repoDir });
    if (target === repo.currentBranch) {
      throw new ProjectSettingsInvalidError({ field: 'targetBranch', reason: `"${target}" is checked out; direct delivery needs a branch that is not` });
    }
    if ((await options.vcs.readBranch({ repoDir: options.repoDir, branch: target })) === null) {
      throw new ProjectSettingsInvalidError({ field: 'targetBranch', reason: `there is no branch "${target}"` });
    }
  }
  return settings;
}
