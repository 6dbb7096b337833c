import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AuditRecord } from '../../../src/engine/ports/Store.js';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import { openDataDir } from '../../../src/engine/store/openDataDir.js';
import { createMainHost, type MainHost } from '../../../src/host/createMainHost.js';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import type { ProtocolName, ProtocolResult } from '../../../src/shared/protocol.js';
import { createGitRepo } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { sampleModels, sampleRails, sampleSpec } from '../../utils/seedStore.js';

const NIGHT = 1_763_676_000_000;

/** A data directory holding two projects' sessions, written through the real SQLite store. */
function seedDataDir(): { dataDir: string; repo: string; otherRepo: string } {
  const root = makeTempDir();
  const dataDir = join(root, 'data');
  const repo = realpathSync(createGitRepo({ dir: join(root, 'calc'), commits: [{ files: { 'README.md': '# calc\n' } }] }));
  const otherRepo = join(root, 'shop');
  const store = createSqliteStore({ path: openDataDir({ dir: dataDir }).dbPath });
  try {
    const calc = store.upsertProject({ path: repo, name: 'calc', now: NIGHT });
    const shop = store.upsertProject({ path: otherRepo, name: 'shop', now: NIGHT });
    const base = { mode: 'branch' as const, baseCommit: 'a'.repeat(40), sandbox: 'local', sandboxIsolated: false, models: sampleModels };

    store.createSession({ ...base, id: 'older1', projectId: calc.id, branch: 'nightshift/older1', startedAt: NIGHT });
    const [done, escalated, skipped] = store.addTaskRuns('older1', [sampleSpec('T1'), sampleSpec('T2'), sampleSpec('T3')]);
    store.updateTaskRun(done!.id, { status: 'done', reason: 'GO', attempts: 1, commit: 'c'.repeat(40), startedAt: NIGHT, endedAt: NIGHT + 60_000 });
    store.updateTaskRun(escalated!.id, { status: 'escalated', reason: 'suite kept failing', attempts: 2, startedAt: NIGHT, endedAt: NIGHT + 120_000 });
    store.updateTaskRun(skipped!.id, { status: 'skipped', reason: 'depends on T2' });
    for (const number of [1, 2]) {
      const attempt = store.startAttempt({ taskRunId: escalated!.id, number, startedAt: NIGHT + number * 1000 });
      store.recordPhase({ attemptId: attempt.id, phase: 'green', ok: true, detail: 'code written', startedAt: NIGHT, endedAt: NIGHT + 10 });
      store.recordRails(attempt.id, sampleRails);
      store.finishAttempt(attempt.id, {
        decision: number === 1 ? 'RETRY' : 'ESCALATE',
        failureType: 'patch',
        fingerprint: '0123456789ab',
        feedback: 'suite: expected 3, got 4',
        endedAt: NIGHT + number * 2000,
      });
    }
    store.writeAudit(audit({ taskRunId: done!.id, sessionId: 'older1', project: repo }));
    store.updateSession('older1', { status: 'completed', endedAt: NIGHT + 200_000, headCommit: 'c'.repeat(40) });

    store.createSession({ ...base, id: 'newer2', projectId: shop.id, branch: 'nightshift/newer2', startedAt: NIGHT + 86_400_000 });
    store.addTaskRuns('newer2', [sampleSpec('cart')]);
  } finally {
    store.dispose();
  }
  return { dataDir, repo, otherRepo };
}

function audit(fields: Pick<AuditRecord, 'taskRunId' | 'sessionId' | 'project'>): AuditRecord {
  return {
    ...fields,
    taskId: 'T1',
    title: 'Task T1',
    branch: `nightshift/${fields.sessionId}`,
    models: sampleModels,
    sandbox: { kind: 'local', isolated: false },
    status: 'done',
    decision: 'COMMIT',
    reason: 'GO',
    attempts: 1,
    railsFired: {},
    reviewVerdict: 'GO',
    askVerified: true,
    filesChanged: ['src/T1.ts'],
    testsAdded: ['test/T1.test.ts'],
    commit: 'c'.repeat(40),
    startedAt: NIGHT,
    endedAt: NIGHT + 60_000,
  };
}

