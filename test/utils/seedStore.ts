import type { RailResult } from '../../src/shared/railResultSchema.js';
import type { TaskSpec } from '../../src/shared/taskSpecSchema.js';
import type { AttemptRecord, AuditRecord, ProjectRecord, SessionRecord, Store, TaskRunRecord } from '../../src/engine/ports/Store.js';

export const sampleModels: SessionRecord['models'] = {
  brain: { model: 'qwen3:32b', backend: 'ollama' },
  coder: { model: 'qwen2.5-coder:14b', backend: 'ollama' },
  qa: { model: 'llama3.1:8b', backend: 'llama.cpp' },
};

/** A task spec with every field set, so a round trip that drops one shows. */
export function sampleSpec(id: string, overrides: Partial<TaskSpec> = {}): TaskSpec {
  return {
    id,
    title: `Task ${id}`,
    description: `Add the ${id} feature.\nIt must handle "quotes" and ünïcode.`,
    dependsOn: [],
    targetFiles: [`src/${id}.ts`],
    ...overrides,
  };
}

export const sampleRails: RailResult[] = [
  { name: 'path-safety', passed: true, detail: 'all paths inside the repository' },
  { name: 'lint', passed: true, skipped: false, detail: 'no lint command configured' },
  { name: 'suite', passed: false, detail: 'expected 3, got 4', failureType: 'patch', file: 'src/math.ts' },
  { name: 'bite', passed: false, skipped: true, detail: 'skipped: suite failed' },
];

/** A project, a running session and one task run per id, created through the store's own methods. */
export function seedStore(options: {
  store: Store;
  sessionId?: string;
  projectPath?: string;
  taskIds?: string[];
  startedAt?: number;
}): { project: ProjectRecord; session: SessionRecord; taskRuns: TaskRunRecord[] } {
  const { store } = options;
  const startedAt = options.startedAt ?? 1_700_000_000_000;
  const project = store.upsertProject({ path: options.projectPath ?? '/repos/calc', name: 'calc', now: startedAt });
  const sessionId = options.sessionId ?? 'abc123';
  const session = store.createSession({
    id: sessionId,
    projectId: project.id,
    mode: 'branch',
    branch: `nightshift/${sessionId}`,
    baseCommit: 'a'.repeat(40),
    sandbox: 'local',
    sandboxIsolated: false,
    models: sampleModels,
    startedAt,
  });
  const taskRuns = store.addTaskRuns(session.id, (options.taskIds ?? ['T1', 'T2']).map((id) => sampleSpec(id)));
  return { project, session, taskRuns };
}

/** An audit record with every field set; `overrides` names the task run it belongs to. */
export function sampleAudit(overrides: Partial<AuditRecord> & Pick<AuditRecord, 'taskRunId' | 'sessionId' | 'taskId'>): AuditRecord {
  return {
    title: `Task ${overrides.taskId}`,
    project: '/repos/calc',
    branch: `nightshift/${overrides.sessionId}`,
    models: sampleModels,
    sandbox: { kind: 'local', isolated: false },
    status: 'done',
    decision: 'COMMIT',
    reason: 'all rails passed, reviewer GO',
    attempts: 2,
    railsFired: { suite: 1 },
    reviewVerdict: 'GO',
    askVerified: true,
    filesChanged: ['src/math.ts', 'test/math.test.ts'],
    testsAdded: ['test/math.test.ts'],
    commit: 'c'.repeat(40),
    startedAt: 1_700_000_001_000,
    endedAt: 1_700_000_009_000,
    ...overrides,
  };
}

/** Attempt `number` of task run 1 that ended with `decision`, the other fields empty. */
export function sampleAttempt(number: number, decision: AttemptRecord['decision']): AttemptRecord {
  return { id: number, taskRunId: 1, number, decision, failureType: null, fingerprint: null, feedback: '', startedAt: 0, endedAt: 0, diff: '' };
}
