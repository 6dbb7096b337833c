import {
  protocolRequestSchemas,
  type AttemptSummary,
  type ProtocolName,
  type ProtocolRequest,
  type ProtocolResponse,
  type ProtocolResult,
  type SessionDetail,
  type TaskExplanationSummary,
  type TaskRunSummary,
} from '../../src/shared/protocol.js';
import { formatBacklog } from '../../src/engine/backlog/formatBacklog.js';
import { importBacklogText } from '../../src/engine/backlog/importBacklogText.js';
import { validateBacklogDelete } from '../../src/engine/backlog/validateBacklogDelete.js';
import { validateBacklogEdit } from '../../src/engine/backlog/validateBacklogEdit.js';
import { BacklogOrderError } from '../../src/engine/store/BacklogOrderError.js';
import type { RailResult } from '../../src/shared/railResultSchema.js';
import { NightshiftError } from '../../src/shared/NightshiftError.js';
import type { TaskSpec } from '../../src/shared/taskSpecSchema.js';
import type { TaskStatus } from '../../src/shared/taskStatus.js';

const HOUR = 3_600_000;
const FAKE_DIFF = `diff --git a/calculator/math.py b/calculator/math.py
--- a/calculator/math.py
+++ b/calculator/math.py
@@ -1,2 +1,6 @@
 def add(a, b):
     return a + b
+
+
+def divide(a, b):
+    return a / b
`;
const NIGHT = Date.UTC(2026, 10, 20, 22, 0);

const models: SessionDetail['models'] = {
  brain: { model: 'qwen3:32b', backend: 'ollama' },
  coder: { model: 'qwen2.5-coder:14b', backend: 'ollama' },
  qa: { model: 'llama3.1:8b', backend: 'llama.cpp' },
};

function counts(statuses: TaskStatus[]): Record<TaskStatus, number> {
  const all: Record<TaskStatus, number> = { queued: 0, running: 0, done: 0, failed: 0, deadlocked: 0, escalated: 0, skipped: 0 };
  for (const status of statuses) all[status] += 1;
  return all;
}

const allRailsPass: RailResult[] = [
  { name: 'path-safety', passed: true, detail: 'all paths inside the repository' },
  { name: 'protected-paths', passed: true, detail: 'no protected path touched' },
  { name: 'scope', passed: true, detail: 'changed files are within the plan' },
  { name: 'syntax', passed: true, detail: '2 files parse' },
  { name: 'lint', passed: true, detail: 'eslint: no problems' },
  { name: 'typecheck', passed: true, detail: 'tsc: no errors' },
  { name: 'test-integrity', passed: true, detail: 'no existing test weakened' },
  { name: 'diff-size', passed: true, detail: '38 lines changed (limit 400)' },
  { name: 'stubs', passed: true, detail: 'no placeholder code' },
  { name: 'bite', passed: true, detail: 'the new test failed before the change and passes after it' },
  { name: 'suite', passed: true, detail: '42 tests passed' },
];

const biteFailure: RailResult[] = [
  ...allRailsPass.slice(0, 9),
  {
    name: 'bite',
    passed: false,
    detail: 'the new test already passed before the change\ntest/divide.test.ts > divides by zero: passed on the base commit',
    failureType: 'bite',
    file: 'test/divide.test.ts',
  },
  { name: 'suite', passed: false, skipped: true, detail: 'skipped: bite failed' },
];

interface FakeTask extends TaskRunSummary {
  sessionId: string;
  description: string;
  attempts: number;
  history: AttemptSummary[];
}

function attempt(number: number, decision: AttemptSummary['decision'], rails: RailResult[], extra: Partial<AttemptSummary> = {}): AttemptSummary {
  const startedAt = NIGHT + number * 600_000;
  return {
    number,
    decision,
    failureType: null,
    fingerprint: null,
    feedback: '',
    startedAt,
    endedAt: decision === null ? null : startedAt + 420_000,
    diff: decision === 'COMMIT' ? FAKE_DIFF : '',
    phases: [
      { phase: 'plan', ok: true, detail: 'plan accepted', startedAt, endedAt: startedAt + 60_000 },
      { phase: 'red', ok: true, detail: 'test written and failing', startedAt: startedAt + 60_000, endedAt: startedAt + 180_000 },
      { phase: 'green', ok: true, detail: 'code written', startedAt: startedAt + 180_000, endedAt: startedAt + 300_000 },
      { phase: 'gates', ok: rails.every((rail) => rail.passed), detail: 'rails checked', startedAt: startedAt + 300_000, endedAt: startedAt + 420_000 },
    ],
    rails,
    ...extra,
  };
}

