import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { StackProfile } from '../../shared/StackProfile.js';

/** Files whose presence makes `detectStack` choose pytest, in the order it looks for them. */
const PYTHON_MARKERS = ['pyproject.toml', 'setup.cfg', 'setup.py', 'pytest.ini', 'tox.ini', 'conftest.py', 'requirements.txt'];

/**
 * Where a project's test command comes from, in words for the Projects view: `nightshift.json` when it sets
 * `testCommand`, else the files `detectStack` went by (the Python marker files, or package.json).
 */
export async function describeStackSource(options: {
  /** Absolute path of the project root the stack was detected in. */
  root: string;
  config: ProjectConfig;
  stack: StackProfile;
}): Promise<string> {
  if (options.config.testCommand) return 'nightshift.json (testCommand)';
  const names = new Set(await readdir(resolve(options.root)).catch(() => []));
  switch (options.stack.name) {
    case 'python-pytest': {
      const markers = PYTHON_MARKERS.filter((name) => names.has(name));
      return markers.length > 0 ? `detected from ${markers.join(', ')}` : 'detected from Python test files';
    }
    case 'node-vitest':
      return 'detected from package.json (vitest)';
    case 'node-test':
      return 'detected from package.json (node --test)';
    case 'custom':
      return 'package.json scripts.test';
  }
}
