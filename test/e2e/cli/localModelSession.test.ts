import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import { engineEventSchema } from '../../../src/shared/engineEventSchema.js';
import { failureTypeSchema } from '../../../src/shared/failureType.js';
import { pythonFiles } from '../../fixtures/createPythonFixture.js';
import { createTinyGguf } from '../../fixtures/createTinyGguf.js';
import { bubblewrapWorks } from '../../utils/bubblewrapWorks.js';
import { createGitRepo, git } from '../../utils/createGitRepo.js';
import { dirtyUserRepo } from '../../utils/dirtyUserRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { runCli } from '../../utils/runCli.js';
import { snapshotUserRepo } from '../../utils/snapshotUserRepo.js';

const REFUSED = ['failed', 'deadlocked', 'escalated'];

describe('a session on a local GGUF through the CLI', () => {
  // The random model's plans name commands; they run only inside a sandbox.
  it.skipIf(!bubblewrapWorks())('runs the loop on the real runtime: every call answered, the nonsense refused by rails, the user’s repository untouched', { timeout: 600_000 }, () => {
    const root = makeTempDir('nightshift-local-session-');
    // Three attempts at most bounds the run, and still lets a repeated failure end as a deadlock.
    const repoDir = createGitRepo({ dir: join(root, 'calc'), commits: [{ files: { ...pythonFiles, 'nightshift.json': `${JSON.stringify({ maxAttempts: 3 })}\n` }, message: 'calculator' }] });
    const baseOid = git(repoDir, 'rev-parse', 'HEAD');
    // The loop's prompts run to a few thousand tokens.
    const model = createTinyGguf({ path: join(root, 'tiny-loop.gguf'), name: 'tiny-loop', contextLength: 8192 }).path;
    dirtyUserRepo({ dir: repoDir, modifiedFile: 'calc/basic.py', stagedFile: 'tests/test_basic.py' });
    const before = snapshotUserRepo(repoDir);
    const dataDir = join(root, 'data');

    const run = runCli({
      args: ['run', repoDir, '--models', `local:${model}`, '--max-tasks', '2', '--data-dir', dataDir, '--json', '--sandbox', 'native'],
      // One thread per context: on a machine shared with other tests, more spin-wait on each other.
      env: { NIGHTSHIFT_LLAMA_THREADS: '1' },
      timeoutMs: 570_000,
    });
    expect(run.stderr).not.toMatch(/unexpected error/);
    expect(run.code, run.stderr).toBe(1);
    const events = run.stdout.trim().split('\n').map((line) => engineEventSchema.parse(JSON.parse(line)));
    expect(events.at(-1)).toMatchObject({ type: 'session/finished', status: 'stopped' });

    const store = createSqliteStore({ path: join(dataDir, 'nightshift.db') });
    onTestFinished(() => store.dispose());
    const [session, ...otherSessions] = store.listSessions();
    expect(otherSessions).toEqual([]);
    const described = { model: 'tiny-loop', backend: 'llama.cpp' };
    expect(session!.models).toEqual({ brain: described, coder: described, qa: described });

    const started = store.listTaskRuns(session!.id).filter((taskRun) => taskRun.status !== 'queued');
    expect(started.map((taskRun) => taskRun.spec.id)).toEqual(['T1', 'T2']);
    let answered = 0;
    let calls = 0;
    for (const taskRun of started) {
      expect(REFUSED).toContain(taskRun.status);
      const explanation = store.explain(taskRun.id)!;
      expect(explanation.attempts.length).toBeGreaterThan(0);
      for (const attempt of explanation.attempts) {
        // Every attempt ended with a decision and a typed failure, never cut short by a crash.
        expect(attempt.decision).toMatch(/^(RETRY|DEADLOCK|ESCALATE)$/);
        expect(failureTypeSchema.options).toContain(attempt.failureType);
        const failures = explanation.failures.filter((failure) => failure.attemptId === attempt.id);
        expect(failures.map((failure) => failure.type)).toContain(attempt.failureType);
        expect(attempt.modelCalls.length).toBeGreaterThan(0);
        for (const call of attempt.modelCalls) {
          calls++;
          expect(call).toMatchObject(described);
          if (call.error === null) {
            answered++;
            expect(call.promptTokens).toBeGreaterThan(0);
            expect(call.outputTokens).toBeGreaterThan(0);
          } else {
            // Output that did not parse or validate is the model's fault: a retryable patch failure.
            expect(call.error).toMatch(/\(MODEL_OUTPUT_INVALID\)$/);
            expect(attempt.failureType).toBe('patch');
          }
        }
      }
    }
    // With the generator's closing bias, grammar-constrained answers are mostly valid JSON.
    console.info(`tiny-loop: ${answered} of ${calls} model answers parsed and matched their schema`);
    expect(answered).toBeGreaterThan(0);

    const branch = `refs/heads/nightshift/${session!.id}`;
    const branchOid = git(repoDir, 'for-each-ref', '--format=%(objectname)', branch);
    if (branchOid) expect(git(repoDir, 'rev-list', '--count', `${baseOid}..${branchOid}`)).toBe('0');
    expect(snapshotUserRepo(repoDir)).toEqual(before);
  });
});
