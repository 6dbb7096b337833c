import type { Decision } from '../../src/shared/decision.js';
import type { FailureType } from '../../src/shared/failureType.js';
import type { ModelRole } from '../../src/shared/modelRole.js';
import type { PhaseName } from '../../src/shared/phaseName.js';
import type { RailName, RailResult } from '../../src/shared/railResultSchema.js';
import type { TaskStatus } from '../../src/shared/taskStatus.js';
import type { Store } from '../../src/engine/ports/Store.js';
import { sampleAudit, sampleSpec, seedStore } from './seedStore.js';

/** One attempt's outcome; everything else about it (phases, calls, commands, rails) follows a fixed script. */
export interface SeededAttempt {
  decision: Decision;
  /** With a fingerprint, the attempt records one failure of this type. */
  failure?: { type: FailureType; fingerprint: string; message?: string };
  /** Rails that refused the attempt; every other scripted rail passed. */
  refusedBy?: RailName[];
}

export interface SeededTask {
  taskId: string;
  title?: string;
  status: TaskStatus;
  attempts: SeededAttempt[];
}

export interface SeededSession {
  id: string;
  projectPath: string;
  startedAt: number;
  tasks: SeededTask[];
}

/**
 * The fixed script of every attempt, in milliseconds from its start: five 10 s phases, one model call in
 * each phase that calls a model, and one 6 s test command in `gates`. Per attempt: 50 s wall, 14 s model,
 * 6 s commands, 30 s harness.
 */
export const SEEDED_ATTEMPT = {
  phaseMs: 10_000,
  phases: ['plan', 'red', 'green', 'gates', 'review'] as PhaseName[],
  calls: [
    { phase: 'plan', role: 'brain', model: 'qwen3:32b', promptTokens: 1000, outputTokens: 200, durationMs: 4000 },
    { phase: 'red', role: 'coder', model: 'qwen2.5-coder:14b', promptTokens: 800, outputTokens: 300, durationMs: 3000 },
    { phase: 'green', role: 'coder', model: 'qwen2.5-coder:14b', promptTokens: 900, outputTokens: 500, durationMs: 5000 },
    { phase: 'review', role: 'qa', model: 'llama3.1:8b', promptTokens: 600, outputTokens: 100, durationMs: 2000 },
  ] as Array<{ phase: PhaseName; role: ModelRole; model: string; promptTokens: number; outputTokens: number; durationMs: number }>,
  commandMs: 6000,
  /** Time from one attempt's start to the next's, and the task's attempts' share of its slot. */
  attemptSlotMs: 60_000,
  taskSlotMs: 600_000,
} as const;

const SCRIPTED_RAILS: RailName[] = ['path-safety', 'syntax', 'suite', 'bite'];

/**
 * Records sessions with known outcomes through the store's own methods, as the engine would: task runs,
 * attempts with phases, model calls, a command, rails, failures, a diff, and an audit record per task run.
 * Sessions are written in order, so the first project path seen gets the first project id.
 */
export function seedMetricsHistory(options: { store: Store; sessions: SeededSession[] }): { taskRunIds: Map<string, number> } {
  const { store } = options;
  const taskRunIds = new Map<string, number>();
  store.transaction(() => {
    for (const seeded of options.sessions) {
      const { session } = seedStore({
        store,
        sessionId: seeded.id,
        projectPath: seeded.projectPath,
        startedAt: seeded.startedAt,
        taskIds: [],
      });
      const runs = store.addTaskRuns(
        session.id,
        seeded.tasks.map((task) => sampleSpec(task.taskId, task.title === undefined ? {} : { title: task.title })),
      );
      seeded.tasks.forEach((task, index) => {
        const taskRun = runs[index]!;
        taskRunIds.set(`${seeded.id}/${task.taskId}`, taskRun.id);
        const taskStart = seeded.startedAt + index * SEEDED_ATTEMPT.taskSlotMs;
        task.attempts.forEach((outcome, attemptIndex) => {
          recordAttempt({ store, sessionId: session.id, taskRunId: taskRun.id, number: attemptIndex + 1, startedAt: taskStart + attemptIndex * SEEDED_ATTEMPT.attemptSlotMs, outcome });
        });
        const endedAt = taskStart + Math.max(1, task.attempts.length) * SEEDED_ATTEMPT.attemptSlotMs;
        const committed = task.status === 'done';
        const commit = committed ? taskRun.id.toString(16).padStart(40, '0') : null;
        store.updateTaskRun(taskRun.id, {
          status: task.status,
          reason: committed ? `committed after ${task.attempts.length} attempt(s)` : `ended ${task.status}`,
          attempts: task.attempts.length,
          commit,
          startedAt: taskStart,
          endedAt,
        });
        const last = task.attempts.at(-1);
        store.writeAudit(
          sampleAudit({
            taskRunId: taskRun.id,
            sessionId: session.id,
            taskId: task.taskId,
            title: taskRun.spec.title,
            project: seeded.projectPath,
            status: task.status,
            decision: last?.decision ?? null,
            attempts: task.attempts.length,
            commit,
            startedAt: taskStart,
            endedAt,
          }),
        );
      });
      store.updateSession(session.id, { status: 'completed', endedAt: seeded.startedAt + seeded.tasks.length * SEEDED_ATTEMPT.taskSlotMs });
    }
  });
  return { taskRunIds };
}