function openHost(dataDir: string): MainHost {
  const host = createMainHost({ dataDir, clock: { now: () => NIGHT + 999 } });
  onTestFinished(() => host.dispose());
  return host;
}

function ok<T>(result: ProtocolResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function failed(result: ProtocolResult<unknown>): { code: string; message: string; hint: string } {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('createMainHost over a real SQLite store', () => {
  it('lists every session newest first, with task counts and the project path', async () => {
    const { dataDir, repo } = seedDataDir();
    const host = openHost(dataDir);
    expect(host.dataDir).toBe(dataDir);
    const sessions = ok(await host.handle('session/list', {}));
    expect(sessions.map((session) => session.id)).toEqual(['newer2', 'older1']);
    const older = sessions[1]!;
    expect(older).toMatchObject({ status: 'completed', branch: 'nightshift/older1', startedAt: NIGHT, endedAt: NIGHT + 200_000 });
    expect(older.counts).toEqual({ queued: 0, running: 0, done: 1, failed: 0, deadlocked: 0, escalated: 1, skipped: 1 });
    // Found through the session's audit record, since the store looks projects up by path only.
    expect(older.projectPath).toBe(repo);
    expect(sessions[0]!.counts.queued).toBe(1);
  });

  it('lists one project’s sessions when asked by path, following symlinks to the real path', async () => {
    const { dataDir, repo, otherRepo } = seedDataDir();
    const link = join(makeTempDir(), 'calc-link');
    symlinkSync(repo, link);
    const host = openHost(dataDir);
    const viaLink = ok(await host.handle('session/list', { projectPath: link }));
    expect(viaLink.map((session) => session.id)).toEqual(['older1']);
    const shop = ok(await host.handle('session/list', { projectPath: otherRepo }));
    expect(shop).toMatchObject([{ id: 'newer2', projectPath: otherRepo }]);
    expect(failed(await host.handle('session/list', { projectPath: join(repo, 'nowhere') })).code).toBe('PROJECT_NOT_OPEN');
  });

  it('opens a git repository as a project and refuses folders that are not one', async () => {
    const { dataDir, repo } = seedDataDir();
    const host = openHost(dataDir);
    const project = ok(await host.handle('project/open', { path: `${repo}/.` }));
    expect(project).toMatchObject({ path: repo, name: 'calc' });

    const plain = join(makeTempDir(), 'plain');
    mkdirSync(plain);
    expect(failed(await host.handle('project/open', { path: plain }))).toMatchObject({
      code: 'PROJECT_PATH_INVALID',
      message: expect.stringContaining('not the root of a git repository'),
    });
    expect(failed(await host.handle('project/open', { path: join(plain, 'missing') })).message).toContain('does not exist');
  });

  it('gives a session with its tasks, and NOT_FOUND for an unknown one', async () => {
    const { dataDir } = seedDataDir();
    const host = openHost(dataDir);
    const { session, tasks } = ok(await host.handle('session/get', { id: 'older1' }));
    expect(session).toMatchObject({ id: 'older1', mode: 'branch', headCommit: 'c'.repeat(40), sandbox: 'local', sandboxIsolated: false, models: sampleModels });
    expect(tasks.map(({ taskId, status, attempts }) => [taskId, status, attempts])).toEqual([
      ['T1', 'done', 1],
      ['T2', 'escalated', 2],
      ['T3', 'skipped', 0],
    ]);
    expect(tasks[0]).toMatchObject({ title: 'Task T1', reason: 'GO', commit: 'c'.repeat(40) });
    const missing = failed(await host.handle('session/get', { id: 'nope' }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.hint).not.toBe('');
  });

  it('explains a task run attempt by attempt with phases and rails, as text and as structure', async () => {
    const { dataDir } = seedDataDir();
    const host = openHost(dataDir);
    const { tasks } = ok(await host.handle('session/get', { id: 'older1' }));
    const escalated = tasks.find((task) => task.taskId === 'T2')!;
    const explanation = ok(await host.handle('task/explain', { taskRunId: escalated.id }));
    expect(explanation.taskRun).toMatchObject({ id: escalated.id, sessionId: 'older1', status: 'escalated', description: sampleSpec('T2').description });
    expect(explanation.attempts.map((attempt) => [attempt.number, attempt.decision, attempt.failureType])).toEqual([
      [1, 'RETRY', 'patch'],
      [2, 'ESCALATE', 'patch'],
    ]);
    expect(explanation.attempts[0]!.rails).toEqual(sampleRails);
    expect(explanation.attempts[0]!.phases).toEqual([{ phase: 'green', ok: true, detail: 'code written', startedAt: NIGHT, endedAt: NIGHT + 10 }]);
    expect(explanation.attempts[0]!.feedback).toBe('suite: expected 3, got 4');
    expect(explanation.text).toContain(`Task run ${escalated.id}: T2 Task T2`);
    expect(explanation.text).toContain('Attempt 2: ESCALATE');
    expect(failed(await host.handle('task/explain', { taskRunId: 99_999 })).code).toBe('NOT_FOUND');
  });

  it('exports audit records as JSON Lines, for one session or all', async () => {
    const { dataDir } = seedDataDir();
    const host = openHost(dataDir);
    const { jsonl } = ok(await host.handle('audit/export', { sessionId: 'older1' }));
    const lines = jsonl.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((line) => (JSON.parse(line) as AuditRecord).sessionId)).toEqual(['older1']);
    expect(ok(await host.handle('audit/export', { sessionId: 'newer2' })).jsonl).toBe('');
    expect(ok(await host.handle('audit/export', {})).jsonl).toBe(jsonl);
  });

  it('refuses requests that do not match the schema, before acting on them', async () => {
    const { dataDir, repo } = seedDataDir();
    const host = openHost(dataDir);
    const extraKey = failed(await host.handle('project/open', { path: repo, name: 'sneaky' }));
    expect(extraKey.code).toBe('INVALID_REQUEST');
    expect(extraKey.message).toContain('project/open');
    expect(failed(await host.handle('task/explain', { taskRunId: '1' })).message).toContain('taskRunId');
    expect(failed(await host.handle('session/get', null)).code).toBe('INVALID_REQUEST');
    expect(failed(await host.handle('session/list', { projectPath: '' })).code).toBe('INVALID_REQUEST');
    // The refused project/open did not register anything under the sneaky name.
    const sessions = ok(await host.handle('session/list', { projectPath: repo }));
    expect(sessions).toHaveLength(1);
  });

  it('reports failures that are not NightshiftErrors as INTERNAL and tells its error hook', async () => {
    const { dataDir } = seedDataDir();
    const seen: Array<[unknown, ProtocolName]> = [];
    const host = createMainHost({ dataDir, onUnexpectedError: (error, name) => seen.push([error, name]) });
    await host.dispose();
    const result = failed(await host.handle('session/list', {}));
    expect(result.code).toBe('INTERNAL');
    expect(result.message).toContain('session/list');
    expect(seen).toHaveLength(1);
    expect(seen[0]![1]).toBe('session/list');
  });

  it('hands published events to listeners until they unsubscribe', () => {
    const { dataDir } = seedDataDir();
    const host = openHost(dataDir);
    const first: EngineEvent[] = [];
    const second: EngineEvent[] = [];
    const stopFirst = host.onEvent((event) => first.push(event));
    host.onEvent((event) => second.push(event));
    const event: EngineEvent = { type: 'log', at: NIGHT, level: 'info', message: 'hello' };
    host.publish(event);
    stopFirst();
    host.publish({ ...event, message: 'again' });
    expect(first).toEqual([event]);
    expect(second.map((each) => each.type === 'log' && each.message)).toEqual(['hello', 'again']);
  });

  it('fails at start with a typed error when the data directory cannot be created', () => {
    const file = join(makeTempDir(), 'file');
    writeFileSync(file, 'not a directory');
    expect(() => createMainHost({ dataDir: join(file, 'data') })).toThrowError(
      expect.objectContaining({ code: 'DATA_DIR_UNAVAILABLE' }),
    );
  });
});
