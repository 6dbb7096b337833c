import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createSandboxFactory } from '../../../../src/sandbox/createSandboxFactory.js';
import { chooseSetupCommand } from '../../../../src/sandbox/docker/chooseSetupCommand.js';
import { ensureSandboxImage } from '../../../../src/sandbox/docker/ensureSandboxImage.js';
import { runDependencySetup } from '../../../../src/sandbox/docker/runDependencySetup.js';
import type { StackProfile } from '../../../../src/shared/StackProfile.js';
import { projectConfigSchema } from '../../../../src/shared/projectConfigSchema.js';
import { bubblewrapWorks } from '../../../utils/bubblewrapWorks.js';
import { dockerSkipNote, findTestDocker } from '../../../utils/findTestDocker.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

const found = await findTestDocker();
const docker = found.docker;
const python: StackProfile = { name: 'python-pytest', testCommand: 'true', testFileCommand: () => 'true', isTestFile: () => false, sourceLanguage: 'python', runner: 'pytest' };

/** A wheel of the package `greet` (WORD = "hello"), so pip installs offline. */
function writeWheel(dir: string): string {
  const name = 'greet-1.0-py3-none-any.whl';
  execFileSync('python3', [
    '-c',
    [
      'import sys, zipfile',
      'with zipfile.ZipFile(sys.argv[1], "w") as z:',
      '    z.writestr("greet/__init__.py", "WORD = \\"hello\\"\\n")',
      '    z.writestr("greet-1.0.dist-info/METADATA", "Metadata-Version: 2.1\\nName: greet\\nVersion: 1.0\\n")',
      '    z.writestr("greet-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")',
      '    z.writestr("greet-1.0.dist-info/RECORD", "")',
    ].join('\n'),
    join(dir, name),
  ]);
  return name;
}

describe.skipIf(!docker)(dockerSkipNote(found, 'dependency setup used by sessions'), () => {
  it('installs into .nightshift-deps, which every session command then imports from: Docker and bubblewrap', async () => {
    const projectDir = realpathSync(makeTempDir('nightshift-setup-'));
    writeFileSync(join(projectDir, 'requirements.txt'), 'greet\n');
    const wheel = writeWheel(projectDir);
    // The detected command, offline: pip reads the wheel instead of an index.
    const { command, stack } = chooseSetupCommand({ projectDir });
    const { image } = await ensureSandboxImage({ docker: docker!, stack });
    const cacheVolume = `nightshift-deps-test-${process.pid}-${Date.now()}`;
    onTestFinished(() => docker!.getVolume(cacheVolume).remove().catch(() => {}));
    const lines: string[] = [];
    const setup = await runDependencySetup({
      docker: docker!,
      image,
      projectDir,
      command: command.replace('-r requirements.txt', `--no-index ${wheel}`),
      cacheVolume,
      logPath: join(makeTempDir('nightshift-setup-log-'), 'setup.log'),
      onLine: (line) => lines.push(line),
      networkMode: 'none',
    });
    expect(setup.exitCode, lines.join('\n')).toBe(0);
    expect(existsSync(join(projectDir, '.nightshift-deps', 'greet', '__init__.py'))).toBe(true);

    // A session's workspace: the committed files, and the default linkDirs linked to the project's folders.
    const config = projectConfigSchema.parse({});
    const workspaceDir = realpathSync(makeTempDir('nightshift-ws-'));
    const readOnlyDirs = config.linkDirs.filter((dir) => existsSync(join(projectDir, dir))).map((dir) => {
      symlinkSync(join(projectDir, dir), join(workspaceDir, dir), 'dir');
      return join(projectDir, dir);
    });
    expect(readOnlyDirs).toEqual([join(projectDir, '.nightshift-deps')]);
    for (const kind of bubblewrapWorks() ? (['docker', 'native'] as const) : (['docker'] as const)) {
      const sandbox = await createSandboxFactory({ preference: kind })({ sessionId: 'setup-test', workspaceDir, stack: python, config, readOnlyDirs });
      try {
        const result = await sandbox.run({ command: 'python3 -c "import greet; print(greet.WORD)"', workspaceDir, timeoutMs: 30_000, outputLimitBytes: 4096 });
        expect({ kind: sandbox.kind, ...result }).toMatchObject({ kind: kind === 'native' ? 'bubblewrap' : 'docker', exitCode: 0, stdout: 'hello\n' });
      } finally {
        await sandbox.dispose();
      }
    }
  }, 300_000);
});
