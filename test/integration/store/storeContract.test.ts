import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { CommandRecord, FailureRecord, ModelCallRecord, Store } from '../../../src/engine/ports/Store.js';
import type { RailResult } from '../../../src/shared/railResultSchema.js';
import { BacklogOrderError } from '../../../src/engine/store/BacklogOrderError.js';
import { StoreRecordMissingError } from '../../../src/engine/store/StoreRecordMissingError.js';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import { defaultProjectSettings, type ProjectSettings } from '../../../src/shared/projectSettingsSchema.js';
import type { BaselineSummary } from '../../../src/shared/protocol.js';
import { createMemoryStore } from '../../utils/createMemoryStore.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { sampleAudit, sampleModels, sampleRails, sampleSpec, seedStore } from '../../utils/seedStore.js';

/**
 * The Store port's contract: the same assertions against the real SQLite store and the in-memory fake the
 * fast loop tests use, so the fake cannot drift from it. What only SQLite has (the file, WAL, migrations,
 * foreign-key cascades, indexes) is tested in createSqliteStore.test.ts.
 */
const stores: Array<{ name: string; open: () => Store }> = [
  { name: 'createSqliteStore', open: () => createSqliteStore({ path: join(makeTempDir(), 'nightshift.db') }) },
  { name: 'createMemoryStore', open: () => createMemoryStore() },
];

