import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import type { SessionRecord } from '../../../src/engine/ports/Store.js';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { git } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { runCliAsync } from '../../utils/runCliAsync.js';
import { startCliRun } from '../../utils/startCliRun.js';
import { twoTaskBacklog } from '../../utils/twoTaskBacklog.js';

function setUp() {
  const root = makeTempDir();
  const { repoDir, scriptPath } = createPythonFixture({ parent: root });
  const tasksFile = join(root, 'TWO.md');
  writeFileSync(tasksFile, twoTaskBacklog);
  const dataDir = join(root, 'data');
  const args = ['run', repoDir, '--tasks', tasksFile, '--models', `scripted:${scriptPath}`, '--sandbox', 'local', '--allow-unsandboxed', '--data-dir', dataDir, '--json'];
  const readDb = <T>(read: (store: ReturnType<typeof createSqliteStore>) => T): T => {
    const store = createSqliteStore({ path: join(dataDir, 'nightshift.db') });
    try {
      return read(store);
    } finally {
      store.dispose();
    }
  };
  return { repoDir, dataDir, args, readDb };
}

describe('one run per project', () => {
  it('refuses a second run while the first is running, naming who holds the project, and records nothing for it', async () => {
    const { repoDir, dataDir, args, readDb } = setUp();
    const first = startCliRun(args);
    const started = await first.waitFor((event) => event.type === 'task/started');
    // Holding the first run still keeps the race out of the test: it stays alive and in its task.
    first.child.kill('SIGSTOP');
    try {
      const second = await runCliAsync({ args });
      expect(second.code).toBe(2);
      const sessionId = started.type === 'task/started' ? started.sessionId : '';
      expect(second.stderr).toContain(`already being worked on by Nightshift process ${first.pid}`);
      expect(second.stderr).toContain(`(session ${sessionId})`);
      expect(second.stdout).toBe('');
      const status = await runCliAsync({ args: ['status', '--json', '--data-dir', dataDir] });
      expect((JSON.parse(status.stdout) as Array<{ session: SessionRecord }>).map(({ session }) => session.status)).toEqual(['running']);
    } finally {
      first.child.kill('SIGCONT');
    }
    const end = await first.done;
    expect(end.code).toBe(0);

    readDb((store) => {
      const sessions = store.listSessions();
      expect(sessions).toHaveLength(1);
      const runs = store.listTaskRuns(sessions[0]!.id);
      expect(runs.map((run) => run.status)).toEqual(['done', 'done']);
      expect(runs.map((run) => store.listAttempts(run.id).map((attempt) => attempt.decision))).toEqual([['COMMIT'], ['RETRY', 'RETRY', 'COMMIT']]);
    });
    expect(git(repoDir, 'log', '--format=%s', `main..${readDb((store) => store.listSessions()[0]!.branch)}`).split('\n')).toHaveLength(2);
    expect(readdirSync(join(dataDir, 'locks'))).toEqual([]);
  }, 600_000);

  it('shows a SIGKILLed run as interrupted, and the next run takes over its lock and delivers', async () => {
    const { repoDir, dataDir, args, readDb } = setUp();
    const first = startCliRun(args);
    const t2 = await first.waitFor((event) => event.type === 'task/started' && event.taskId === 'T2');
    await first.waitFor((event) => event.type === 'attempt/started' && t2.type === 'task/started' && event.taskRunId === t2.taskRunId);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');

    const status = await runCliAsync({ args: ['status', '--json', '--data-dir', dataDir] });
    expect(status.code).toBe(0);
    const [shown] = JSON.parse(status.stdout) as Array<{ session: SessionRecord }>;
    expect(shown?.session).toMatchObject({ status: 'interrupted', reason: `its process ${first.pid} died at an unknown time (its project lock is stale)` });
    const text = await runCliAsync({ args: ['status', '--data-dir', dataDir] });
    expect(text.stdout).toMatch(/ interrupted /);
    // status only reports: the record still says running until the next run takes over.
    expect(readDb((store) => store.listSessions()[0]!.status)).toBe('running');

    const second = startCliRun(args);
    const end = await second.done;
    expect(end.code).toBe(0);
    const notice = second.events.find((event) => event.type === 'log' && event.level === 'warn');
    expect(notice?.type === 'log' && notice.message).toMatch(new RegExp(`^Session \\S+ was interrupted: its process ${first.pid} died at an unknown time; found stale at \\d{4}-`));
    expect(second.events.find((event) => event.type === 'session/started')).toMatchObject({ resumed: true });
    expect(second.events.at(-1)).toMatchObject({ type: 'session/finished', status: 'completed' });

    readDb((store) => {
      const [session] = store.listSessions();
      expect(session).toMatchObject({ status: 'completed', reason: '' });
      const runs = store.listTaskRuns(session!.id);
      expect(runs.map((run) => run.status)).toEqual(['done', 'done']);
      expect(store.listAttempts(runs[1]!.id)[0]?.decision).toBe('INTERRUPTED');
      expect(git(repoDir, 'log', '--format=%s', `main..${session!.branch}`).split('\n')).toEqual([
        'nightshift: T2 Add a clamp function',
        'nightshift: T1 Add a divide function',
      ]);
    });
    expect(readdirSync(join(dataDir, 'locks'))).toEqual([]);
  }, 600_000);
});
