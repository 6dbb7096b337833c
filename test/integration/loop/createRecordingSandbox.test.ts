import { describe, expect, it, onTestFinished } from 'vitest';
import type { Sandbox } from '../../../src/shared/sandbox/Sandbox.js';
import { createLocalSandbox } from '../../../src/sandbox/createLocalSandbox.js';
import { createRecordingSandbox, type SandboxRunRecord } from '../../../src/engine/loop/createRecordingSandbox.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

function recorded(sandbox: Sandbox = createLocalSandbox()): { sandbox: Sandbox; records: SandboxRunRecord[] } {
  const records: SandboxRunRecord[] = [];
  const recording = createRecordingSandbox({ sandbox, onRun: (record) => records.push(record), now: () => 1_700_000_000_000 });
  onTestFinished(() => recording.dispose());
  return { sandbox: recording, records };
}

describe('createRecordingSandbox', () => {
  it('times each real run and reports its label, command, outcome and exit code', async () => {
    const workspaceDir = makeTempDir();
    const { sandbox, records } = recorded();
    expect(sandbox.kind).toBe('local');
    expect(sandbox.isolated).toBe(false);
    const slow = await sandbox.run({ command: 'sleep 0.3; exit 3', label: 'bite:without-code', workspaceDir, timeoutMs: 10_000, outputLimitBytes: 1024 });
    const quick = await sandbox.run({ command: 'echo hi', workspaceDir, timeoutMs: 10_000, outputLimitBytes: 1024 });
    expect(slow.exitCode).toBe(3);
    expect(quick.stdout).toBe('hi\n');
    expect(records).toEqual([
      { label: 'bite:without-code', command: 'sleep 0.3; exit 3', outcome: 'exited', exitCode: 3, durationMs: expect.any(Number), startedAt: 1_700_000_000_000 },
      { label: undefined, command: 'echo hi', outcome: 'exited', exitCode: 0, durationMs: expect.any(Number), startedAt: 1_700_000_000_000 },
    ]);
    // The sleep is a floor; no ceiling, since a loaded machine may be arbitrarily slow.
    expect(records[0]!.durationMs).toBeGreaterThanOrEqual(300);
    expect(Number.isInteger(records[1]!.durationMs)).toBe(true);
  });

  it('records a timeout as such', async () => {
    const { sandbox, records } = recorded();
    const result = await sandbox.run({ command: 'sleep 5', label: 'suite', workspaceDir: makeTempDir(), timeoutMs: 200, outputLimitBytes: 1024 });
    expect(result.outcome).toBe('timeout');
    expect(records).toMatchObject([{ label: 'suite', outcome: 'timeout', exitCode: null }]);
    expect(records[0]!.durationMs).toBeGreaterThanOrEqual(200);
  });

  it('records a run that throws as a spawn error and passes the error on', async () => {
    const failing: Sandbox = {
      kind: 'broken',
      isolated: true,
      run: () => Promise.reject(new Error('daemon gone')),
      dispose: () => Promise.resolve(),
    };
    const { sandbox, records } = recorded(failing);
    await expect(sandbox.run({ command: 'true', label: 'red', workspaceDir: makeTempDir(), timeoutMs: 1000, outputLimitBytes: 1024 })).rejects.toThrow('daemon gone');
    expect(records).toMatchObject([{ label: 'red', command: 'true', outcome: 'spawn-error', exitCode: null }]);
  });
});