const sessions: SessionDetail[] = [
  {
    id: 'k3v9qa',
    projectPath: '/home/dev/calculator',
    status: 'completed',
    branch: 'nightshift/k3v9qa',
    startedAt: NIGHT,
    endedAt: NIGHT + 3 * HOUR + 1_260_000,
    counts: counts(['done', 'escalated', 'skipped']),
    mode: 'branch',
    baseCommit: '4f2a9c1e0b7d3a5f6e8c9b0a1d2e3f4a5b6c7d8e',
    headCommit: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d',
    sandbox: 'local',
    sandboxIsolated: false,
    models,
  },
  {
    id: 'p7x2mf',
    projectPath: '/home/dev/webshop',
    status: 'running',
    branch: 'nightshift/p7x2mf',
    startedAt: NIGHT + 5 * HOUR,
    endedAt: null,
    counts: counts(['running', 'queued']),
    mode: 'branch',
    baseCommit: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
    headCommit: null,
    sandbox: 'docker',
    sandboxIsolated: true,
    models,
  },
];

const tasks: FakeTask[] = [
  {
    id: 11,
    sessionId: 'k3v9qa',
    taskId: 'T1',
    title: 'Add a divide function',
    description: 'Add divide(a, b) to src/math.ts; it throws RangeError when b is 0.',
    status: 'done',
    reason: 'All rails passed and the reviewer said GO.',
    attempts: 1,
    commit: '7c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d',
    history: [attempt(1, 'COMMIT', allRailsPass)],
  },
  {
    id: 12,
    sessionId: 'k3v9qa',
    taskId: 'T2',
    title: 'Handle division by zero in the CLI',
    description: 'The calculator CLI prints "cannot divide by zero" and exits with status 2.',
    status: 'escalated',
    reason: 'The new test kept passing before the change (bite rail) after 2 attempts.',
    attempts: 2,
    commit: null,
    history: [
      attempt(1, 'RETRY', biteFailure, {
        failureType: 'bite',
        fingerprint: '3fa9c2d71b0e',
        feedback: 'bite: the new test already passed before the change. Make the test exercise the CLI exit status.',
      }),
      attempt(2, 'ESCALATE', biteFailure, { failureType: 'bite', fingerprint: '3fa9c2d71b0e' }),
    ],
  },
  {
    id: 13,
    sessionId: 'k3v9qa',
    taskId: 'T3',
    title: 'Document the CLI exit codes',
    description: 'List exit codes in README.md.',
    status: 'skipped',
    reason: 'It depends on T2, which was escalated.',
    attempts: 0,
    commit: null,
    history: [],
  },
  {
    id: 21,
    sessionId: 'p7x2mf',
    taskId: 'cart-total',
    title: 'Compute the cart total with discounts',
    description: '',
    status: 'running',
    reason: '',
    attempts: 1,
    commit: null,
    history: [attempt(1, null, [])],
  },
  {
    id: 22,
    sessionId: 'p7x2mf',
    taskId: 'cart-tax',
    title: 'Add VAT to the cart total',
    description: '',
    status: 'queued',
    reason: '',
    attempts: 0,
    commit: null,
    history: [],
  },
];

function summary(task: FakeTask): TaskRunSummary {
  return { id: task.id, taskId: task.taskId, title: task.title, status: task.status, reason: task.reason, attempts: task.attempts, commit: task.commit };
}

type Handlers = { [K in ProtocolName]: (request: ProtocolRequest<K>) => ProtocolResponse<K> };

/** The messages the canned data answers; the rest (projects, session control) need the real host. */
type FakeName = 'project/open' | 'session/list' | 'session/get' | 'task/explain' | 'audit/export' | BacklogName;

type BacklogName = Extract<ProtocolName, `backlog/${string}`>;

const handlers: Pick<Handlers, Exclude<FakeName, BacklogName>> = {
  'project/open': ({ path }) => {
    const session = sessions.find((each) => each.projectPath === path);
    if (!session) throw Object.assign(new Error(`${path} is not a git repository`), { code: 'PROJECT_PATH_INVALID' });
    return { id: sessions.indexOf(session) + 1, path, name: path.split('/').at(-1) ?? path };
  },
  'session/list': ({ projectPath }) =>
    sessions
      .filter((session) => projectPath === undefined || session.projectPath === projectPath)
      .map(({ id, projectPath: path, status, branch, startedAt, endedAt, counts: byStatus }) => ({
        id,
        projectPath: path,
        status,
        branch,
        startedAt,
        endedAt,
        counts: byStatus,
      }))
      .sort((a, b) => b.startedAt - a.startedAt),
  'session/get': ({ id }) => {
    const session = sessions.find((each) => each.id === id);
    if (!session) throw Object.assign(new Error(`No session ${id}`), { code: 'NOT_FOUND' });
    return { session, tasks: tasks.filter((task) => task.sessionId === id).map(summary) };
  },
  'task/explain': ({ taskRunId }) => {
    const task = tasks.find((each) => each.id === taskRunId);
    if (!task) throw Object.assign(new Error(`No task run ${taskRunId}`), { code: 'NOT_FOUND' });
    const explanation: TaskExplanationSummary = {
      taskRun: { ...summary(task), sessionId: task.sessionId, description: task.description },
      text: `Task run ${task.id}: ${task.taskId} ${task.title}\nStatus: ${task.status} — ${task.reason}\n`,
      attempts: task.history,
    };
    return explanation;
  },
  'audit/export': ({ sessionId }) => ({
    jsonl: tasks
      .filter((task) => sessionId === undefined || task.sessionId === sessionId)
      .map((task) => `${JSON.stringify({ taskRunId: task.id, sessionId: task.sessionId, status: task.status })}\n`)
      .join(''),
  }),
};

