import { describe, expect, it } from 'vitest';
import { checkProtectedPaths } from '../../../src/engine/gates/checkProtectedPaths.js';
import { compileGlob } from '../../../src/engine/gates/compileGlob.js';

const added = (path: string) => ({ path, before: null, after: 'x' });

describe('compileGlob', () => {
  it.each([
    ['*.pem', 'certs/server.pem', true],
    ['*.pem', 'server.pem.txt', false],
    ['node_modules/', 'node_modules/x/index.js', true],
    ['node_modules/', 'packages/a/node_modules/y.js', true],
    ['node_modules/', 'node_modules', false],
    ['.env.*', 'config/.env.local', true],
    ['.env', '.environment', false],
    ['migrations/**/*.sql', 'migrations/2024/01/init.sql', true],
    ['migrations/**/*.sql', 'migrations/init.sql', true],
    ['migrations/**/*.sql', 'app/migrations/init.sql', false],
    ['docs/api', 'docs/api/index.md', true],
    ['/VERSION', 'VERSION', true],
    ['/VERSION', 'lib/VERSION', false],
    ['src/*.gen.ts', 'src/a.gen.ts', true],
    ['src/*.gen.ts', 'src/sub/a.gen.ts', false],
    ['id_rsa*', 'home/id_rsa.pub', true],
    ['data?.csv', 'data1.csv', true],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(compileGlob(pattern).test(path)).toBe(expected);
  });
});

describe('checkProtectedPaths', () => {
  it.each([
    '.github/workflows/ci.yml',
    '.gitlab-ci.yml',
    '.circleci/config.yml',
    'package-lock.json',
    'web/yarn.lock',
    'poetry.lock',
    'uv.lock',
    'go.sum',
    '.env',
    '.env.production',
    'keys/deploy.key',
    'id_rsa',
    'nightshift.json',
    'node_modules/left-pad/index.js',
    '.venv/lib/site.py',
  ])('refuses built-in protected path %s', (path) => {
    const rail = checkProtectedPaths({ changes: [added('ok.py'), added(path)], protectedPaths: [] });
    expect(rail).toMatchObject({ name: 'protected-paths', passed: false, failureType: 'scope', file: path });
    expect(rail.detail).toContain(`${path} is protected`);
  });

  it('refuses paths matching configured globs and reports every hit', () => {
    const rail = checkProtectedPaths({
      changes: [added('migrations/001.sql'), added('src/app.py'), added('./VERSION')],
      protectedPaths: ['migrations/', '/VERSION'],
    });
    expect(rail.passed).toBe(false);
    expect(rail.detail).toContain('migrations/001.sql is protected (listed in nightshift.json protectedPaths');
    expect(rail.detail).toContain('./VERSION is protected');
    expect(rail.detail).not.toContain('src/app.py');
  });

  it('passes ordinary source and test files', () => {
    const rail = checkProtectedPaths({ changes: [added('src/env.py'), added('tests/test_keys.py'), added('.gitignore')], protectedPaths: [] });
    expect(rail).toMatchObject({ passed: true });
  });
});
