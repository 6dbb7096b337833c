import { describe, expect, it } from 'vitest';
import { createSandboxFactory } from '../../../../src/sandbox/createSandboxFactory.js';
import { ensureSandboxImage } from '../../../../src/sandbox/docker/ensureSandboxImage.js';
import type { StackProfile } from '../../../../src/shared/StackProfile.js';
import { projectConfigSchema } from '../../../../src/shared/projectConfigSchema.js';
import { dockerSkipNote, findTestDocker } from '../../../utils/findTestDocker.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

const found = await findTestDocker();
const python: StackProfile = { name: 'python-pytest', testCommand: 'true', testFileCommand: () => 'true', isTestFile: () => false, sourceLanguage: 'python', runner: 'pytest' };

describe('the sandbox policy', () => {
  it.skipIf(!found.docker)(dockerSkipNote(found, 'runs a project in the image its nightshift.json names'), async () => {
    const { image } = await ensureSandboxImage({ docker: found.docker!, stack: 'python' });
    const named = `nightshift-test/project-image:${Date.now()}`;
    const repo = 'nightshift-test/project-image';
    const tag = named.slice(repo.length + 1);
    await found.docker!.getImage(image).tag({ repo, tag });
    try {
      const config = projectConfigSchema.parse({ sandbox: 'docker', sandboxImage: named });
      const workspaceDir = makeTempDir();
      const sandbox = await createSandboxFactory()({ sessionId: 'factory-test', workspaceDir, stack: python, config, readOnlyDirs: [] });
      try {
        expect(sandbox.kind).toBe('docker');
        const result = await sandbox.run({ command: 'echo ok > made-inside.txt && cat made-inside.txt', workspaceDir, timeoutMs: 20_000, outputLimitBytes: 4096 });
        expect(result).toMatchObject({ exitCode: 0, stdout: 'ok\n' });
        const containers = await found.docker!.listContainers({ filters: { label: ['nightshift.session=factory-test'] } });
        expect(containers.map((container) => container.Image)).toEqual([named]);
      } finally {
        await sandbox.dispose();
      }
    } finally {
      await found.docker!.getImage(named).remove();
    }
  });

  it('refuses to run unsandboxed without the opt-in, and says why each sandbox was passed over', async () => {
    const config = projectConfigSchema.parse({ sandbox: 'local' });
    await expect(createSandboxFactory()({ sessionId: 'x', workspaceDir: makeTempDir(), stack: python, config, readOnlyDirs: [] })).rejects.toMatchObject({
      code: 'UNSANDBOXED_NOT_ALLOWED',
    });
    const allowed = await createSandboxFactory({ allowUnsandboxed: true })({ sessionId: 'x', workspaceDir: makeTempDir(), stack: python, config, readOnlyDirs: [] });
    expect(allowed).toMatchObject({ kind: 'local', isolated: false });
    await allowed.dispose();
  });
});
