import { writeFiles } from './createGitRepo.js';

/** Files of a tiny pytest project: `calc.py` with `add`, `util.py`, and `tests/test_calc.py`. */
export const pythonProjectFiles: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "calc"\nversion = "0.1.0"\n',
  'calc.py': 'def add(a, b):\n    return a + b\n',
  'util.py': 'def clamp(value, low, high):\n    return max(low, min(high, value))\n',
  'tests/test_calc.py': 'from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n\n\ndef test_add_negative():\n    assert add(-1, -2) == -3\n',
};

/**
 * Writes a small real pytest project into `dir` (which must exist), with `extraFiles` on top. Returns `dir`.
 * `python3 -m pytest -q` passes on it as written.
 */
export function createPythonProject(options: {
  dir: string;
  /** Files added or overriding the defaults (path -> content). */
  extraFiles?: Record<string, string>;
}): string {
  writeFiles(options.dir, { ...pythonProjectFiles, ...options.extraFiles });
  return options.dir;
}
