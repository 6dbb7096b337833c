import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { projectConfigSchema } from '../../../src/shared/projectConfigSchema.js';
import { checkCommandRail } from '../../../src/engine/gates/checkCommandRail.js';
import { createLocalSandbox } from '../../../src/sandbox/createLocalSandbox.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const sandbox = createLocalSandbox();
afterAll(() => sandbox.dispose());
const config = projectConfigSchema.parse({ commandTimeoutMs: 2_000 });

function rail(name: 'lint' | 'typecheck', command: string | undefined, skipCommands: string | null = null) {
  return checkCommandRail({ name, command, workspaceDir: makeTempDir(), sandbox, config, skipCommands, localPaths: ['src/a.ts'] });
}

describe('checkCommandRail', () => {
  it('passes when not configured', async () => {
    expect(await rail('lint', undefined)).toEqual({ name: 'lint', passed: true, detail: 'not configured (set lintCommand in nightshift.json)' });
  });

  it('passes when the command exits 0 and runs in the workspace', async () => {
    expect(await rail('typecheck', 'test -d . && true')).toMatchObject({ name: 'typecheck', passed: true });
  });

  it('fails with the output when the command fails', async () => {
    const result = await rail('lint', 'echo "src/a.ts:3:1 error no-unused-vars" && exit 1');
    expect(result).toMatchObject({ passed: false, failureType: 'patch' });
    expect(result.detail).toContain('src/a.ts:3:1 error no-unused-vars');
    expect(result.detail).toContain('(exit 1)');
  });

  it('blames the environment when the tool is missing, and reports timeouts', async () => {
    expect(await rail('lint', 'definitely-not-a-linter-xyz .')).toMatchObject({ passed: false, failureType: 'environment' });
    const slow = await rail('typecheck', 'sleep 10');
    expect(slow).toMatchObject({ passed: false, failureType: 'timeout' });
    expect(slow.detail).toContain('timed out');
  });

  it('is skipped without running when commands may not run', async () => {
    const workspaceDir = makeTempDir();
    const result = await checkCommandRail({
      name: 'lint',
      command: 'touch ran',
      workspaceDir,
      sandbox,
      config,
      skipCommands: 'the changes could not be written to the workspace',
      localPaths: [],
    });
    expect(result).toMatchObject({ passed: false, skipped: true });
    expect(existsSync(`${workspaceDir}/ran`)).toBe(false);
  });
});
