import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBacklog } from '../../../src/engine/backlog/parseBacklog.js';
import { tinyBenchBad, tinyBenchRepo, tinyBenchTasks } from '../../fixtures/createTinyBenchLevel.js';
import { createGitRepo, git } from '../../utils/createGitRepo.js';
import { createTestEngine } from '../../utils/createTestEngine.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

/** The bad answers: T1 a test that asserts nothing over wrong code, T2 a test that passes without the change. */
function setup() {
  const root = makeTempDir();
  const repoDir = createGitRepo({ dir: join(root, 'repo'), commits: [{ files: tinyBenchRepo }] });
  const scriptPath = join(root, 'bad.json');
  writeFileSync(scriptPath, JSON.stringify(tinyBenchBad));
  return { root, repoDir, scriptPath, tasks: parseBacklog({ text: tinyBenchTasks }) };
}

describe('rails off: only a passing suite that ran the task tests gates a commit', () => {
  it('refuses the bad answers with the rails on, recording the mode', async () => {
    const { root, repoDir, scriptPath, tasks } = setup();
    const host = await createTestEngine({ dataDir: join(root, 'data'), scriptPath });
    const outcome = await host.engine.runSession({ projectDir: repoDir, tasks });
    expect(outcome.session.rails).toBe('on');
    expect(outcome.tasks.map((task) => [task.spec.id, task.commit])).toEqual([['T1', null], ['T2', null]]);
    expect(host.store.getSession(outcome.session.id)?.rails).toBe('on');
    await host.dispose();
  });

  it('delivers the same answers with the rails off: no RED proof, no review, the suite alone', async () => {
    const { root, repoDir, scriptPath, tasks } = setup();
    const host = await createTestEngine({ dataDir: join(root, 'data'), scriptPath });
    const outcome = await host.engine.runSession({ projectDir: repoDir, tasks, rails: 'off' });
    expect(host.store.getSession(outcome.session.id)?.rails).toBe('off');
    expect(outcome.tasks.map((task) => [task.spec.id, task.status, task.attempts])).toEqual([['T1', 'done', 1], ['T2', 'done', 1]]);
    const explained = host.store.explain(outcome.tasks[0]!.id)!;
    const attempt = explained.attempts[0]!;
    expect(attempt.phases.map((phase) => phase.phase)).not.toContain('review');
    expect(attempt.modelCalls.map((call) => call.role)).not.toContain('qa');
    expect(attempt.rails.map((rail) => [rail.name, rail.passed])).toEqual([['path-safety', true], ['suite', true]]);
    expect(git(repoDir, 'show', `${outcome.session.headCommit}:calc/divide.py`)).toContain('return a * b');
    await host.dispose();
  });

  it('still refuses a change whose suite fails or that writes outside the workspace', async () => {
    const { root, repoDir, tasks } = setup();
    const failing = {
      ...tinyBenchBad,
      tasks: {
        T1: { ...tinyBenchBad.tasks.T1, green: [{ explanation: 'escape', edits: [{ kind: 'write', path: '../outside.py', content: 'x = 1\n' }] }] },
        T2: { ...tinyBenchBad.tasks.T2, red: [{ explanation: 'a failing test', edits: [{ kind: 'write', path: 'tests/test_clamp.py', content: 'def test_clamp():\n    assert 1 == 2\n' }] }] },
      },
    };
    const scriptPath = join(root, 'failing.json');
    writeFileSync(scriptPath, JSON.stringify(failing));
    const host = await createTestEngine({ dataDir: join(root, 'data'), scriptPath });
    const outcome = await host.engine.runSession({ projectDir: repoDir, tasks, rails: 'off' });
    expect(outcome.tasks.map((task) => task.commit)).toEqual([null, null]);
    const rails = outcome.tasks.map((task) => host.store.explain(task.id)!.attempts.flatMap((attempt) => attempt.rails.filter((rail) => !rail.passed).map((rail) => rail.name)));
    expect(rails[0]).toContain('path-safety');
    expect(rails[1]).toContain('suite');
    await host.dispose();
  });
});
