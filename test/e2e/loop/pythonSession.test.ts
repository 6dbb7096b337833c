import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { createTestEngine } from '../../utils/createTestEngine.js';
import { dirtyUserRepo } from '../../utils/dirtyUserRepo.js';
import { git } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { snapshotUserRepo } from '../../utils/snapshotUserRepo.js';
import { findTestDocker } from '../../utils/findTestDocker.js';

describe('a Python/pytest session end to end', () => {
  it('commits the good tasks, refuses each bad answer by the right rail, deadlocks repeats, and leaves the user alone', async () => {
    const root = makeTempDir();
    const { repoDir, scriptPath } = createPythonFixture({ parent: root });
    dirtyUserRepo({ dir: repoDir, modifiedFile: 'calc/basic.py', stagedFile: 'pytest.ini' });
    const before = snapshotUserRepo(repoDir);
    const baseOid = git(repoDir, 'rev-parse', 'HEAD');

    // The loop's test commands run in the Docker sandbox (CI starts a daemon); bubblewrap where none answers.
    const sandbox = (await findTestDocker()).docker ? 'docker' : 'native';
    const host = await createTestEngine({ dataDir: join(root, 'data'), scriptPath, sandbox });
    const events: EngineEvent[] = [];
    const outcome = await host.engine.runSession({ projectDir: repoDir, onEvent: (event) => events.push(event) });

    const byTask = Object.fromEntries(outcome.tasks.map((task) => [task.spec.id, task]));
    expect(Object.fromEntries(outcome.tasks.map((task) => [task.spec.id, task.status]))).toEqual({
      T1: 'done',
      T2: 'done',
      T3: 'deadlocked',
      T4: 'skipped',
      T5: 'done',
    });
    expect(byTask.T4!.reason).toContain('T3');

    const attempts = (taskId: string) => {
      const explanation = host.store.explain(byTask[taskId]!.id)!;
      return explanation.attempts.map((attempt) => ({
        decision: attempt.decision,
        failureType: attempt.failureType,
        fingerprint: attempt.fingerprint,
        failedRails: attempt.rails.filter((rail) => !rail.passed && !rail.skipped).map((rail) => rail.name),
      }));
    };

    expect(attempts('T1')).toEqual([{ decision: 'COMMIT', failureType: null, fingerprint: null, failedRails: [] }]);

    const t2 = attempts('T2');
    expect(t2.map((attempt) => attempt.decision)).toEqual(['RETRY', 'RETRY', 'COMMIT']);
    expect(t2[0]!.failedRails).toContain('stubs');
    expect(t2[1]!.failedRails).toEqual(['scope']);

    const t3 = attempts('T3');
    expect(t3.map((attempt) => attempt.decision)).toEqual(['RETRY', 'RETRY', 'DEADLOCK']);
    expect(new Set(t3.map((attempt) => attempt.failureType))).toEqual(new Set(['bite']));
    expect(new Set(t3.map((attempt) => attempt.fingerprint)).size).toBe(1);
    expect(t3[0]!.fingerprint).toMatch(/^[0-9a-f]{12}$/);

    const t5 = attempts('T5');
    expect(t5.map((attempt) => attempt.decision)).toEqual(['RETRY', 'RETRY', 'RETRY', 'RETRY', 'COMMIT']);
    expect(t5[0]!.failedRails).toContain('syntax');
    expect(t5[1]!.failedRails).toEqual(['path-safety']);
    expect(t5[2]!.failedRails).toEqual(['protected-paths']);
    expect(t5[3]!.failureType).toBe('review');
    expect(existsSync(join(host.workspacesDir, 'escape.py'))).toBe(false);
    expect(existsSync(join(root, 'escape.py'))).toBe(false);

    // The branch holds exactly the three delivered tasks, and its tests pass in a clean clone.
    const branch = outcome.session.branch;
    expect(branch).toMatch(/^nightshift\/\d{8}-\d{6}-[0-9a-f]{4}$/);
    const log = git(repoDir, 'log', '--format=%s', `${baseOid}..${branch}`).split('\n');
    expect(log).toEqual(['nightshift: T5 Add an average function', 'nightshift: T2 Add a clamp function', 'nightshift: T1 Add a divide function']);
    expect(git(repoDir, 'diff', '--name-only', baseOid, branch).split('\n').sort()).toEqual([
      'calc/clamp.py',
      'calc/divide.py',
      'calc/stats.py',
      'tests/test_clamp.py',
      'tests/test_divide.py',
      'tests/test_stats.py',
    ]);
    const clone = join(root, 'clone');
    git(root, 'clone', '-q', '--branch', branch, repoDir, clone);
    const pytest = execFileSync('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: clone, encoding: 'utf8' });
    expect(pytest).toMatch(/6 passed/);
    expect(git(repoDir, 'fsck', '--no-progress')).toBe('');

    // The user's repository: byte-for-byte as they left it.
    expect(snapshotUserRepo(repoDir)).toEqual(before);

    // Every attempt and decision is recorded, with model calls and an audit record per task run.
    for (const task of outcome.tasks) {
      const explanation = host.store.explain(task.id)!;
      expect(explanation.attempts.every((attempt) => attempt.decision !== null && attempt.endedAt !== null)).toBe(true);
      expect(explanation.attempts.length).toBe(task.attempts);
      expect(explanation.audit?.status).toBe(task.status);
    }
    const t1 = host.store.explain(byTask.T1!.id)!;
    expect(t1.attempts[0]!.modelCalls.map((call) => call.role)).toEqual(['brain', 'coder', 'coder', 'qa']);
    expect(t1.attempts[0]!.phases.map((phase) => phase.phase)).toEqual(['plan', 'red', 'green', 'gates', 'review', 'deliver']);
    expect(t1.audit).toMatchObject({ askVerified: true, reviewVerdict: 'GO', testsAdded: ['tests/test_divide.py'], sandbox: { kind: sandbox === 'docker' ? 'docker' : 'bubblewrap', isolated: true } });
    const handoff = /handoff report: (.+)$/.exec(byTask.T3!.reason)?.[1];
    expect(handoff && readFileSync(handoff, 'utf8')).toContain('T3 Add a percent function');

    expect(events[0]?.type).toBe('session/started');
    expect(events.at(-1)).toMatchObject({ type: 'session/finished', status: 'completed' });
    await host.dispose();
  }, 600_000);
});
