import { writeFiles } from './createGitRepo.js';

/** Files of a tiny ESM `node --test` project: `src/calc.js` with `add`, and `test/calc.test.js`. */
export const nodeProjectFiles: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'calc', version: '0.1.0', type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`,
  'src/calc.js': 'export function add(a, b) {\n  return a + b;\n}\n',
  'src/format.js': "export function money(value) {\n  return `$${value.toFixed(2)}`;\n}\n",
  'test/calc.test.js':
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/calc.js';\n\ntest('adds', () => {\n  assert.equal(add(1, 2), 3);\n});\n",
};

/**
 * Writes a small real JS project tested with `node --test` into `dir` (which must exist), with `extraFiles`
 * on top. Returns `dir`. `node --test` passes on it as written.
 */
export function createNodeProject(options: {
  dir: string;
  /** Files added or overriding the defaults (path -> content). */
  extraFiles?: Record<string, string>;
}): string {
  writeFiles(options.dir, { ...nodeProjectFiles, ...options.extraFiles });
  return options.dir;
}
