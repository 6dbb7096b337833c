import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Sandbox } from '../../../../src/shared/sandbox/Sandbox.js';
import { createLocalSandbox } from '../../../../src/sandbox/createLocalSandbox.js';
import { createBubblewrapSandbox } from '../../../../src/sandbox/native/createBubblewrapSandbox.js';
import { buildSandboxExecProfile } from '../../../../src/sandbox/native/buildSandboxExecProfile.js';
import { bubblewrapWorks } from '../../../utils/bubblewrapWorks.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';
import { writeVitestProject } from '../writeVitestProject.js';

const NODE_MODULES = fileURLToPath(new URL('../../../../node_modules', import.meta.url));

/**
 * A project with its own dependency folders, linked into a fresh workspace as a session links them: a virtual
 * environment made by the host's python3 holding `venvmod`, and `.nightshift-deps` holding `depsmod`.
 */
function projectWithPythonDependencies(): { workspaceDir: string; readOnlyDirs: string[]; venv: string; deps: string } {
  const project = realpathSync(makeTempDir('nightshift-project-'));
  const venv = join(project, '.venv');
  execFileSync('python3', ['-m', 'venv', '--without-pip', venv]);
  const lib = readdirSync(join(venv, 'lib')).find((name) => name.startsWith('python'))!;
  writeFileSync(join(venv, 'lib', lib, 'site-packages', 'venvmod.py'), 'WHERE = "venv"\n');
  const deps = join(project, '.nightshift-deps');
  mkdirSync(join(deps, 'depsmod'), { recursive: true });
  writeFileSync(join(deps, 'depsmod', '__init__.py'), 'WHERE = "deps"\n');
  const workspaceDir = realpathSync(makeTempDir('nightshift-ws-'));
  writeFileSync(join(workspaceDir, 'mine.py'), 'VALUE = 1\n');
  symlinkSync(venv, join(workspaceDir, '.venv'), 'dir');
  symlinkSync(deps, join(workspaceDir, '.nightshift-deps'), 'dir');
  return { workspaceDir, readOnlyDirs: [venv, deps], venv, deps };
}

const PYTHON_PROBE =
  'python3 -c "import sys, venvmod, depsmod, mine; print(sys.prefix); print(venvmod.WHERE, depsmod.WHERE)" && echo "$VIRTUAL_ENV" && command -v python3';

async function expectPythonDependenciesUsed(sandbox: Sandbox, project: ReturnType<typeof projectWithPythonDependencies>): Promise<void> {
  const result = await sandbox.run({ command: PYTHON_PROBE, workspaceDir: project.workspaceDir, timeoutMs: 60_000, outputLimitBytes: 64 * 1024 });
  expect(result.stderr).toBe('');
  expect(result).toMatchObject({ exitCode: 0, stdout: `${project.venv}\nvenv deps\n${project.venv}\n${project.venv}/bin/python3\n` });
  // Bytecode goes to the sandbox's cache, neither into the read-only folders nor into the workspace.
  expect(existsSync(join(project.deps, 'depsmod', '__pycache__'))).toBe(false);
  expect(existsSync(join(project.workspaceDir, '__pycache__'))).toBe(false);
}

describe.skipIf(!bubblewrapWorks())('bubblewrap sandbox with a project\'s dependency folders', () => {
  it('uses the project\'s .venv (bin first on PATH, VIRTUAL_ENV) and .nightshift-deps (PYTHONPATH)', async () => {
    const project = projectWithPythonDependencies();
    const sandbox = createBubblewrapSandbox({ workspaceDir: project.workspaceDir, readOnlyDirs: project.readOnlyDirs });
    onTestFinished(() => sandbox.dispose());
    await expectPythonDependenciesUsed(sandbox, project);
  });

  it('runs vitest with a TypeScript config and a read-only linked node_modules to exit 0, its binaries on PATH', async () => {
    const workspaceDir = realpathSync(makeTempDir('nightshift-ws-'));
    writeVitestProject(workspaceDir, NODE_MODULES);
    const sandbox = createBubblewrapSandbox({ workspaceDir, readOnlyDirs: [NODE_MODULES] });
    onTestFinished(() => sandbox.dispose());
    const result = await sandbox.run({
      command: 'command -v vitest && vitest run && (touch node_modules/.probe 2>/dev/null && echo WROTE || echo read-only)',
      workspaceDir,
      timeoutMs: 90_000,
      outputLimitBytes: 64 * 1024,
    });
    expect(result.stdout).toContain(`${NODE_MODULES}/.bin/vitest\n`);
    expect(result.stdout).toMatch(/Tests\s+2 passed/);
    expect(result.stdout).toContain('read-only\n');
    expect(result.exitCode).toBe(0);
    // vite's folders were private to the sandbox: nothing of the run is left in the real node_modules.
    expect(readdirSync(join(NODE_MODULES, '.vite-temp')).filter((name) => name.startsWith('vitest.config.ts.'))).toEqual([]);
  }, 120_000);

  it('keeps caches across runs of one sandbox, in a folder that goes with it', async () => {
    const workspaceDir = realpathSync(makeTempDir('nightshift-ws-'));
    const sandbox = createBubblewrapSandbox({ workspaceDir });
    const run = (command: string) => sandbox.run({ command, workspaceDir, timeoutMs: 30_000, outputLimitBytes: 4096 });
    try {
      expect((await run('echo kept > "$XDG_CACHE_HOME/probe" && echo "$PYTHONPYCACHEPREFIX|$npm_config_cache"')).stdout).toBe('/tmp/cache/pycache|/tmp/cache/npm\n');
      expect((await run('cat "$XDG_CACHE_HOME/probe"')).stdout).toBe('kept\n');
    } finally {
      await sandbox.dispose();
    }
  });
});

describe('unsandboxed local runner with a project\'s dependency folders', () => {
  it('uses the project\'s .venv and .nightshift-deps too, with a cache folder removed on dispose', async () => {
    const project = projectWithPythonDependencies();
    const sandbox = createLocalSandbox({ readOnlyDirs: project.readOnlyDirs });
    await expectPythonDependenciesUsed(sandbox, project);
    const cache = (await sandbox.run({ command: 'echo "$XDG_CACHE_HOME"', workspaceDir: project.workspaceDir, timeoutMs: 10_000, outputLimitBytes: 4096 })).stdout.trim();
    expect(existsSync(cache)).toBe(true);
    await sandbox.dispose();
    expect(existsSync(cache)).toBe(false);
  });
});

describe('sandbox-exec profile', () => {
  it('lets commands write the extra writable paths (vite\'s folders, the cache) and read them', () => {
    const profile = buildSandboxExecProfile({
      workspaceDir: '/private/ws',
      tempDir: '/private/tmp/t',
      readOnlyPaths: ['/Users/me/project/node_modules'],
      writablePaths: ['/Users/me/project/node_modules/.vite', '/private/tmp/cache'],
      home: '/Users/me',
    });
    const writes = profile.split('\n').find((line) => line.startsWith('(allow file-write* '));
    expect(writes).toBe('(allow file-write* (subpath "/private/ws") (subpath "/private/tmp/t") (subpath "/Users/me/project/node_modules/.vite") (subpath "/private/tmp/cache"))');
  });
});
