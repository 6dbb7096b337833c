import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { git } from '../../utils/createGitRepo.js';
import { dirtyUserRepo } from '../../utils/dirtyUserRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { CLI_BIN, runCli } from '../../utils/runCli.js';
import { snapshotUserRepo } from '../../utils/snapshotUserRepo.js';
import { findTestDocker } from '../../utils/findTestDocker.js';
import { sandboxLabels } from '../../../src/sandbox/docker/sandboxLabels.js';

/**
 * Runs `nightshift run --json` and SIGKILLs it at the first event `killWhen` accepts (never, when it
 * accepts none). Resolves with the events seen and whether the kill happened.
 */
function runUntil(args: string[], killWhen: (event: EngineEvent) => boolean): Promise<{ events: EngineEvent[]; killed: boolean; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const events: EngineEvent[] = [];
    let killed = false;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as EngineEvent;
      events.push(event);
      if (!killed && killWhen(event)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (!killed && code === 2) reject(new Error(`nightshift failed: ${stderr}`));
      else resolve({ events, killed: killed && signal === 'SIGKILL', pid: child.pid ?? -1 });
    });
  });
}

describe('killing nightshift mid-task', () => {
  it('leaves the repository intact and the database consistent, and the next run resumes', async () => {
    const root = makeTempDir();
    const { repoDir, scriptPath } = createPythonFixture({ parent: root });
    dirtyUserRepo({ dir: repoDir, modifiedFile: 'calc/basic.py', stagedFile: 'pytest.ini' });
    const before = snapshotUserRepo(repoDir);
    const baseOid = git(repoDir, 'rev-parse', 'HEAD');
    const dataDir = join(root, 'data');
    const args = ['run', repoDir, '--models', `scripted:${scriptPath}`, '--data-dir', dataDir, '--json'];
    const taskOf = new Map<number, string>();
    const track = (event: EngineEvent) => {
      if (event.type === 'task/started') taskOf.set(event.taskRunId, event.taskId);
    };

    // First kill: in T2's gates, with its code written into the workspace.
    const first = await runUntil(args, (event) => {
      track(event);
      return event.type === 'phase/started' && event.phase === 'gates' && taskOf.get(event.taskRunId) === 'T2';
    });
    expect(first.killed).toBe(true);
    expect(snapshotUserRepo(repoDir)).toEqual(before);
    // A killed session leaves its warm sandbox container behind; the next start removes it.
    const { docker } = await findTestDocker();
    const orphans = async () =>
      docker ? (await docker.listContainers({ all: true, filters: { label: [`${sandboxLabels.pid}=${first.pid}`] } })).length : 0;
    if (docker) expect(await orphans()).toBe(1);
    expect(git(repoDir, 'fsck', '--no-progress')).toBe('');
    // status finds the project lock stale and shows the session interrupted; the record is left to the next run.
    const shown = JSON.parse(runCli({ args: ['status', '--json', '--data-dir', dataDir] }).stdout) as Array<{ session: { status: string; reason: string } }>;
    expect(shown[0]?.session).toMatchObject({ status: 'interrupted', reason: expect.stringContaining(`its process ${first.pid} died`) });
    const store = createSqliteStore({ path: join(dataDir, 'nightshift.db') });
    const [session] = store.listSessions();
    expect(session?.status).toBe('running');
    const statuses = Object.fromEntries(store.listTaskRuns(session!.id).map((task) => [task.spec.id, task.status]));
    expect(statuses).toMatchObject({ T1: 'done', T2: 'running', T3: 'queued' });
    const t2 = store.listTaskRuns(session!.id).find((task) => task.spec.id === 'T2')!;
    expect(store.listAttempts(t2.id).map((attempt) => attempt.decision)).toEqual([null]);
    store.dispose();

    // Second kill: T3's second attempt, mid-RED; the deadlock count must carry over the restart.
    const second = await runUntil(args, (event) => {
      track(event);
      return event.type === 'phase/started' && event.phase === 'red' && event.attempt === 2 && taskOf.get(event.taskRunId) === 'T3';
    });
    expect(second.events.find((event) => event.type === 'log' && event.level === 'warn')).toMatchObject({
      message: expect.stringContaining(`was interrupted: its process ${first.pid} died at an unknown time; found stale at`),
    });
    expect(second.events.find((event) => event.type === 'session/started')).toMatchObject({ resumed: true });
    expect(second.events.some((event) => event.type === 'task/started' && event.taskId === 'T1')).toBe(false);
    expect(second.killed).toBe(true);
    expect(await orphans()).toBe(0);

    const last = await runUntil(args, () => false);
    expect(last.events.find((event) => event.type === 'session/started')).toMatchObject({ resumed: true });
    expect(last.events.at(-1)).toMatchObject({ type: 'session/finished', status: 'completed' });

    const reopened = createSqliteStore({ path: join(dataDir, 'nightshift.db') });
    const final = reopened.listTaskRuns(session!.id);
    expect(Object.fromEntries(final.map((task) => [task.spec.id, task.status]))).toEqual({
      T1: 'done',
      T2: 'done',
      T3: 'deadlocked',
      T4: 'skipped',
      T5: 'done',
    });
    const t3Attempts = reopened.listAttempts(final.find((task) => task.spec.id === 'T3')!.id);
    expect(t3Attempts.map((attempt) => attempt.decision)).toEqual(['RETRY', 'INTERRUPTED', 'RETRY', 'DEADLOCK']);
    const t2Attempts = reopened.listAttempts(final.find((task) => task.spec.id === 'T2')!.id);
    expect(t2Attempts[0]?.decision).toBe('INTERRUPTED');
    expect(t2Attempts.at(-1)?.decision).toBe('COMMIT');
    expect(reopened.getSession(session!.id)?.status).toBe('completed');
    reopened.dispose();

    const subjects = git(repoDir, 'log', '--format=%s', `${baseOid}..${session!.branch}`).split('\n');
    expect(subjects).toEqual(['nightshift: T5 Add an average function', 'nightshift: T2 Add a clamp function', 'nightshift: T1 Add a divide function']);
    expect(git(repoDir, 'fsck', '--no-progress')).toBe('');
    expect(snapshotUserRepo(repoDir)).toEqual(before);
  }, 600_000);
});
