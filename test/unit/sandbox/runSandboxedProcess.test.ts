import { describe, expect, it } from 'vitest';
import { runSandboxedProcess, type RunLimitWatch } from '../../../src/sandbox/runSandboxedProcess.js';

const base = { env: { PATH: '/usr/bin:/bin' }, cwd: '/', timeoutMs: 20_000, outputLimitBytes: 10_000, running: new Set<number>() };

describe('runSandboxedProcess', () => {
  it('is a spawn error when the launcher exits before reporting ready on fd 3', async () => {
    const result = await runSandboxedProcess({ ...base, argv: ['/bin/sh', '-c', 'echo "bwrap: setting up uid map: Permission denied" >&2; exit 1'], readyFd: true });
    expect(result).toMatchObject({ outcome: 'spawn-error', exitCode: null, stderr: 'bwrap: setting up uid map: Permission denied\n' });
  });

  it("reports the command's own exit once the launcher said ready", async () => {
    const result = await runSandboxedProcess({ ...base, argv: ['/bin/sh', '-c', 'printf ready >&3; exec 3>&-; echo out; exit 1'], readyFd: true });
    expect(result).toMatchObject({ outcome: 'exited', exitCode: 1, stdout: 'out\n', limitHit: null });
  });

  it('is a spawn error when the program does not exist', async () => {
    const result = await runSandboxedProcess({ ...base, argv: ['/nonexistent/launcher'] });
    expect(result.outcome).toBe('spawn-error');
    expect(result.stderr).toMatch(/ENOENT/);
  });

  it('stops the run as soon as the watch reports a limit, killing through the watch too', async () => {
    let killed = 0;
    let checks = 0;
    const watch: RunLimitWatch = {
      limitHit: () => (++checks >= 3 ? 'pids' : null),
      killAll: () => {
        killed += 1;
      },
    };
    const result = await runSandboxedProcess({ ...base, argv: ['/bin/sh', '-c', 'sleep 30'], watch });
    expect(result).toMatchObject({ outcome: 'exited', exitCode: null, signal: 'SIGKILL', limitHit: 'pids' });
    expect(result.durationMs).toBeLessThan(20_000);
    expect(killed).toBeGreaterThan(0);
  });
});
