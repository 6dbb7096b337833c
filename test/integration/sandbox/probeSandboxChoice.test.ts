import { describe, expect, it } from 'vitest';
import { probeSandboxChoice } from '../../../src/sandbox/probeSandboxChoice.js';
import { bubblewrapWorks } from '../../utils/bubblewrapWorks.js';
import { closedLocalPort } from '../../utils/closedLocalPort.js';
import { dockerSkipNote, findTestDocker } from '../../utils/findTestDocker.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const docker = await findTestDocker();
const bubblewrap = bubblewrapWorks();

/** Where no Docker daemon answers: DOCKER_HOST names a closed port, and the usual sockets are looked for in an empty folder. */
async function withoutDocker(): Promise<{ env: NodeJS.ProcessEnv; rootDir: string }> {
  const empty = makeTempDir();
  return { env: { PATH: process.env.PATH, HOME: empty, DOCKER_HOST: `tcp://127.0.0.1:${await closedLocalPort()}` }, rootDir: empty };
}

describe('probeSandboxChoice', () => {
  it(dockerSkipNote(docker, 'names the stack image and the daemon for docker, without starting anything'), { skip: !docker.docker }, async () => {
    const choice = await probeSandboxChoice({ preference: 'docker', allowUnsandboxed: false, stack: 'python' });
    expect(choice).toMatchObject({ kind: 'docker', isolated: true, error: null });
    expect(choice.detail).toMatch(/^nightshift\/sandbox-python:[0-9a-f]{12}.* on the daemon at /);
    const own = await probeSandboxChoice({ preference: 'auto', allowUnsandboxed: false, stack: 'node', sandboxImage: 'nightshift/never-built:1' });
    expect(own).toMatchObject({ kind: 'docker', error: null, detail: expect.stringMatching(/^nightshift\/never-built:1 \(not present: pull or build it first\)/) });
  });

  it.skipIf(!bubblewrap)('falls back from an unreachable Docker to bubblewrap under auto, saying why', async () => {
    const choice = await probeSandboxChoice({ preference: 'auto', allowUnsandboxed: false, stack: 'python', ...(await withoutDocker()) });
    expect(choice).toMatchObject({ kind: 'bubblewrap', isolated: true, error: null });
    expect(choice.detail).toMatch(/docker: /);
  });

  it('refuses a named sandbox that is not there instead of choosing a weaker one', async () => {
    const choice = await probeSandboxChoice({ preference: 'docker', allowUnsandboxed: true, stack: 'python', ...(await withoutDocker()) });
    expect(choice).toMatchObject({ kind: 'docker', isolated: false, error: { code: 'DOCKER_UNAVAILABLE' } });
    const native = await probeSandboxChoice({ preference: 'native', allowUnsandboxed: true, stack: 'node', platform: 'freebsd' });
    expect(native).toMatchObject({ kind: 'native', error: { code: 'SANDBOX_UNAVAILABLE' } });
  });

  it('runs loose only when allowed, and otherwise lists why each sandbox was passed over', async () => {
    const noDocker = await withoutDocker();
    const refused = await probeSandboxChoice({ preference: 'auto', allowUnsandboxed: false, stack: 'node', platform: 'freebsd', ...noDocker });
    expect(refused).toMatchObject({ kind: 'auto', isolated: false, error: { code: 'UNSANDBOXED_NOT_ALLOWED' } });
    expect(refused.detail).toMatch(/docker: .*native: /);
    const loose = await probeSandboxChoice({ preference: 'auto', allowUnsandboxed: true, stack: 'node', platform: 'freebsd', ...noDocker });
    expect(loose).toMatchObject({ kind: 'local', isolated: false, error: null });
    expect(await probeSandboxChoice({ preference: 'local', allowUnsandboxed: false, stack: 'node' })).toMatchObject({ kind: 'local', error: { code: 'UNSANDBOXED_NOT_ALLOWED' } });
  });
});
