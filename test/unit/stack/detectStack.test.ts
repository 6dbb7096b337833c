import { describe, expect, it } from 'vitest';
import { projectConfigSchema, type ProjectConfig } from '../../../src/shared/projectConfigSchema.js';
import { detectStack } from '../../../src/engine/stack/detectStack.js';
import { MissingTestCommandError } from '../../../src/engine/stack/MissingTestCommandError.js';
import { writeFiles } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

function config(overrides: Partial<ProjectConfig> = {}): ProjectConfig {
  return projectConfigSchema.parse(overrides);
}

function project(files: Record<string, string>): string {
  const root = makeTempDir();
  writeFiles(root, files);
  return root;
}

describe('detectStack', () => {
  it.each([['pyproject.toml'], ['setup.cfg'], ['pytest.ini'], ['conftest.py'], ['requirements.txt']])('detects pytest from %s', async (marker) => {
    const stack = await detectStack({ root: project({ [marker]: '' }), config: config() });
    expect(stack.name).toBe('python-pytest');
    expect(stack.sourceLanguage).toBe('python');
    expect(stack.testCommand).toBe('python3 -m pytest -q -p no:cacheprovider');
    expect(stack.testFileCommand(['tests/test_a.py', "tests/it's here.py"])).toBe(
      `python3 -m pytest -q -p no:cacheprovider tests/test_a.py 'tests/it'\\''s here.py'`,
    );
  });

  it('detects pytest from test files alone', async () => {
    const stack = await detectStack({ root: project({ 'calc.py': '', 'tests/test_calc.py': '' }), config: config() });
    expect(stack.name).toBe('python-pytest');
  });

  it('knows pytest test file conventions', async () => {
    const stack = await detectStack({ root: project({ 'pyproject.toml': '' }), config: config() });
    expect(stack.isTestFile('test_calc.py')).toBe(true);
    expect(stack.isTestFile('pkg/calc_test.py')).toBe(true);
    expect(stack.isTestFile('tests/helpers.py')).toBe(true);
    expect(stack.isTestFile('tests/conftest.py')).toBe(false);
    expect(stack.isTestFile('calc.py')).toBe(false);
    expect(stack.isTestFile('testing.py')).toBe(false);
    expect(stack.isTestFile('tests/data.json')).toBe(false);
  });

  it('detects vitest from a dependency or a config file', async () => {
    const fromDeps = await detectStack({
      root: project({ 'package.json': JSON.stringify({ devDependencies: { vitest: '^4.0.0', typescript: '^5' } }) }),
      config: config(),
    });
    expect(fromDeps.name).toBe('node-vitest');
    expect(fromDeps.sourceLanguage).toBe('typescript');
    expect(fromDeps.testCommand).toBe('npx vitest run');
    expect(fromDeps.testFileCommand(['src/a.test.ts'])).toBe('npx vitest run src/a.test.ts');
    const fromConfig = await detectStack({ root: project({ 'package.json': '{}', 'vitest.config.ts': '' }), config: config() });
    expect(fromConfig.name).toBe('node-vitest');
    expect(fromConfig.sourceLanguage).toBe('javascript');
  });

  it('uses node --test for a plain or missing test script', async () => {
    for (const pkg of [{}, { scripts: { test: 'node --test' } }, { scripts: { test: 'echo "Error: no test specified" && exit 1' } }]) {
      const stack = await detectStack({ root: project({ 'package.json': JSON.stringify(pkg) }), config: config() });
      expect(stack.name).toBe('node-test');
      expect(stack.testCommand).toBe('node --test');
      expect(stack.testFileCommand(['test/a.test.js'])).toBe('node --test test/a.test.js');
    }
  });

  it('keeps node flags from a richer node --test script for single files and runs the script for the suite', async () => {
    const root = project({ 'package.json': JSON.stringify({ scripts: { test: 'node --import tsx --test test/**/*.test.ts' } }), 'tsconfig.json': '{}' });
    const stack = await detectStack({ root, config: config() });
    expect(stack.name).toBe('node-test');
    expect(stack.sourceLanguage).toBe('typescript');
    expect(stack.testCommand).toBe('npm test --silent');
    expect(stack.testFileCommand(['test/a.test.ts'])).toBe('node --import tsx --test test/a.test.ts');
  });

  it('runs any other test script through npm as a custom stack', async () => {
    const stack = await detectStack({ root: project({ 'package.json': JSON.stringify({ scripts: { test: 'jest' } }) }), config: config() });
    expect(stack.name).toBe('custom');
    expect(stack.testCommand).toBe('npm test --silent');
    expect(stack.testFileCommand(['a.spec.js'])).toBe('npm test --silent -- a.spec.js');
  });

  it('knows JS/TS test file conventions', async () => {
    const stack = await detectStack({ root: project({ 'package.json': '{}' }), config: config() });
    for (const path of ['src/a.test.ts', 'src/a.spec.jsx', 'test/a.js', 'tests/b.mjs', 'src/__tests__/c.tsx']) expect(stack.isTestFile(path)).toBe(true);
    for (const path of ['src/a.ts', 'src/testing.js', 'test/fixture.json', 'latest/a.js']) expect(stack.isTestFile(path)).toBe(false);
  });

  it('prefers a real node test setup over Python marker files, and Python over a bare package.json', async () => {
    const both = project({ 'package.json': JSON.stringify({ devDependencies: { vitest: '1' } }), 'requirements.txt': '' });
    expect((await detectStack({ root: both, config: config() })).name).toBe('node-vitest');
    const bare = project({ 'package.json': '{"name":"tooling"}', 'pyproject.toml': '' });
    expect((await detectStack({ root: bare, config: config() })).name).toBe('python-pytest');
  });

  it('lets nightshift.json override the commands', async () => {
    const stack = await detectStack({
      root: project({ 'pyproject.toml': '' }),
      config: config({ testCommand: 'uv run pytest', testFileCommand: 'uv run pytest -x {files} --tb=short' }),
    });
    expect(stack.name).toBe('python-pytest');
    expect(stack.testCommand).toBe('uv run pytest');
    expect(stack.testFileCommand(['tests/test_a.py', 'tests/b c.py'])).toBe("uv run pytest -x tests/test_a.py 'tests/b c.py' --tb=short");
  });

  it('builds a custom stack from nightshift.json alone', async () => {
    const stack = await detectStack({ root: project({ Makefile: '' }), config: config({ testCommand: 'make test' }) });
    expect(stack.name).toBe('custom');
    expect(stack.sourceLanguage).toBe('unknown');
    expect(stack.testFileCommand(['t/a.py'])).toBe('make test');
    expect(stack.isTestFile('tests/test_a.py')).toBe(true);
    expect(stack.isTestFile('src/a.test.js')).toBe(true);
    const templated = await detectStack({ root: project({}), config: config({ testCommand: 'make test', testFileCommand: 'make test FILES="{files}"' }) });
    expect(templated.testFileCommand(['a.c'])).toBe('make test FILES="a.c"');
  });

  it('throws MissingTestCommandError with the nightshift.json line to add', async () => {
    const root = project({ 'main.go': 'package main\n' });
    const error = await detectStack({ root, config: config() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MissingTestCommandError);
    expect((error as MissingTestCommandError).code).toBe('MISSING_TEST_COMMAND');
    expect((error as MissingTestCommandError).hint).toContain('"testCommand": "make test"');
    expect((error as MissingTestCommandError).hint).toContain('nightshift.json');
  });
});
