import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFiles } from '../../utils/createGitRepo.js';

/**
 * Writes a vitest project with a TypeScript config (which vite bundles into `node_modules/.vite-temp` before
 * any test runs) and two passing tests into `dir`, and links `node_modules` to `nodeModules`, as a session's
 * workspace links the project's. Returns `dir`.
 */
export function writeVitestProject(dir: string, nodeModules: string): string {
  writeFiles(dir, {
    'package.json': `${JSON.stringify({ name: 'strings', private: true, type: 'module', devDependencies: { vitest: '*' } }, null, 2)}\n`,
    'vitest.config.ts': "import { defineConfig } from 'vitest/config';\n\nexport default defineConfig({ test: { include: ['test/**/*.test.ts'] } });\n",
    'src/twice.ts': 'export function twice(value: number): number {\n  return value * 2;\n}\n',
    'test/twice.test.ts':
      "import { expect, it } from 'vitest';\nimport { twice } from '../src/twice.js';\n\nit('doubles', () => {\n  expect(twice(2)).toBe(4);\n});\nit('keeps zero', () => {\n  expect(twice(0)).toBe(0);\n});\n",
  });
  symlinkSync(nodeModules, join(dir, 'node_modules'), 'dir');
  return dir;
}
