import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { cleanOrphanSandboxes } from '../../../../src/sandbox/docker/cleanOrphanSandboxes.js';
import { createDockerSandbox } from '../../../../src/sandbox/docker/createDockerSandbox.js';
import { ensureSandboxImage } from '../../../../src/sandbox/docker/ensureSandboxImage.js';
import { sandboxLabels } from '../../../../src/sandbox/docker/sandboxLabels.js';
import { dockerSkipNote, findTestDocker } from '../../../utils/findTestDocker.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

const found = await findTestDocker();
const docker = found.docker;

describe.skipIf(!docker)(dockerSkipNote(found, 'cleanOrphanSandboxes'), () => {
  let image = '';
  beforeAll(async () => {
    image = (await ensureSandboxImage({ docker: docker!, stack: 'python' })).image;
  });

  /** A started container labelled as a sandbox of process `pid` on `host`, as a killed session leaves it. */
  async function leftBehind(pid: number, host: string): Promise<string> {
    const container = await docker!.createContainer({
      Image: image,
      Cmd: ['sleep', 'infinity'],
      Labels: { [sandboxLabels.kind]: 'sandbox', [sandboxLabels.session]: 'killed', [sandboxLabels.pid]: String(pid), [sandboxLabels.host]: host },
      HostConfig: { NetworkMode: 'none', Init: true },
    });
    await container.start();
    onTestFinished(() => container.remove({ force: true }).catch(() => {}));
    return container.id;
  }

  async function exists(id: string): Promise<boolean> {
    return docker!
      .getContainer(id)
      .inspect()
      .then(() => true, () => false);
  }

  it('removes the container of a session whose process is gone, and keeps live and foreign ones', async () => {
    // A pid that certainly belonged to a process that has exited.
    const deadPid = spawnSync('true').pid!;
    const orphan = await leftBehind(deadPid, hostname());
    const foreign = await leftBehind(deadPid, 'some-other-machine');
    const workspaceDir = makeTempDir('nightshift-docker-');
    const live = await createDockerSandbox({ docker: docker!, image, workspaceDir, sessionId: 'alive' });
    onTestFinished(() => live.dispose());

    const removed = await cleanOrphanSandboxes({ docker: docker! });
    // Every session start cleans orphans machine-wide, so in a parallel run another test's sandbox may have
    // removed this one first; then this call cannot list it, but it must still be gone.
    if (!removed.includes(orphan)) expect(await exists(orphan)).toBe(false);
    expect(removed).not.toContain(live.containerId);
    expect(removed).not.toContain(foreign);
    expect(await exists(orphan)).toBe(false);
    expect(await exists(foreign)).toBe(true);
    expect(await exists(live.containerId)).toBe(true);
    expect((await live.run({ command: 'echo still-here', workspaceDir, timeoutMs: 10_000, outputLimitBytes: 1024 })).stdout).toBe('still-here\n');
  });
});