/** Backlog messages over one host's own backlogs, keyed by project path, with the engine's checks. */
function backlogHandlers(backlogs: Map<string, TaskSpec[]>): Pick<Handlers, BacklogName> {
  const backlogOf = (projectPath: string): TaskSpec[] => {
    if (!sessions.some((session) => session.projectPath === projectPath)) {
      throw Object.assign(new Error(`${projectPath} is not an opened project`), { code: 'PROJECT_NOT_OPEN' });
    }
    return backlogs.get(projectPath) ?? [];
  };
  const put = (projectPath: string, backlog: TaskSpec[]): TaskSpec[] => {
    backlogs.set(projectPath, backlog);
    return backlog;
  };
  return {
    'backlog/list': ({ projectPath }) => backlogOf(projectPath),
    'backlog/save': ({ projectPath, task, previousId }) =>
      put(projectPath, validateBacklogEdit({ backlog: backlogOf(projectPath), task, ...(previousId === undefined ? {} : { previousId }) })),
    'backlog/delete': ({ projectPath, taskId }) => {
      const backlog = backlogOf(projectPath);
      validateBacklogDelete({ backlog, taskId });
      return put(projectPath, backlog.filter((task) => task.id !== taskId));
    },
    'backlog/reorder': ({ projectPath, taskIds }) => {
      const backlog = backlogOf(projectPath);
      BacklogOrderError.check({ current: backlog.map((task) => task.id), taskIds });
      return put(projectPath, taskIds.map((id) => backlog.find((task) => task.id === id)!));
    },
    'backlog/import': ({ projectPath, format, text }) => {
      backlogOf(projectPath);
      return put(projectPath, importBacklogText({ format, text }));
    },
    'backlog/export': ({ projectPath }) => ({ text: formatBacklog({ tasks: backlogOf(projectPath) }) }),
  };
}

export interface FakeHost {
  /** Answers like the real host: validated requests, failures as `{ ok: false }`. */
  handle(name: ProtocolName, request: unknown): Promise<ProtocolResult<unknown>>;
  /** Every request received, in order, including invalid ones. */
  requests: Array<{ name: ProtocolName; request: unknown }>;
  /** The requests that failed their schema, with the schema's complaint. */
  rejected: Array<{ name: ProtocolName; request: unknown; message: string }>;
}

/**
 * A host with canned data for the renderer's browser tests: two sessions (one finished with a done, an
 * escalated and a skipped task; one still running), with rails, attempts and failures to explain.
 */
export function createFakeHost(): FakeHost {
  const requests: FakeHost['requests'] = [];
  const rejected: FakeHost['rejected'] = [];
  const answers: Pick<Handlers, FakeName> = { ...handlers, ...backlogHandlers(new Map()) };
  return {
    requests,
    rejected,
    async handle(name, request) {
      requests.push({ name, request });
      const parsed = protocolRequestSchemas[name].safeParse(request);
      if (!parsed.success) {
        rejected.push({ name, request, message: parsed.error.message });
        return { ok: false, error: new NightshiftError({ code: 'INVALID_REQUEST', message: parsed.error.message, hint: 'Fix the sender.' }).toJSON() };
      }
      try {
        if (!(name in answers)) throw new NightshiftError({ code: 'NOT_IN_FAKE_HOST', message: `The fake host does not answer ${name}.`, hint: 'Test this view against the real host.' });
        const handler = answers[name as FakeName] as (request: unknown) => unknown;
        return { ok: true, value: handler(parsed.data) };
      } catch (error) {
        if (error instanceof NightshiftError) return { ok: false, error: error.toJSON() };
        const { code = 'INTERNAL', message } = error as Error & { code?: string };
        return { ok: false, error: new NightshiftError({ code, message, hint: 'Canned data has no such record.' }).toJSON() };
      }
    },
  };
}