describe.each(stores)('Store contract: $name', ({ open }) => {
  function openStore(): { store: Store } {
    const store = open();
    onTestFinished(() => store.dispose());
    return { store };
  }

    it('upserts projects by path, keeping the id and creation time', () => {
      const { store } = openStore();
      const first = store.upsertProject({ path: '/repos/calc', name: 'calc', now: 100 });
      const again = store.upsertProject({ path: '/repos/calc', name: 'calculator', now: 200 });
      const other = store.upsertProject({ path: '/repos/web', name: 'web', now: 300 });
      expect(again).toEqual({ id: first.id, path: '/repos/calc', name: 'calculator', createdAt: 100 });
      expect(other.id).not.toBe(first.id);
      expect(store.getProjectByPath('/repos/calc')).toEqual(again);
      expect(store.getProjectByPath('/repos/missing')).toBeNull();
    });

    it('round-trips sessions, lists them newest first and finds the unfinished one', () => {
      const { store } = openStore();
      const { project, session } = seedStore({ store, sessionId: 's1', startedAt: 1000 });
      expect(session).toEqual({
        id: 's1',
        projectId: project.id,
        status: 'running',
        mode: 'branch',
        branch: 'nightshift/s1',
        baseCommit: 'a'.repeat(40),
        headCommit: null,
        sandbox: 'local',
        sandboxIsolated: false,
        models: sampleModels,
        rails: 'on',
        startedAt: 1000,
        endedAt: null,
        reason: '',
      });
      expect(store.getSession('s1')).toEqual(session);
      expect(store.getSession('nope')).toBeNull();

      const s2 = store.createSession({ ...session, id: 's2', mode: 'direct', sandboxIsolated: true, rails: 'off', startedAt: 2000 });
      expect(s2.sandboxIsolated).toBe(true);
      expect(store.getSession('s2')?.rails).toBe('off');
      const other = store.upsertProject({ path: '/repos/web', name: 'web', now: 0 });
      store.createSession({ ...session, id: 's3', projectId: other.id, startedAt: 3000 });

      expect(store.listSessions().map((s) => s.id)).toEqual(['s3', 's2', 's1']);
      expect(store.listSessions({ projectId: project.id }).map((s) => s.id)).toEqual(['s2', 's1']);
      expect(store.listSessions({ limit: 1 }).map((s) => s.id)).toEqual(['s3']);

      expect(store.findUnfinishedSession(project.id)?.id).toBe('s2');
      store.updateSession('s2', { status: 'completed', headCommit: 'b'.repeat(40), endedAt: 2500 });
      expect(store.getSession('s2')).toMatchObject({ status: 'completed', headCommit: 'b'.repeat(40), endedAt: 2500 });
      expect(store.findUnfinishedSession(project.id)?.id).toBe('s1');
      // A stopped session stays resumable; a failed one does not.
      store.updateSession('s1', { status: 'stopped' });
      expect(store.findUnfinishedSession(project.id)?.id).toBe('s1');
      store.updateSession('s1', { status: 'failed' });
      expect(store.findUnfinishedSession(project.id)).toBeNull();
      // A patch that leaves a field out does not touch it.
      store.updateSession('s2', { endedAt: 2600 });
      expect(store.getSession('s2')).toMatchObject({ status: 'completed', headCommit: 'b'.repeat(40), endedAt: 2600 });
      store.updateSession('s2', { headCommit: null });
      expect(store.getSession('s2')?.headCommit).toBeNull();
    });

    it('adds task runs in backlog order, continuing the ordinals, and round-trips their specs', () => {
      const { store } = openStore();
      const { session, taskRuns } = seedStore({ store, taskIds: ['T1', 'T2'] });
      const spec = sampleSpec('T3', { dependsOn: ['T1'], testCommand: 'npm test -- math' });
      const [t3] = store.addTaskRuns(session.id, [spec]);
      expect(taskRuns.map((t) => t.ordinal)).toEqual([0, 1]);
      expect(t3).toEqual({
        id: t3!.id,
        sessionId: session.id,
        ordinal: 2,
        spec,
        status: 'queued',
        reason: '',
        attempts: 0,
        commit: null,
        startedAt: null,
        endedAt: null,
      });
      expect(store.listTaskRuns(session.id).map((t) => t.spec.id)).toEqual(['T1', 'T2', 'T3']);
      expect(store.addTaskRuns(session.id, [])).toEqual([]);

      store.updateTaskRun(t3!.id, { status: 'running', startedAt: 10, attempts: 1 });
      store.updateTaskRun(t3!.id, { status: 'done', reason: 'committed', commit: 'd'.repeat(40), endedAt: 20 });
      expect(store.getTaskRun(t3!.id)).toEqual({
        ...t3,
        status: 'done',
        reason: 'committed',
        attempts: 1,
        commit: 'd'.repeat(40),
        startedAt: 10,
        endedAt: 20,
      });
      expect(store.getTaskRun(999_999)).toBeNull();
    });

    it('rejects a task status outside the lifecycle', () => {
      const { store } = openStore();
      const { taskRuns } = seedStore({ store });
      expect(() => store.updateTaskRun(taskRuns[0]!.id, { status: 'exploded' as never })).toThrow(/CHECK constraint/);
      expect(store.getTaskRun(taskRuns[0]!.id)?.status).toBe('queued');
    });

    it('throws StoreRecordMissingError when an update names a record that does not exist', () => {
      const { store } = openStore();
      seedStore({ store });
      expect(() => store.updateSession('ghost', { status: 'failed' })).toThrow(StoreRecordMissingError);
      expect(() => store.updateTaskRun(424242, { status: 'done' })).toThrow(StoreRecordMissingError);
      expect(() =>
        store.finishAttempt(424242, { decision: 'COMMIT', failureType: null, fingerprint: null, feedback: '', endedAt: 1 }),
      ).toThrow(StoreRecordMissingError);
    });

    it('round-trips attempts, phases, rails, model calls and failures', () => {
      const { store } = openStore();
      const { taskRuns } = seedStore({ store });
      const taskRunId = taskRuns[0]!.id;
      const first = store.startAttempt({ taskRunId, number: 1, startedAt: 100 });
      expect(first).toEqual({
        id: first.id,
        taskRunId,
        number: 1,
        decision: null,
        failureType: null,
        fingerprint: null,
        feedback: '',
        startedAt: 100,
        endedAt: null,
        diff: '',
      });
      store.finishAttempt(first.id, {
        decision: 'RETRY',
        failureType: 'patch',
        fingerprint: '0123456789ab',
        feedback: 'suite failed: expected 3, got 4',
        endedAt: 200,
      });
      const second = store.startAttempt({ taskRunId, number: 2, startedAt: 300 });
      expect(store.listAttempts(taskRunId)).toEqual([
        {
          ...first,
          decision: 'RETRY',
          failureType: 'patch',
          fingerprint: '0123456789ab',
          feedback: 'suite failed: expected 3, got 4',
          endedAt: 200,
        },
        second,
      ]);
      expect(() => store.startAttempt({ taskRunId, number: 2, startedAt: 400 })).toThrow(/UNIQUE/);
      store.setAttemptDiff(second.id, '--- a/calc.py\n+++ b/calc.py\n');
      store.setAttemptDiff(second.id, '--- a/calc.py\n+++ b/calc.py\n@@ -1 +1 @@\n-x\n+y\n');
      expect(store.listAttempts(taskRunId).map((attempt) => attempt.diff)).toEqual(['', '--- a/calc.py\n+++ b/calc.py\n@@ -1 +1 @@\n-x\n+y\n']);
      expect(() => store.setAttemptDiff(424242, '')).toThrow(StoreRecordMissingError);

      store.recordPhase({ attemptId: first.id, phase: 'plan', ok: true, detail: 'planned', startedAt: 100, endedAt: 110 });
      store.recordPhase({ attemptId: first.id, phase: 'gates', ok: false, detail: 'suite', startedAt: 150, endedAt: 190 });
      store.recordRails(first.id, sampleRails);
      const call: ModelCallRecord = {
        attemptId: first.id,
        taskRunId,
        role: 'coder',
        promptId: 'green@1',
        model: 'qwen2.5-coder:14b',
        backend: 'ollama',
        promptTokens: 1234,
        outputTokens: 567,
        durationMs: 8900,
        timeToFirstTokenMs: 450,
        error: null,
        at: 120,
      };
      const failedCall: ModelCallRecord = { ...call, timeToFirstTokenMs: null, error: 'connection refused', at: 130 };
      store.recordModelCall(call);
      store.recordModelCall(failedCall);
      const failure: FailureRecord = {
        taskRunId,
        attemptId: first.id,
        type: 'patch',
        fingerprint: '0123456789ab',
        file: 'src/math.ts',
        message: 'expected 3, got 4',
        at: 195,
      };
      store.recordFailure(failure);
      store.recordFailure({ ...failure, file: null, type: 'environment', fingerprint: 'ffffffffffff', at: 196 });

      const explanation = store.explain(taskRunId)!;
      expect(explanation.attempts[0]!.phases).toEqual([
        { attemptId: first.id, phase: 'plan', ok: true, detail: 'planned', startedAt: 100, endedAt: 110 },
        { attemptId: first.id, phase: 'gates', ok: false, detail: 'suite', startedAt: 150, endedAt: 190 },
      ]);
      // Optional rail fields come back exactly as given: present when set (even to false), absent otherwise.
      expect(explanation.attempts[0]!.rails).toStrictEqual(sampleRails);
      expect(explanation.attempts[0]!.modelCalls).toEqual([call, failedCall]);
      expect(explanation.attempts[1]).toEqual({ ...second, diff: '--- a/calc.py\n+++ b/calc.py\n@@ -1 +1 @@\n-x\n+y\n', phases: [], rails: [], modelCalls: [], commands: [] });
      expect(explanation.failures).toEqual([
        failure,
        { ...failure, file: null, type: 'environment', fingerprint: 'ffffffffffff', at: 196 },
      ]);
    });

    it('records rail durations and each attempt\'s commands in the order they started', () => {
      const { store } = openStore();
      const { session, taskRuns } = seedStore({ store });
      const taskRunId = taskRuns[0]!.id;
      const first = store.startAttempt({ taskRunId, number: 1, startedAt: 100 });
      const second = store.startAttempt({ taskRunId, number: 2, startedAt: 500 });
      const rails: RailResult[] = [
        { name: 'syntax', passed: true, detail: 'ok', durationMs: 0 },
        { name: 'suite', passed: false, detail: '1 failed', failureType: 'patch', durationMs: 4321 },
        { name: 'bite', passed: false, skipped: true, detail: 'skipped: suite failed' },
      ];
      store.recordRails(first.id, rails);
      const red: CommandRecord = {
        sessionId: session.id,
        taskRunId,
        attemptId: first.id,
        phase: 'red',
        label: 'red',
        command: 'python -m pytest -q tests/test_divide.py',
        sandbox: 'docker',
        outcome: 'exited',
        exitCode: 1,
        durationMs: 812,
        startedAt: 150,
      };
      const suite: CommandRecord = { ...red, phase: 'gates', label: 'suite', command: 'python -m pytest -q', exitCode: 0, durationMs: 2000, startedAt: 200 };
      const unlabelled: CommandRecord = { ...red, phase: null, label: null, outcome: 'timeout', exitCode: null, startedAt: 180 };
      const later: CommandRecord = { ...red, attemptId: second.id, startedAt: 510 };
      // Session-level commands belong to no task run and show in no explanation.
      const sessionLevel: CommandRecord = { ...red, taskRunId: null, attemptId: null, phase: null, label: 'baseline', startedAt: 50 };
      for (const command of [suite, red, unlabelled, later, sessionLevel]) store.recordCommand(command);
      expect(() => store.recordCommand({ ...red, outcome: 'crashed' as CommandRecord['outcome'] })).toThrow(/CHECK/);
      expect(() => store.recordCommand({ ...red, durationMs: -1 })).toThrow(/CHECK/);

      const explanation = store.explain(taskRunId)!;
      // A rail round-trips with its duration, and without one when it was not timed.
      expect(explanation.attempts[0]!.rails).toStrictEqual(rails);
      expect(explanation.attempts[0]!.commands).toEqual([red, unlabelled, suite]);
      expect(explanation.attempts[1]!.commands).toEqual([later]);
      expect(store.explain(taskRuns[1]!.id)!.attempts).toEqual([]);
    });

    it('counts fingerprints per task run', () => {
      const { store } = openStore();
      const { taskRuns } = seedStore({ store });
      const [t1, t2] = taskRuns.map((t) => t.id) as [number, number];
      const base = { type: 'patch' as const, file: null, message: 'boom', at: 1 };
      for (let number = 1; number <= 3; number += 1) {
        const attempt = store.startAttempt({ taskRunId: t1, number, startedAt: number });
        store.recordFailure({ ...base, taskRunId: t1, attemptId: attempt.id, fingerprint: 'aaaaaaaaaaaa' });
      }
      const other = store.startAttempt({ taskRunId: t2, number: 1, startedAt: 1 });
      store.recordFailure({ ...base, taskRunId: t2, attemptId: other.id, fingerprint: 'aaaaaaaaaaaa' });
      store.recordFailure({ ...base, taskRunId: t2, attemptId: other.id, fingerprint: 'bbbbbbbbbbbb' });

      expect(store.countFingerprint(t1, 'aaaaaaaaaaaa')).toBe(3);
      expect(store.countFingerprint(t2, 'aaaaaaaaaaaa')).toBe(1);
      expect(store.countFingerprint(t1, 'bbbbbbbbbbbb')).toBe(0);
      expect(store.countFingerprint(t2, 'cccccccccccc')).toBe(0);
    });

    it('rolls back a recordRails batch when one rail is rejected', () => {
      const { store } = openStore();
      const { taskRuns } = seedStore({ store });
      const attempt = store.startAttempt({ taskRunId: taskRuns[0]!.id, number: 1, startedAt: 1 });
      const broken = [...sampleRails, { name: null as never, passed: true, detail: 'x' }];
      expect(() => store.recordRails(attempt.id, broken)).toThrow(/NOT NULL/);
      expect(store.explain(taskRuns[0]!.id)!.attempts[0]!.rails).toEqual([]);
    });

    it('recovers interrupted work of one session only, in one go', () => {
      const { store } = openStore();
      const { session, taskRuns } = seedStore({ store, sessionId: 's1', taskIds: ['T1', 'T2', 'T3'] });
      const other = seedStore({ store, sessionId: 's2', taskIds: ['X1'] });
      const [t1, t2, t3] = taskRuns.map((t) => t.id) as [number, number, number];

      store.updateTaskRun(t1, { status: 'done', attempts: 1 });
      const done = store.startAttempt({ taskRunId: t1, number: 1, startedAt: 1 });
      store.finishAttempt(done.id, { decision: 'COMMIT', failureType: null, fingerprint: null, feedback: '', endedAt: 2 });
      store.updateTaskRun(t2, { status: 'running', attempts: 2, startedAt: 3 });
      const retried = store.startAttempt({ taskRunId: t2, number: 1, startedAt: 3 });
      store.finishAttempt(retried.id, { decision: 'RETRY', failureType: 'patch', fingerprint: 'x', feedback: 'f', endedAt: 4 });
      const open = store.startAttempt({ taskRunId: t2, number: 2, startedAt: 5 });
      const otherRun = other.taskRuns[0]!.id;
      store.updateTaskRun(otherRun, { status: 'running' });
      const otherOpen = store.startAttempt({ taskRunId: otherRun, number: 1, startedAt: 6 });

      expect(store.recoverInterrupted(session.id, 999)).toBe(1);

      expect(store.listTaskRuns(session.id).map((t) => t.status)).toEqual(['done', 'queued', 'queued']);
      expect(store.getTaskRun(t2)).toMatchObject({ attempts: 2, startedAt: 3 });
      expect(store.listAttempts(t2)).toEqual([
        expect.objectContaining({ id: retried.id, decision: 'RETRY', endedAt: 4 }),
        expect.objectContaining({ id: open.id, decision: 'INTERRUPTED', endedAt: 999 }),
      ]);
      expect(store.listAttempts(t1)[0]).toMatchObject({ decision: 'COMMIT', endedAt: 2 });
      expect(store.listAttempts(t3)).toEqual([]);
      // The other session is not touched.
      expect(store.getTaskRun(otherRun)?.status).toBe('running');
      expect(store.listAttempts(otherRun)).toEqual([otherOpen]);
      // Nothing left to recover.
      expect(store.recoverInterrupted(session.id, 1000)).toBe(0);
      expect(store.listAttempts(t2)[1]!.endedAt).toBe(999);
    });

    it('writes one audit record per task run, replacing it when rewritten, and lists by session', () => {
      const { store } = openStore();
      const a = seedStore({ store, sessionId: 's1', taskIds: ['T1', 'T2'] });
      const b = seedStore({ store, sessionId: 's2', taskIds: ['T1'] });
      const first = sampleAudit({ taskRunId: a.taskRuns[1]!.id, sessionId: 's1', taskId: 'T2', startedAt: 50 });
      const second = sampleAudit({ taskRunId: a.taskRuns[0]!.id, sessionId: 's1', taskId: 'T1', startedAt: 10 });
      const third = sampleAudit({
        taskRunId: b.taskRuns[0]!.id,
        sessionId: 's2',
        taskId: 'T1',
        status: 'escalated',
        decision: 'ESCALATE',
        reviewVerdict: null,
        askVerified: null,
        commit: null,
        startedAt: 5,
      });
      store.writeAudit(first);
      store.writeAudit(second);
      store.writeAudit(third);
      expect(store.listAudit({ sessionId: 's1' })).toEqual([second, first]);
      expect(store.listAudit()).toEqual([third, second, first]);
      expect(store.listAudit({ sessionId: 'none' })).toEqual([]);

      const rewritten = { ...first, status: 'failed' as const, decision: 'DEADLOCK' as const, commit: null };
      store.writeAudit(rewritten);
      expect(store.listAudit({ sessionId: 's1' })).toEqual([second, rewritten]);
    });

    it('explains a task run with its session, ordered attempts, failures and audit', () => {
      const { store } = openStore();
      const { session, taskRuns } = seedStore({ store });
      const taskRunId = taskRuns[0]!.id;
      expect(store.explain(taskRunId)).toEqual({
        taskRun: taskRuns[0],
        session,
        attempts: [],
        failures: [],
        audit: null,
      });
      const a2 = store.startAttempt({ taskRunId, number: 2, startedAt: 20 });
      const a1 = store.startAttempt({ taskRunId, number: 1, startedAt: 10 });
      store.recordPhase({ attemptId: a2.id, phase: 'red', ok: true, detail: 'test fails', startedAt: 25, endedAt: 26 });
      store.recordPhase({ attemptId: a2.id, phase: 'plan', ok: true, detail: 'planned', startedAt: 21, endedAt: 22 });
      const audit = sampleAudit({ taskRunId, sessionId: session.id, taskId: 'T1' });
      store.writeAudit(audit);
      // Records of the sibling task run do not leak in.
      const sibling = store.startAttempt({ taskRunId: taskRuns[1]!.id, number: 1, startedAt: 1 });
      store.recordFailure({ taskRunId: taskRuns[1]!.id, attemptId: sibling.id, type: 'scope', fingerprint: 'f', file: null, message: 'm', at: 1 });

      const explanation = store.explain(taskRunId)!;
      expect(explanation.attempts.map((a) => [a.id, a.number])).toEqual([
        [a1.id, 1],
        [a2.id, 2],
      ]);
      expect(explanation.attempts[1]!.phases.map((p) => p.phase)).toEqual(['plan', 'red']);
      expect(explanation.failures).toEqual([]);
      expect(explanation.audit).toEqual(audit);
      expect(store.explain(987_654)).toBeNull();
    });

    it('groups calls with transaction and rolls all of them back on error', () => {
      const { store } = openStore();
      const { session } = seedStore({ store, taskIds: [] });
      expect(() =>
        store.transaction(() => {
          store.addTaskRuns(session.id, [sampleSpec('T1')]);
          store.updateSession(session.id, { status: 'completed' });
          throw new Error('abort');
        }),
      ).toThrow('abort');
      expect(store.listTaskRuns(session.id)).toEqual([]);
      expect(store.getSession(session.id)?.status).toBe('running');

      const result = store.transaction(() => store.addTaskRuns(session.id, [sampleSpec('T1'), sampleSpec('T2')]).length);
      expect(result).toBe(2);
      expect(store.listTaskRuns(session.id)).toHaveLength(2);
    });

    it('keeps a backlog per project: appends new tasks, updates by id in place, renames keeping the position', () => {
      const { store } = openStore();
      const calc = store.upsertProject({ path: '/repos/calc', name: 'calc', now: 1 });
      const web = store.upsertProject({ path: '/repos/web', name: 'web', now: 1 });
      expect(store.listBacklog(calc.id)).toEqual([]);
      const first = store.saveBacklogTask({ projectId: calc.id, spec: sampleSpec('T1', { testCommand: 'pytest -q' }), now: 10 });
      expect(first).toEqual({ projectId: calc.id, position: 0, spec: sampleSpec('T1', { testCommand: 'pytest -q' }), updatedAt: 10 });
      store.saveBacklogTask({ projectId: calc.id, spec: sampleSpec('T2', { dependsOn: ['T1'] }), now: 11 });
      store.saveBacklogTask({ projectId: web.id, spec: sampleSpec('W1'), now: 12 });

      const edited = store.saveBacklogTask({ projectId: calc.id, spec: sampleSpec('T1', { title: 'Divide', targetFiles: [] }), now: 20 });
      expect(edited).toEqual({ projectId: calc.id, position: 0, spec: sampleSpec('T1', { title: 'Divide', targetFiles: [] }), updatedAt: 20 });
      const renamed = store.saveBacklogTask({ projectId: calc.id, spec: sampleSpec('T2b'), previousId: 'T2', now: 21 });
      expect(renamed.position).toBe(1);
      expect(store.listBacklog(calc.id).map((task) => task.spec.id)).toEqual(['T1', 'T2b']);
      expect(store.listBacklog(web.id)).toEqual([{ projectId: web.id, position: 0, spec: sampleSpec('W1'), updatedAt: 12 }]);
      expect(() => store.saveBacklogTask({ projectId: calc.id, spec: sampleSpec('T9'), previousId: 'T404', now: 22 })).toThrow(StoreRecordMissingError);
      expect(() => store.saveBacklogTask({ projectId: calc.id, spec: sampleSpec('T1'), previousId: 'T2b', now: 22 })).toThrow(/UNIQUE/);
      expect(() => store.saveBacklogTask({ projectId: 987_654, spec: sampleSpec('T1'), now: 22 })).toThrow(/FOREIGN KEY/);
      expect(store.listBacklog(calc.id).map((task) => task.spec.id)).toEqual(['T1', 'T2b']);
    });

    it('deletes backlog tasks closing the gap, and reorders only with every task named once', () => {
      const { store } = openStore();
      const project = store.upsertProject({ path: '/repos/calc', name: 'calc', now: 1 });
      for (const id of ['A', 'B', 'C', 'D']) store.saveBacklogTask({ projectId: project.id, spec: sampleSpec(id), now: 5 });
      store.deleteBacklogTask({ projectId: project.id, taskId: 'B' });
      expect(store.listBacklog(project.id).map((task) => [task.spec.id, task.position])).toEqual([['A', 0], ['C', 1], ['D', 2]]);
      expect(() => store.deleteBacklogTask({ projectId: project.id, taskId: 'B' })).toThrow(StoreRecordMissingError);

      store.reorderBacklog({ projectId: project.id, taskIds: ['D', 'A', 'C'] });
      expect(store.listBacklog(project.id).map((task) => [task.spec.id, task.position])).toEqual([['D', 0], ['A', 1], ['C', 2]]);
      for (const taskIds of [['D', 'A'], ['D', 'A', 'C', 'X'], ['D', 'A', 'C', 'A']]) {
        expect(() => store.reorderBacklog({ projectId: project.id, taskIds })).toThrow(BacklogOrderError);
      }
      store.saveBacklogTask({ projectId: project.id, spec: sampleSpec('E'), now: 6 });
      expect(store.listBacklog(project.id).map((task) => [task.spec.id, task.position])).toEqual([['D', 0], ['A', 1], ['C', 2], ['E', 3]]);
    });

    it('replaces a backlog in one go, and keeps the old one when the new one is refused', () => {
      const { store } = openStore();
      const project = store.upsertProject({ path: '/repos/calc', name: 'calc', now: 1 });
      store.saveBacklogTask({ projectId: project.id, spec: sampleSpec('OLD'), now: 5 });
      const replaced = store.replaceBacklog({ projectId: project.id, specs: [sampleSpec('T2'), sampleSpec('T1', { dependsOn: ['T2'] })], now: 7 });
      expect(replaced).toEqual([
        { projectId: project.id, position: 0, spec: sampleSpec('T2'), updatedAt: 7 },
        { projectId: project.id, position: 1, spec: sampleSpec('T1', { dependsOn: ['T2'] }), updatedAt: 7 },
      ]);
      expect(store.listBacklog(project.id)).toEqual(replaced);
      expect(() => store.replaceBacklog({ projectId: project.id, specs: [sampleSpec('X'), sampleSpec('X')], now: 8 })).toThrow(/UNIQUE/);
      expect(store.listBacklog(project.id)).toEqual(replaced);
    });

    it('lists recent projects by last open with their counts, hides forgotten ones until they are opened again', () => {
      const { store } = openStore();
      const { project: calc } = seedStore({ store, projectPath: '/repos/calc', sessionId: 's1', startedAt: 100 });
      const web = store.upsertProject({ path: '/repos/web', name: 'web', now: 200 });
      store.saveBacklogTask({ projectId: web.id, spec: sampleSpec('W1'), now: 201 });
      expect(store.listRecentProjects()).toEqual([
        { ...web, lastOpenedAt: 200, sessions: 0, backlogTasks: 1 },
        { ...calc, lastOpenedAt: 100, sessions: 1, backlogTasks: 0 },
      ]);
      store.upsertProject({ path: '/repos/calc', name: 'calc', now: 300 });
      expect(store.listRecentProjects().map((project) => [project.path, project.lastOpenedAt])).toEqual([['/repos/calc', 300], ['/repos/web', 200]]);

      store.forgetProject(calc.id);
      expect(store.listRecentProjects().map((project) => project.path)).toEqual(['/repos/web']);
      expect(store.getProject(calc.id)).toEqual(calc);
      expect(store.listSessions({ projectId: calc.id })).toHaveLength(1);
      expect(() => store.forgetProject(987_654)).toThrow(StoreRecordMissingError);
      store.upsertProject({ path: '/repos/calc', name: 'calc', now: 400 });
      expect(store.listRecentProjects().map((project) => [project.path, project.sessions])).toEqual([['/repos/calc', 1], ['/repos/web', 0]]);
    });

    it('keeps validated session settings and the last baseline per project', () => {
      const { store } = openStore();
      const calc = store.upsertProject({ path: '/repos/calc', name: 'calc', now: 1 });
      const web = store.upsertProject({ path: '/repos/web', name: 'web', now: 1 });
      expect(store.getProjectSettings(calc.id)).toBeNull();
      const direct: ProjectSettings = { ...defaultProjectSettings, mode: 'direct', targetBranch: 'main', maxTasks: 3 };
      expect(store.saveProjectSettings({ projectId: calc.id, settings: direct, now: 2 })).toEqual(direct);
      expect(store.getProjectSettings(calc.id)).toEqual(direct);
      expect(store.getProjectSettings(web.id)).toBeNull();
      const refused = { ...defaultProjectSettings, mode: 'direct', targetBranch: null } as ProjectSettings;
      expect(() => store.saveProjectSettings({ projectId: calc.id, settings: refused, now: 3 })).toThrow(
        expect.objectContaining({ field: 'targetBranch' }) as Error,
      );
      expect(store.getProjectSettings(calc.id)).toEqual(direct);
      expect(() => store.saveProjectSettings({ projectId: 987_654, settings: direct, now: 3 })).toThrow(/FOREIGN KEY/);

      expect(store.getLastBaseline(calc.id)).toBeNull();
      const first: BaselineSummary = {
        commit: 'a'.repeat(40),
        ok: false,
        passed: 1,
        failed: 1,
        errored: 0,
        skipped: 0,
        failing: ['test_calc.py::test_div'],
        command: 'python3 -m pytest',
        output: '1 failed, 1 passed',
        sandbox: 'bubblewrap',
        ranAt: 10,
        durationMs: 900,
        hint: 'Make the suite pass at HEAD.',
      };
      store.recordBaseline({ projectId: calc.id, baseline: first });
      const second: BaselineSummary = { ...first, commit: 'b'.repeat(40), ok: true, failed: 0, failing: [], ranAt: 20, hint: null };
      store.recordBaseline({ projectId: calc.id, baseline: second });
      expect(store.getLastBaseline(calc.id)).toEqual(second);
      expect(store.getLastBaseline(web.id)).toBeNull();
    });
});
