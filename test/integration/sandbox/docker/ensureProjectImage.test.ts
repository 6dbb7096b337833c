import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createSandboxFactory } from '../../../../src/sandbox/createSandboxFactory.js';
import { createDockerSandbox } from '../../../../src/sandbox/docker/createDockerSandbox.js';
import { ensureProjectImage } from '../../../../src/sandbox/docker/ensureProjectImage.js';
import { ProjectImageError } from '../../../../src/sandbox/docker/ProjectImageError.js';
import { ensureSandboxImage } from '../../../../src/sandbox/docker/ensureSandboxImage.js';
import type { StackProfile } from '../../../../src/shared/StackProfile.js';
import { projectConfigSchema } from '../../../../src/shared/projectConfigSchema.js';
import { dockerSkipNote, findTestDocker } from '../../../utils/findTestDocker.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

const found = await findTestDocker();
const docker = found.docker;
const python: StackProfile = { name: 'python-pytest', testCommand: 'true', testFileCommand: () => 'true', isTestFile: () => false, sourceLanguage: 'python', runner: 'pytest' };
const IMPORT_FLASK = 'python3 -c "import flask, importlib.metadata; print(importlib.metadata.version(\'flask\').split(\'.\')[0])"';

describe.skipIf(!docker)(dockerSkipNote(found, 'project image layer'), () => {
  it('builds the stack image plus python3-flask once, imports flask inside the sandbox, and reuses the image', async () => {
    const { image: base } = await ensureSandboxImage({ docker: docker!, stack: 'python' });
    const first = await ensureProjectImage({ docker: docker!, baseImage: base, packages: ['python3-flask'] });
    expect(first.image).toMatch(/^nightshift\/project-[0-9a-f]{12}$/);
    // Rebuilt from scratch unless another test's container holds it right now.
    const removed = await docker!.getImage(first.image).remove().then(() => true, () => false);
    const lines: string[] = [];
    const built = await ensureProjectImage({ docker: docker!, baseImage: base, packages: ['python3-flask'], onProgress: (line) => lines.push(line) });
    expect(built.image).toBe(first.image);
    if (removed) {
      expect(built.built).toBe(true);
      expect(lines.join('\n')).toContain('python3-flask');
    }

    const workspaceDir = makeTempDir('nightshift-docker-');
    const box = await createDockerSandbox({ docker: docker!, image: built.image, workspaceDir, sessionId: 'project-image' });
    onTestFinished(() => box.dispose());
    const result = await box.run({ command: IMPORT_FLASK, workspaceDir, timeoutMs: 30_000, outputLimitBytes: 4096 });
    expect(result).toMatchObject({ exitCode: 0, stdout: '2\n' });
    expect((await box.run({ command: 'python3 -c "import flask"', workspaceDir, timeoutMs: 30_000, outputLimitBytes: 4096 })).exitCode).toBe(0);

    const started = Date.now();
    const again = await ensureProjectImage({ docker: docker!, baseImage: base, packages: ['python3-flask', 'python3-flask'] });
    expect(again).toEqual({ image: first.image, built: false });
    expect(Date.now() - started).toBeLessThan(5000);
    // The stack image alone has no flask: the layer is what brings it.
    const bare = await createDockerSandbox({ docker: docker!, image: base, workspaceDir, sessionId: 'bare-image' });
    onTestFinished(() => bare.dispose());
    expect((await bare.run({ command: IMPORT_FLASK, workspaceDir, timeoutMs: 30_000, outputLimitBytes: 4096 })).stderr).toContain('ModuleNotFoundError');
  }, 600_000);

  it('names a package the Debian mirror does not have as an environment problem', async () => {
    const { image: base } = await ensureSandboxImage({ docker: docker!, stack: 'python' });
    const error = await ensureProjectImage({ docker: docker!, baseImage: base, packages: ['python3-flask', 'python3-no-such-package-nightshift'] }).catch((caught: unknown) => caught);
    // On a failure, the whole error (with the build log's tail) is the message: it says what the daemon did.
    expect(error, JSON.stringify(error instanceof ProjectImageError ? error.toJSON() : String(error))).toMatchObject({
      code: 'SANDBOX_PACKAGE_UNAVAILABLE',
      message: expect.stringMatching(/^Environment problem: the Debian package python3-no-such-package-nightshift is not available/),
      context: { failureType: 'environment', unavailable: ['python3-no-such-package-nightshift'] },
    });
  }, 600_000);

  it('runs every command of a project in its layer: declared sandboxPackages, or a requirements.txt that maps', async () => {
    for (const [config, files] of [
      [{ sandbox: 'docker', sandboxPackages: { debian: ['python3-flask'] } }, {}],
      [{ sandbox: 'docker' }, { 'requirements.txt': '# web\nFlask>=2.0\npytest\n' }],
    ] as const) {
      const workspaceDir = makeTempDir('nightshift-ws-');
      for (const [path, content] of Object.entries(files)) writeFileSync(join(workspaceDir, path), content);
      const sandbox = await createSandboxFactory()({ sessionId: 'layer-test', workspaceDir, stack: python, config: projectConfigSchema.parse(config), readOnlyDirs: [] });
      try {
        expect(sandbox.kind).toBe('docker');
        expect(await sandbox.run({ command: IMPORT_FLASK, workspaceDir, timeoutMs: 30_000, outputLimitBytes: 4096 })).toMatchObject({ exitCode: 0, stdout: '2\n' });
        const containers = await docker!.listContainers({ filters: { label: ['nightshift.session=layer-test'] } });
        expect(containers.map((container) => container.Image)).toEqual([expect.stringMatching(/^nightshift\/project-[0-9a-f]{12}$/)]);
      } finally {
        await sandbox.dispose();
      }
    }
  }, 600_000);
});
