import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { sampleRails } from '../../utils/seedStore.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const writer = join(repoRoot, 'test/fixtures/storeCrashWriter.ts');
const MAX_ATTEMPTS = 4;

/** Runs the writer, SIGKILLs it `afterMs` after it reports ready, and resolves with how it ended. */
function runAndKill(dbPath: string, afterMs: number): Promise<{ signal: NodeJS.Signals | null; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dbPath, String(MAX_ATTEMPTS)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const startTimeout = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer never became ready: ${stderr}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ready\n')) {
        clearTimeout(startTimeout);
        setTimeout(() => child.kill('SIGKILL'), afterMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(startTimeout);
      resolve({ code, signal, stderr });
    });
  });
}

describe('store crash consistency', () => {
  it('survives SIGKILL mid-write with every committed transaction whole, and recovers the open attempt', async () => {
    const dbPath = join(makeTempDir(), 'nightshift.db');
    const ended = await runAndKill(dbPath, 300);
    expect(ended, ended.stderr).toMatchObject({ signal: 'SIGKILL', code: null });

    // Opening runs quick_check; a damaged file would throw StoreCorruptError here.
    const store = createSqliteStore({ path: dbPath });
    try {
      const raw = new Database(dbPath, { readonly: true });
      try {
        expect(raw.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
        expect(raw.pragma('foreign_key_check')).toEqual([]);
      } finally {
        raw.close();
      }

      const taskRuns = store.listTaskRuns('crash');
      const running = taskRuns.filter((taskRun) => taskRun.status === 'running');
      expect(running).toHaveLength(1);
      const runningIndex = taskRuns.indexOf(running[0]!);
      // Everything before the running task run was escalated; nothing after it exists yet.
      expect(taskRuns.slice(0, runningIndex).every((taskRun) => taskRun.status === 'escalated')).toBe(true);
      expect(runningIndex).toBe(taskRuns.length - 1);

      let finishedAttempts = 0;
      for (const taskRun of taskRuns) {
        const explanation = store.explain(taskRun.id)!;
        const attempts = explanation.attempts;
        expect(attempts.map((attempt) => attempt.number)).toEqual(attempts.map((_, index) => index + 1));
        expect(taskRun.attempts).toBe(attempts.length);
        if (taskRun.status === 'escalated') expect(attempts).toHaveLength(MAX_ATTEMPTS);
        const open = attempts.filter((attempt) => attempt.decision === null);
        expect(open).toHaveLength(taskRun.status === 'running' ? 1 : 0);
        if (open.length === 1) expect(open[0]).toBe(attempts.at(-1));
        for (const attempt of attempts) {
          const finished = attempt.decision === 'RETRY';
          if (finished) finishedAttempts += 1;
          expect(attempt.phases).toHaveLength(finished ? 2 : 0);
          expect(attempt.rails).toHaveLength(finished ? sampleRails.length : 0);
          expect(attempt.modelCalls).toHaveLength(finished ? 1 : 0);
          expect(explanation.failures.filter((failure) => failure.attemptId === attempt.id)).toHaveLength(finished ? 1 : 0);
        }
      }
      // The kill landed in a busy loop, not before the first write.
      expect(finishedAttempts).toBeGreaterThan(10);

      const openAttempt = store.listAttempts(running[0]!.id).at(-1)!;
      expect(store.recoverInterrupted('crash', 123)).toBe(1);
      expect(store.getTaskRun(running[0]!.id)?.status).toBe('queued');
      expect(store.listAttempts(running[0]!.id).at(-1)).toEqual({ ...openAttempt, decision: 'INTERRUPTED', endedAt: 123 });
      expect(store.listTaskRuns('crash').some((taskRun) => taskRun.status === 'running')).toBe(false);
    } finally {
      store.dispose();
    }
  });
});
