import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SandboxResult } from '../../../../src/shared/sandbox/Sandbox.js';
import { bubblewrapWorks } from '../../../utils/bubblewrapWorks.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const NOBODY = 65534;

/** Only root can start the child as another user; an ordinary user runs the rlimit path in every other test. */
const canSwitchUser = process.getuid?.() === 0 && existsSync('/usr/bin/python3');

describe.skipIf(!bubblewrapWorks() || !canSwitchUser)('createBubblewrapSandbox for an ordinary user (rlimits)', () => {
  it('stops a fork bomb and a memory hog with rlimits inside the user namespace and reports both', () => {
    const base = makeTempDir('nightshift-bwrap-nobody-');
    chmodSync(base, 0o755);
    const root = join(base, 'sandbox');
    const workspaceDir = join(root, 'ws');
    const home = join(base, 'home');
    for (const dir of [root, workspaceDir, home]) {
      mkdirSync(dir);
      chownSync(dir, NOBODY, NOBODY);
    }
    const marker = `ns-nobody-bomb-${randomUUID()}`;
    const commands = [
      'id -u; echo x > made-by-sandbox && echo wrote',
      // Bounded: without the limit at most 2^8 small sleeping shells would start.
      `bomb() { if [ "$1" -gt 0 ]; then bomb $(($1 - 1)) & bomb $(($1 - 1)) & wait; else exec sh -c 'sleep 20' ${marker}; fi; }; bomb 8`,
      '/usr/bin/python3 -c "b = bytearray(2 * 1024 ** 3); print(len(b))"',
      '/usr/bin/python3 -c "b = bytearray(16 * 1024 ** 2); print(len(b))"',
    ];
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'test/fixtures/unprivilegedSandboxRuns.ts'), JSON.stringify({ root, workspaceDir, limits: { memoryBytes: 256 * 1024 ** 2, pids: 32 }, timeoutMs: 5000, commands })],
      { cwd: repoRoot, uid: NOBODY, gid: NOBODY, env: { HOME: home, PATH: '/usr/bin:/bin' }, encoding: 'utf8', timeout: 120_000 },
    );
    expect(child.stderr).toBe('');
    const output = JSON.parse(child.stdout) as { limitMethod: string; results: SandboxResult[] };
    expect(output.limitMethod).toBe('rlimit');
    const [identity, bomb, hog, fits] = output.results;
    expect(identity).toMatchObject({ exitCode: 0, stdout: '1000\nwrote\n' });
    expect(bomb?.limitHit, JSON.stringify(bomb)).toBe('pids');
    expect(hog).toMatchObject({ limitHit: 'memory', stdout: '' });
    expect(hog?.stderr).toMatch(/MemoryError/);
    expect(fits).toMatchObject({ exitCode: 0, stdout: `${16 * 1024 ** 2}\n`, limitHit: null });
    expect(spawnSync('pgrep', ['-f', marker], { encoding: 'utf8' }).stdout).toBe('');
  });
});
