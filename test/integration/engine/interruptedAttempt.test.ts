import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPythonFixture, pythonScript } from '../../fixtures/createPythonFixture.js';
import { git } from '../../utils/createGitRepo.js';
import { createTestEngine } from '../../utils/createTestEngine.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

describe('Ctrl-C mid-attempt', () => {
  it('records the attempt INTERRUPTED and leaves the whole budget to the resumed run', async () => {
    const root = makeTempDir();
    const { repoDir, scriptPath } = createPythonFixture({ parent: root });
    // T2's script needs exactly three attempts (a stub, an out-of-scope edit, then good): the whole budget.
    writeFileSync(join(repoDir, 'nightshift.json'), `${JSON.stringify({ maxAttempts: 3 })}\n`);
    git(repoDir, 'commit', '-q', '-am', 'three attempts');
    const dataDir = join(root, 'data');
    const tasks = [{ id: 'T2', title: 'Add a clamp function', description: 'Create clamp(value, low, high) in calc/clamp.py returning value limited to the range [low, high].', dependsOn: [], targetFiles: ['calc/clamp.py', 'tests/test_clamp.py'] }];
    expect(pythonScript.tasks.T2?.green).toHaveLength(3);

    const first = await createTestEngine({ dataDir, scriptPath });
    const controller = new AbortController();
    const stopped = await first.engine.runSession({
      projectDir: repoDir,
      tasks,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'phase/started' && event.phase === 'red' && event.attempt === 1) controller.abort();
      },
    });
    await first.dispose();
    expect(stopped.session.status).toBe('stopped');
    const [run] = stopped.tasks;
    expect(run?.status).toBe('queued');

    // A fresh process: the scripted answers start over, as a restarted Nightshift's would.
    const second = await createTestEngine({ dataDir, scriptPath });
    const resumed = await second.engine.runSession({ projectDir: repoDir, tasks });
    expect(resumed.session.id).toBe(stopped.session.id);
    expect(resumed.tasks[0]).toMatchObject({ status: 'done' });
    expect(second.store.listAttempts(run!.id).map((attempt) => [attempt.number, attempt.decision])).toEqual([
      [1, 'INTERRUPTED'],
      [2, 'RETRY'],
      [3, 'RETRY'],
      [4, 'COMMIT'],
    ]);
    // explain still shows the interrupted attempt.
    expect(second.store.explain(run!.id)?.attempts.map((attempt) => attempt.decision)).toContain('INTERRUPTED');
    await second.dispose();
  });
});
