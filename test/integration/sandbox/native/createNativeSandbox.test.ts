import { chmodSync, existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxUnavailableError } from '../../../../src/sandbox/native/SandboxUnavailableError.js';
import { createNativeSandbox } from '../../../../src/sandbox/native/createNativeSandbox.js';
import { bubblewrapWorks } from '../../../utils/bubblewrapWorks.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

/**
 * Stands in for macOS sandbox-exec on Linux: records the profile it is given, then runs the command
 * unsandboxed. Enough to check the wiring around the real program: profile, limits, private temp dir, env.
 */
function fakeSandboxExec(dir: string): { path: string; profile: () => string } {
  const path = join(dir, 'sandbox-exec');
  const record = join(dir, 'profile.sb');
  writeFileSync(path, `#!/bin/sh\n[ "$1" = -p ] || exit 64\nprintf '%s' "$2" > '${record}'\nshift 2\nexec "$@"\n`);
  chmodSync(path, 0o755);
  return { path, profile: () => readFileSync(record, 'utf8') };
}

describe('createNativeSandbox', () => {
  it('picks sandbox-exec on macOS and runs through it with the profile, limits and a private temp dir', async () => {
    const fake = fakeSandboxExec(makeTempDir());
    const root = realpathSync(makeTempDir());
    const sandbox = await createNativeSandbox({
      workspaceDir: root,
      platform: 'darwin',
      sandboxExecPath: fake.path,
      limits: { memoryBytes: 1024 ** 3, pids: 100 },
      env: { ...process.env, NS_HOST_SECRET: 'leaked' },
    });
    try {
      expect(sandbox.kind).toBe('sandbox-exec');
      expect(sandbox.isolated).toBe(true);
      const result = await sandbox.run({
        command: 'echo "$HOME|$TMPDIR|$(ulimit -v)|$NS_HOST_SECRET|$NS_PIDS|$GIVEN"; echo x > "$TMPDIR/scratch"; pwd; exit 4',
        workspaceDir: root,
        env: { GIVEN: 'yes' },
        timeoutMs: 30_000,
        outputLimitBytes: 100_000,
      });
      expect(result).toMatchObject({ outcome: 'exited', exitCode: 4, limitHit: null });
      const [line, cwd] = result.stdout.split('\n');
      const [home, temp, memoryKb, secret, pids, given] = (line ?? '').split('|');
      expect(cwd).toBe(root);
      expect(home).toBe(join(temp ?? '', 'home'));
      expect(memoryKb).toBe(String(1024 ** 2));
      expect([secret, pids, given]).toEqual(['', '', 'yes']);
      expect(existsSync(temp ?? '')).toBe(false);
      const profile = fake.profile();
      // Besides the workspace and the run's temp dir, only the sandbox's own cache folder is writable.
      expect(profile).toMatch(new RegExp(`\\(allow file-write\\* \\(subpath "${root}"\\) \\(subpath "${temp}"\\) \\(subpath "[^"]*/nightshift-sbx-cache-[^"/]+"\\)\\)`));
      expect(profile).toContain('(deny network*)');
    } finally {
      await sandbox.dispose();
    }
  });

  it('says sandbox-exec is unavailable when the program is missing', async () => {
    const error = await createNativeSandbox({ workspaceDir: makeTempDir(), platform: 'darwin', sandboxExecPath: '/nonexistent/sandbox-exec' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SandboxUnavailableError);
    expect(error).toMatchObject({ code: 'SANDBOX_UNAVAILABLE', context: { kind: 'sandbox-exec' } });
  });

  it('has no native sandbox on Windows', async () => {
    const error = await createNativeSandbox({ workspaceDir: makeTempDir(), platform: 'win32' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SandboxUnavailableError);
    expect((error as SandboxUnavailableError).hint).toMatch(/Docker/);
  });

  it.skipIf(!bubblewrapWorks())('picks bubblewrap on Linux', async () => {
    const sandbox = await createNativeSandbox({ workspaceDir: makeTempDir(), platform: 'linux' });
    expect(sandbox.kind).toBe('bubblewrap');
    await sandbox.dispose();
  });

  it('says bubblewrap is unavailable, with the package to install, when bwrap is not on PATH', async () => {
    const error = await createNativeSandbox({ workspaceDir: makeTempDir(), platform: 'linux', env: { PATH: makeTempDir() } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SandboxUnavailableError);
    expect(error).toMatchObject({ context: { kind: 'bubblewrap' } });
    expect((error as SandboxUnavailableError).message).toMatch(/bwrap is not installed \(apt-get install bubblewrap/);
  });
});
