import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DependencySetupError } from './DependencySetupError.js';
import type { SandboxStack } from './sandboxImageName.js';

/**
 * Where Python dependencies go: inside the project, which sessions link read-only into the workspace (it is in
 * the default `linkDirs`) and put on every command's PYTHONPATH, in every sandbox.
 */
export const PYTHON_DEPS_DIR = '.nightshift-deps';

/**
 * The install command of a project's dependency setup and the stack image it runs in: the configured
 * `setupCommand` if any (node when the project has a package.json, else python), else pip into
 * `.nightshift-deps` when requirements.txt exists, else `npm ci` when package-lock.json exists. Throws
 * DependencySetupError (`SETUP_COMMAND_UNKNOWN`) when there is nothing to infer from, or both files exist.
 */
export function chooseSetupCommand(options: {
  /** Project root. */
  projectDir: string;
  /** `setupCommand` from nightshift.json, when set. */
  setupCommand?: string;
}): { command: string; stack: SandboxStack; source: 'nightshift.json' | 'requirements.txt' | 'package-lock.json' } {
  const projectDir = resolve(options.projectDir);
  const has = (file: string) => existsSync(join(projectDir, file));
  if (options.setupCommand !== undefined) {
    return { command: options.setupCommand, stack: has('package.json') ? 'node' : 'python', source: 'nightshift.json' };
  }
  const python = has('requirements.txt');
  const node = has('package-lock.json');
  if (python && node) {
    throw new DependencySetupError({
      code: 'SETUP_COMMAND_UNKNOWN',
      message: `${projectDir} has both requirements.txt and package-lock.json, so the setup command is ambiguous.`,
      hint: 'Set "setupCommand" in nightshift.json to the install command to run.',
      projectDir,
    });
  }
  if (python) return { command: `python3 -m pip install --upgrade --target ${PYTHON_DEPS_DIR} -r requirements.txt`, stack: 'python', source: 'requirements.txt' };
  if (node) return { command: 'npm ci', stack: 'node', source: 'package-lock.json' };
  throw new DependencySetupError({
    code: 'SETUP_COMMAND_UNKNOWN',
    message: `${projectDir} has no requirements.txt or package-lock.json and nightshift.json sets no "setupCommand".`,
    hint: 'Set "setupCommand" in nightshift.json, e.g. "pip install --target .nightshift-deps ." or "npm install".',
    projectDir,
  });
}
