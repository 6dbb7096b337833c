import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import { createPythonFixture, pythonScript } from '../../fixtures/createPythonFixture.js';
import { git } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { runCliAsync } from '../../utils/runCliAsync.js';

const T1 = 'Create `divide(a, b)` in calc/divide.py that returns a / b and raises ValueError when b is 0.';
const backlog = (t1Description: string) => `# Two tasks

## T1: Add a divide function
${t1Description}
Files: calc/divide.py, tests/test_divide.py

## T2: Add a clamp function
Create clamp(value, low, high) in calc/clamp.py returning value limited to the range [low, high].
Files: calc/clamp.py, tests/test_clamp.py
`;

describe('running a finished backlog again', () => {
  it('delivers nothing twice: names where each task went, --again redoes them, an edited task runs alone', async () => {
    const root = makeTempDir();
    const { repoDir } = createPythonFixture({ parent: root });
    const t2 = pythonScript.tasks.T2!;
    // Both tasks right first time, so each run is short.
    const scriptPath = join(root, 'good-script.json');
    writeFileSync(scriptPath, JSON.stringify({ models: pythonScript.models, tasks: { T1: pythonScript.tasks.T1, T2: { ...t2, green: [t2.green!.at(-1)] } } }));
    const tasksFile = join(root, 'TWO.md');
    writeFileSync(tasksFile, backlog(T1));
    const dataDir = join(root, 'data');
    const run = async (...extra: string[]) => {
      const result = await runCliAsync({
        args: ['run', repoDir, '--tasks', tasksFile, '--models', `scripted:${scriptPath}`, '--sandbox', 'local', '--allow-unsandboxed', '--data-dir', dataDir, '--json', ...extra],
      });
      expect(result.stderr).not.toContain('unexpected error');
      return { ...result, events: result.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as EngineEvent) };
    };
    const sessions = () => {
      const store = createSqliteStore({ path: join(dataDir, 'nightshift.db') });
      try {
        return store.listSessions().map((session) => ({ session, tasks: store.listTaskRuns(session.id) }));
      } finally {
        store.dispose();
      }
    };
    const subjects = (branch: string) => git(repoDir, 'log', '--format=%s', `main..${branch}`).split('\n');

    const first = await run();
    expect(first.code).toBe(0);
    const one = sessions()[0]!.session;
    expect(subjects(one.branch)).toEqual(['nightshift: T2 Add a clamp function', 'nightshift: T1 Add a divide function']);
    const [t1Commit, t2Commit] = [git(repoDir, 'rev-parse', `${one.branch}~1`), git(repoDir, 'rev-parse', one.branch)];

    const again = await run();
    expect(again.code).toBe(0);
    expect(again.events).toHaveLength(1);
    const message = again.events[0]?.type === 'log' ? again.events[0].message : '';
    expect(message).toContain('Every task of this backlog was already delivered');
    expect(message).toContain(`T1 (Add a divide function) on ${one.branch} at ${t1Commit.slice(0, 12)}`);
    expect(message).toContain(`T2 (Add a clamp function) on ${one.branch} at ${t2Commit.slice(0, 12)}`);
    expect(sessions()).toHaveLength(1);
    expect(git(repoDir, 'branch', '--list', 'nightshift/*').split('\n')).toHaveLength(1);

    const forced = await run('--again');
    expect(forced.code).toBe(0);
    const { session: two, tasks: twoTasks } = sessions()[0]!;
    expect(two.branch).not.toBe(one.branch);
    expect(twoTasks.map((task) => task.status)).toEqual(['done', 'done']);
    expect(subjects(two.branch)).toEqual(['nightshift: T2 Add a clamp function', 'nightshift: T1 Add a divide function']);

    writeFileSync(tasksFile, backlog(`${T1} Keep the error message short.`));
    const edited = await run();
    expect(edited.code).toBe(0);
    const note = edited.events.find((event) => event.type === 'log' && event.message.startsWith('Already delivered'));
    expect(note?.type === 'log' && note.message).toContain(`T2 (Add a clamp function) on ${two.branch}`);
    expect(edited.events.filter((event) => event.type === 'task/started').map((event) => event.type === 'task/started' && event.taskId)).toEqual(['T1']);
    const { session: three, tasks: threeTasks } = sessions()[0]!;
    expect(sessions()).toHaveLength(3);
    expect(threeTasks[0]?.status).toBe('done');
    expect(threeTasks[1]).toMatchObject({ status: 'skipped', reason: expect.stringContaining(`already delivered on ${two.branch}`) });
    expect(subjects(three.branch)).toEqual(['nightshift: T1 Add a divide function']);
  }, 600_000);
});
