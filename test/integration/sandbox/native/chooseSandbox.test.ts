import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../../src/shared/sandbox/Sandbox.js';
import { SandboxUnavailableError } from '../../../../src/sandbox/native/SandboxUnavailableError.js';
import { UnsandboxedNotAllowedError } from '../../../../src/sandbox/native/UnsandboxedNotAllowedError.js';
import { chooseSandbox } from '../../../../src/sandbox/native/chooseSandbox.js';
import { projectConfigSchema } from '../../../../src/shared/projectConfigSchema.js';
import { bubblewrapWorks } from '../../../utils/bubblewrapWorks.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

function fakeDocker(): { create: () => Promise<Sandbox>; calls: () => number } {
  let calls = 0;
  const sandbox: Sandbox = {
    kind: 'docker',
    isolated: true,
    run: () => Promise.reject(new Error('not used')),
    dispose: () => Promise.resolve(),
  };
  return {
    create: () => {
      calls += 1;
      return Promise.resolve(sandbox);
    },
    calls: () => calls,
  };
}

const dockerDown = () => Promise.reject(new SandboxUnavailableError({ kind: 'docker', reason: 'the daemon is not running', hint: 'Start Docker.' }));

describe('chooseSandbox', () => {
  it('defaults projects to auto, without unsandboxed runs', () => {
    expect(projectConfigSchema.parse({})).toMatchObject({ sandbox: 'auto', allowUnsandboxed: false });
    expect(() => projectConfigSchema.parse({ sandbox: 'chroot' })).toThrow();
  });

  it('auto takes Docker when it is available', async () => {
    const docker = fakeDocker();
    const chosen = await chooseSandbox({ preference: 'auto', allowUnsandboxed: false, workspaceDir: makeTempDir(), createDocker: docker.create });
    expect(chosen.sandbox.kind).toBe('docker');
    expect(chosen.passedOver).toEqual([]);
  });

  it.skipIf(!bubblewrapWorks())('auto falls back to the native sandbox when Docker is down, saying why', async () => {
    const chosen = await chooseSandbox({ preference: 'auto', allowUnsandboxed: false, workspaceDir: makeTempDir(), platform: 'linux', createDocker: dockerDown });
    try {
      expect(chosen.sandbox.kind).toBe('bubblewrap');
      expect(chosen.passedOver).toEqual([{ kind: 'docker', reason: 'The docker sandbox is not available: the daemon is not running' }]);
    } finally {
      await chosen.sandbox.dispose();
    }
  });

  it('auto refuses to run unsandboxed unless the project allows it, listing every reason', async () => {
    const error = await chooseSandbox({ preference: 'auto', allowUnsandboxed: false, workspaceDir: makeTempDir(), platform: 'win32', createDocker: dockerDown }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnsandboxedNotAllowedError);
    const reasons = (error as UnsandboxedNotAllowedError).context.reasons as string[];
    expect(reasons).toEqual(['docker: The docker sandbox is not available: the daemon is not running', 'native: The native sandbox is not available: there is no native sandbox for win32']);
    expect((error as UnsandboxedNotAllowedError).hint).toContain('"allowUnsandboxed": true');

    const allowed = await chooseSandbox({ preference: 'auto', allowUnsandboxed: true, workspaceDir: makeTempDir(), platform: 'win32' });
    expect(allowed.sandbox).toMatchObject({ kind: 'local', isolated: false });
    expect(allowed.passedOver.map((entry) => entry.kind)).toEqual(['docker', 'native']);
    await allowed.sandbox.dispose();
  });

  it('a named sandbox is used as asked or fails; it never becomes a weaker one', async () => {
    await expect(chooseSandbox({ preference: 'docker', allowUnsandboxed: true, workspaceDir: makeTempDir() })).rejects.toBeInstanceOf(SandboxUnavailableError);
    await expect(chooseSandbox({ preference: 'docker', allowUnsandboxed: true, workspaceDir: makeTempDir(), createDocker: dockerDown })).rejects.toBeInstanceOf(SandboxUnavailableError);
    await expect(chooseSandbox({ preference: 'native', allowUnsandboxed: true, workspaceDir: makeTempDir(), platform: 'win32' })).rejects.toBeInstanceOf(SandboxUnavailableError);
    await expect(chooseSandbox({ preference: 'local', allowUnsandboxed: false, workspaceDir: makeTempDir() })).rejects.toBeInstanceOf(UnsandboxedNotAllowedError);
    const docker = fakeDocker();
    const named = await chooseSandbox({ preference: 'docker', allowUnsandboxed: false, workspaceDir: makeTempDir(), createDocker: docker.create });
    expect(named.sandbox.kind).toBe('docker');
    expect(docker.calls()).toBe(1);
  });

  it.skipIf(!bubblewrapWorks())('native does not consult Docker at all', async () => {
    const docker = fakeDocker();
    const native = await chooseSandbox({ preference: 'native', allowUnsandboxed: false, workspaceDir: makeTempDir(), platform: 'linux', createDocker: docker.create });
    expect(native.sandbox.kind).toBe('bubblewrap');
    expect(docker.calls()).toBe(0);
    await native.sandbox.dispose();
  });

  it('does not hide a bug in the Docker factory behind a fallback', async () => {
    const broken = () => Promise.reject(new TypeError('undefined is not a function'));
    await expect(chooseSandbox({ preference: 'auto', allowUnsandboxed: true, workspaceDir: makeTempDir(), createDocker: broken })).rejects.toBeInstanceOf(TypeError);
  });
});
