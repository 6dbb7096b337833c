import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createPythonFixture, pythonScript } from '../../fixtures/createPythonFixture.js';
import { bubblewrapWorks } from '../../utils/bubblewrapWorks.js';
import { git } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

/** npm with the settings an outer `npm test` hands its scripts (npm_config_*, npm_lifecycle_*) removed. */
function npm(args: string[], cwd: string): { code: number | null; output: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  // Installing compiles native addons (better-sqlite3 from source where its prebuilt binary cannot be
  // downloaded): minutes on a slow 2-core machine.
  const result = spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 840_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}` };
}

describe('the packed CLI installed globally', () => {
  it('runs from an unrelated folder: --version, and a scripted session that delivers a commit', () => {
    const root = makeTempDir();
    const packDir = join(root, 'pack');
    const prefix = join(root, 'prefix');
    const elsewhere = join(root, 'elsewhere');
    for (const dir of [packDir, prefix, elsewhere]) mkdirSync(dir);

    const packed = npm(['pack', '--pack-destination', packDir], repoRoot);
    expect(packed.code, packed.output).toBe(0);
    const tarballs = readdirSync(packDir).filter((name) => name.endsWith('.tgz'));
    expect(tarballs).toEqual([`nightshift-${version}.tgz`]);

    const installed = npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(packDir, tarballs[0]!)], elsewhere);
    expect(installed.code, installed.output).toBe(0);
    const packageDir = join(prefix, 'lib', 'node_modules', 'nightshift');
    // Compiled JavaScript only: no sources, and tsx (a devDependency) is not installed.
    expect(existsSync(join(packageDir, 'out', 'cli', 'main.js'))).toBe(true);
    expect(existsSync(join(packageDir, 'src'))).toBe(false);
    expect(existsSync(join(packageDir, 'test'))).toBe(false);
    expect(existsSync(join(packageDir, 'node_modules', 'tsx'))).toBe(false);
    // What the compiled code finds above itself at run time.
    for (const path of ['models.json', 'resources/prompts/coder-green.md', 'resources/analysis/analyze_tests.py', 'resources/testing/nodeTestReporter.mjs', 'resources/demo/answers.json']) {
      expect(existsSync(join(packageDir, path)), path).toBe(true);
    }

    const bin = join(prefix, 'bin', 'nightshift');
    const nightshift = (args: string[]) => spawnSync(bin, args, { cwd: elsewhere, encoding: 'utf8', timeout: 600_000 });
    const versionRun = nightshift(['--version']);
    expect(versionRun.status, versionRun.stderr).toBe(0);
    expect(versionRun.stdout.trim()).toBe(version);
    // The demo copies its project out of the installed package's resources.
    const demo = nightshift(['demo', '--dir', 'demo', '--no-run']);
    expect(demo.status, demo.stderr).toBe(0);
    expect(existsSync(join(elsewhere, 'demo', 'answers.json'))).toBe(true);
    expect(existsSync(join(elsewhere, 'demo', 'TASKS.md'))).toBe(true);

    const { repoDir } = createPythonFixture({ parent: root });
    const script = join(root, 'script.json');
    writeFileSync(script, JSON.stringify({ tasks: { 'cli-1': pythonScript.tasks.T1 } }));
    const dataDir = join(root, 'data');
    const sandbox = bubblewrapWorks() ? ['--sandbox', 'native'] : ['--sandbox', 'local', '--allow-unsandboxed'];
    const run = nightshift(['run', repoDir, '--models', `scripted:${script}`, '--data-dir', dataDir, '--task', 'Add divide(a, b) that raises ValueError when b is 0', ...sandbox]);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const sessionId = /session ([0-9a-f-]+)/.exec(run.stdout)?.[1];
    expect(sessionId, run.stdout).toBeDefined();
    const branch = `nightshift/${sessionId}`;
    expect(git(repoDir, 'log', '--format=%s', '-1', branch)).toContain('cli-1');
    expect(git(repoDir, 'show', `${branch}:calc/divide.py`)).toContain('def divide');
    expect(git(repoDir, 'rev-parse', `${branch}~1`)).toBe(git(repoDir, 'rev-parse', 'main'));

    const status = nightshift(['status', '--data-dir', dataDir]);
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toContain(`${sessionId}  completed`);
  }, 1_800_000);
});
