import { defaultProjectSettings } from '../../src/shared/projectSettingsSchema.js';
import type { ProjectDetails } from '../../src/shared/protocol.js';

/**
 * What `project/inspect` tells about a git repository of a Python project at `path`: pytest detected,
 * a valid nightshift.json, Docker chosen, default settings and no baseline yet; `overrides` replaces parts.
 */
export function sampleProjectDetails(options: { path: string; overrides?: Partial<ProjectDetails> }): ProjectDetails {
  const name = options.path.split('/').at(-1) ?? options.path;
  return {
    project: { id: 1, path: options.path, name, lastOpenedAt: Date.UTC(2026, 10, 29, 21), sessions: 2, backlogTasks: 3, available: true },
    git: { branch: 'main', head: '3f1c2a9d8e7b6c5a4f3e2d1c0b9a8f7e6d5c4b3a', dirtyFiles: 1, problems: [] },
    stack: { language: 'python', testCommand: 'python -m pytest -q', source: 'pyproject.toml' },
    config: { present: true, values: { maxAttempts: 3, lint: 'ruff check .' }, error: null },
    sandbox: { kind: 'docker', isolated: true, detail: 'nightshift/python:3.11, built from the project’s requirements', error: null },
    settings: defaultProjectSettings,
    baseline: null,
    ...options.overrides,
  };
}
