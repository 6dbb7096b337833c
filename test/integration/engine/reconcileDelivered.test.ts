import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGitVcs } from '../../../src/engine/vcs/createGitVcs.js';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { git } from '../../utils/createGitRepo.js';
import { createTestEngine } from '../../utils/createTestEngine.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

describe('resuming after a crash between delivery and its record', () => {
  it('recognises the delivered commit by its trailers and does not run the task again', async () => {
    const root = makeTempDir();
    const { repoDir, scriptPath } = createPythonFixture({ parent: root });
    const host = await createTestEngine({ dataDir: join(root, 'data'), scriptPath });
    const first = await host.engine.runSession({ projectDir: repoDir, maxTasks: 1 });
    const session = first.session;
    const t1 = first.tasks.find((task) => task.spec.id === 'T1')!;
    const t2 = first.tasks.find((task) => task.spec.id === 'T2')!;
    expect(t1.status).toBe('done');

    // What a crash right after the branch moved leaves: T2 committed on the branch, "running" in the records.
    const vcs = createGitVcs();
    const commit = await vcs.commit({
      repoDir,
      parentOid: t1.commit!,
      changes: [{ path: 'calc/clamp.py', before: null, after: 'def clamp(value, low, high):\n    return max(low, min(value, high))\n' }],
      message: `nightshift: T2 Add a clamp function\n\nNightshift-Task: T2\nNightshift-Session: ${session.id}\nNightshift-Run: ${t2.id}\n`,
      author: { name: 'Nightshift', email: 'nightshift@localhost', timestamp: 1_800_000_000 },
    });
    await vcs.updateBranch({ repoDir, branch: session.branch, oid: commit, expectedOid: t1.commit! });
    host.store.updateTaskRun(t2.id, { status: 'running' });

    const events: EngineEvent[] = [];
    const second = await host.engine.runSession({ projectDir: repoDir, maxTasks: 1, onEvent: (event) => events.push(event) });
    expect(second.session.id).toBe(session.id);
    expect(second.tasks.find((task) => task.spec.id === 'T2')).toMatchObject({ status: 'done', commit });
    expect(events.filter((event) => event.type === 'task/started').map((event) => event.type === 'task/started' && event.taskId)).toEqual(['T3']);
    expect(git(repoDir, 'log', '--format=%s', '-2', session.branch).split('\n')).toEqual([
      'nightshift: T2 Add a clamp function',
      'nightshift: T1 Add a divide function',
    ]);
    await host.dispose();
  });

  it('refuses to resume onto a branch someone else moved', async () => {
    const root = makeTempDir();
    const { repoDir, scriptPath } = createPythonFixture({ parent: root });
    const host = await createTestEngine({ dataDir: join(root, 'data'), scriptPath });
    const first = await host.engine.runSession({ projectDir: repoDir, maxTasks: 1 });
    git(repoDir, 'branch', '-f', first.session.branch, 'main');
    await expect(host.engine.runSession({ projectDir: repoDir })).rejects.toMatchObject({ code: 'BRANCH_MOVED_OUTSIDE' });
    expect(git(repoDir, 'rev-parse', first.session.branch)).toBe(git(repoDir, 'rev-parse', 'main'));
    await host.dispose();
  });
});