function recordAttempt(options: { store: Store; sessionId: string; taskRunId: number; number: number; startedAt: number; outcome: SeededAttempt }): void {
  const { store, taskRunId, startedAt, outcome } = options;
  const attempt = store.startAttempt({ taskRunId, number: options.number, startedAt });
  const phaseStart = (phase: PhaseName) => startedAt + SEEDED_ATTEMPT.phases.indexOf(phase) * SEEDED_ATTEMPT.phaseMs;
  for (const phase of SEEDED_ATTEMPT.phases) {
    store.recordPhase({ attemptId: attempt.id, phase, ok: true, detail: `${phase} done`, startedAt: phaseStart(phase), endedAt: phaseStart(phase) + SEEDED_ATTEMPT.phaseMs });
  }
  for (const call of SEEDED_ATTEMPT.calls) {
    store.recordModelCall({
      attemptId: attempt.id,
      taskRunId,
      role: call.role,
      promptId: `${call.role}-${call.phase}`,
      model: call.model,
      backend: 'llama.cpp',
      promptTokens: call.promptTokens,
      outputTokens: call.outputTokens,
      durationMs: call.durationMs,
      timeToFirstTokenMs: 100,
      error: null,
      at: phaseStart(call.phase) + 1000,
    });
  }
  store.recordCommand({
    sessionId: options.sessionId,
    taskRunId,
    attemptId: attempt.id,
    phase: 'gates',
    label: 'suite',
    command: 'python3 -m pytest -q',
    sandbox: 'local',
    outcome: 'exited',
    exitCode: outcome.refusedBy?.includes('suite') ? 1 : 0,
    durationMs: SEEDED_ATTEMPT.commandMs,
    startedAt: phaseStart('gates') + 1000,
  });
  const refused = new Set(outcome.refusedBy ?? []);
  const rails: RailResult[] = [...new Set([...SCRIPTED_RAILS, ...refused])].map((name) =>
    refused.has(name) ? { name, passed: false, detail: `${name} refused`, failureType: outcome.failure?.type ?? 'patch', durationMs: 100 } : { name, passed: true, detail: `${name} passed`, durationMs: 100 },
  );
  store.recordRails(attempt.id, rails);
  if (outcome.failure) {
    store.recordFailure({
      taskRunId,
      attemptId: attempt.id,
      type: outcome.failure.type,
      fingerprint: outcome.failure.fingerprint,
      file: 'src/calc.py',
      message: outcome.failure.message ?? `${outcome.failure.type} failure ${outcome.failure.fingerprint}`,
      at: phaseStart('gates') + 8000,
    });
  }
  store.setAttemptDiff(attempt.id, `--- a/src/calc.py\n+++ b/src/calc.py\n@@ -1 +1 @@\n-old ${options.number}\n+new ${options.number}\n`);
  store.finishAttempt(attempt.id, {
    decision: outcome.decision,
    failureType: outcome.failure?.type ?? null,
    fingerprint: outcome.failure?.fingerprint ?? null,
    feedback: outcome.decision === 'COMMIT' ? '' : 'try again',
    endedAt: startedAt + SEEDED_ATTEMPT.phases.length * SEEDED_ATTEMPT.phaseMs,
  });
}
