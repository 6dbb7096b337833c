import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { git } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { CLI_BIN, runCli } from '../../utils/runCli.js';

/**
 * Runs the CLI with stdout on a real pipe whose read side this process destroys: at once (`early`), or
 * after the first chunk arrives, as `| head -1` does. Resolves with the exit code and everything on stderr.
 */
function runWithClosedStdout(options: { args: string[]; closeAfterFirstChunk: boolean }): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...options.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    if (options.closeAfterFirstChunk) child.stdout.once('data', () => child.stdout.destroy());
    else child.stdout.destroy();
    const timer = setTimeout(() => child.kill('SIGKILL'), 280_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('a closed stdout ends quietly', () => {
  it('run keeps recording to the end when its output pipe closes, then status and audit export end quietly on a closed pipe', async () => {
    const root = makeTempDir();
    const { repoDir, scriptPath } = createPythonFixture({ parent: root });
    const dataDir = join(root, 'data');
    const run = await runWithClosedStdout({ args: ['run', repoDir, '--models', `scripted:${scriptPath}`, '--data-dir', dataDir], closeAfterFirstChunk: true });
    expect(run.stderr).not.toMatch(/EPIPE|^\s+at /m);
    expect(run.stderr).toMatch(/the output closed mid-run; the session ran on and is recorded: nightshift status --session \S+/);
    // T3 deadlocks by design in the fixture, so the run ends 1, not killed by a signal or a crash (2).
    expect(run.code).toBe(1);

    const [session] = JSON.parse(runCli({ args: ['status', '--json', '--data-dir', dataDir] }).stdout) as Array<{
      session: { id: string; status: string; branch: string };
      tasks: Array<{ spec: { id: string }; status: string; reason: string }>;
    }>;
    expect(session!.session.status).toBe('completed');
    expect(Object.fromEntries(session!.tasks.map((task) => [task.spec.id, task.status]))).toEqual({ T1: 'done', T2: 'done', T3: 'deadlocked', T4: 'skipped', T5: 'done' });
    expect(session!.tasks.find((task) => task.spec.id === 'T4')!.reason).toBe('dependency T3 ended deadlocked');
    expect(git(repoDir, 'rev-list', '--count', `main..${session!.session.branch}`)).toBe('3');

    for (const args of [['status', '--data-dir', dataDir], ['audit', 'export', '--data-dir', dataDir], ['explain', '1', '--data-dir', dataDir]]) {
      const closed = await runWithClosedStdout({ args, closeAfterFirstChunk: false });
      expect(closed.stderr, args.join(' ')).toBe('');
      expect(closed.code, args.join(' ')).toBe(0);
    }
  }, 300_000);
});
