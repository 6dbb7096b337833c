import { describe, expect, it } from 'vitest';
import type { NightshiftApi } from '../../../src/renderer/api/NightshiftApi.js';
import { LiveRunState, type TimelinePhase } from '../../../src/renderer/state/LiveRunState.svelte.js';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import type { RailResult } from '../../../src/shared/railResultSchema.js';
import type { SessionControlState } from '../../../src/shared/sessionControlStateSchema.js';
import { apiOverHost } from '../../utils/apiOverHost.js';
import { createFakeHost, type FakeHost } from '../../utils/createFakeHost.js';
import { sampleControlState } from '../../utils/sampleControlState.js';

const T0 = Date.UTC(2026, 10, 21, 23, 0);
const SECOND = 1000;
const DIFF_1 = `diff --git a/calc/math.py b/calc/math.py
--- a/calc/math.py
+++ b/calc/math.py
@@ -1,2 +1,4 @@
 def add(a, b):
     return a + b
+def divide(a, b):
+    return a / b
`;
const DIFF_2 = `${DIFF_1}+# guarded
`;

/** The fake host's webshop session, running its first task. */
const RUNNING_WEBSHOP = sampleControlState({
  projectPath: '/home/dev/webshop',
  overrides: {
    state: 'running',
    sessionId: 'p7x2mf',
    task: { index: 1, total: 2, taskRunId: 21, taskId: 'cart-total', title: 'Compute the cart total with discounts' },
    updatedAt: T0,
  },
});

/**
 * The renderer's api over the fake host, with the wire round trip; `session/control` (which needs the real
 * supervisor) is answered from `control` when given, else by the fake host, which refuses it.
 */
function apiOver(host: FakeHost, control?: SessionControlState[]): NightshiftApi {
  return apiOverHost({
    host: {
      handle: async (name, request) => (name === 'session/control' && control ? { ok: true, value: control } : host.handle(name, request)),
    },
  });
}

function rail(name: RailResult['name'], passed: boolean, extra: Partial<RailResult> = {}): RailResult {
  return { name, passed, detail: `${name} ${passed ? 'ok' : 'failed'}`, durationMs: 120, ...extra };
}

/** A fresh session's first task: attempt 1 fails the bite rail and retries; attempt 2 passes and is committed. */
function nightOfTwoAttempts(): EngineEvent[] {
  const at = (seconds: number) => T0 + seconds * SECOND;
  const phase = (seconds: number, attempt: number, name: 'plan' | 'red' | 'green' | 'gates' | 'review' | 'deliver', took: number, ok = true): EngineEvent[] => [
    { type: 'phase/started', at: at(seconds), taskRunId: 31, attempt, phase: name },
    { type: 'phase/finished', at: at(seconds + took), taskRunId: 31, attempt, phase: name, ok, detail: `${name} ${ok ? 'done' : 'failed'}` },
  ];
  return [
    { type: 'session/started', at: at(0), sessionId: 'n1', projectPath: '/home/dev/calc', branch: 'nightshift/n1', taskCount: 3, resumed: false, sandbox: 'docker', isolated: true },
    { type: 'task/started', at: at(1), sessionId: 'n1', taskRunId: 31, taskId: 'T1', title: 'Add divide' },
    { type: 'attempt/started', at: at(1), taskRunId: 31, attempt: 1, maxAttempts: 3 },
    ...phase(1, 1, 'plan', 20),
    ...phase(21, 1, 'red', 30),
    ...phase(51, 1, 'green', 40),
    { type: 'attempt/diff', at: at(91), taskRunId: 31, attempt: 1, diff: DIFF_1 },
    { type: 'phase/started', at: at(91), taskRunId: 31, attempt: 1, phase: 'gates' },
    { type: 'rail/result', at: at(92), taskRunId: 31, attempt: 1, rail: rail('syntax', true) },
    { type: 'command/finished', at: at(95), taskRunId: 31, attempt: 1, label: 'bite:without-code', command: 'pytest -q tests/test_math.py', durationMs: 2900, outcome: 'exited', exitCode: 0 },
    { type: 'rail/result', at: at(96), taskRunId: 31, attempt: 1, rail: rail('bite', false, { failureType: 'bite', file: 'tests/test_math.py' }) },
    { type: 'phase/finished', at: at(96), taskRunId: 31, attempt: 1, phase: 'gates', ok: false, detail: 'bite failed' },
    { type: 'rail/result', at: at(96), taskRunId: 31, attempt: 1, rail: rail('suite', false, { skipped: true, detail: 'skipped: bite failed' }) },
    { type: 'attempt/decided', at: at(97), taskRunId: 31, attempt: 1, decision: 'RETRY', failureType: 'bite', fingerprint: 'ab12', reason: 'bite failure; retrying with the feedback' },
    { type: 'attempt/started', at: at(98), taskRunId: 31, attempt: 2, maxAttempts: 3 },
    ...phase(98, 2, 'green', 30),
    { type: 'attempt/diff', at: at(128), taskRunId: 31, attempt: 2, diff: DIFF_2 },
    { type: 'phase/started', at: at(128), taskRunId: 31, attempt: 2, phase: 'gates' },
    { type: 'rail/result', at: at(129), taskRunId: 31, attempt: 2, rail: rail('syntax', true) },
    { type: 'rail/result', at: at(130), taskRunId: 31, attempt: 2, rail: rail('bite', true) },
    { type: 'rail/result', at: at(140), taskRunId: 31, attempt: 2, rail: rail('suite', true, { durationMs: 9_800 }) },
    { type: 'phase/finished', at: at(140), taskRunId: 31, attempt: 2, phase: 'gates', ok: true, detail: '11 rails passed' },
    ...phase(140, 2, 'review', 15),
    { type: 'attempt/decided', at: at(156), taskRunId: 31, attempt: 2, decision: 'COMMIT', reason: 'every rail passed and the reviewer said GO' },
    ...phase(156, 2, 'deliver', 4),
    { type: 'task/finished', at: at(161), taskRunId: 31, taskId: 'T1', status: 'done', reason: 'committed 7c1d2e3f4a5b after 2 attempt(s)', commit: '7c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d' },
  ];
}

function states(timeline: TimelinePhase[]): string[] {
  return timeline.map((phase) => `${phase.step}:${phase.state}${phase.carried ? '(carried)' : ''}`);
}

describe('LiveRunState', () => {
  it('follows a task through a failed rail, a retry and a commit', () => {
    let clock = T0;
    const live = new LiveRunState({ api: apiOver(createFakeHost(), []), now: () => clock });
    const events = nightOfTwoAttempts();
    const retryAt = events.findIndex((event) => event.type === 'attempt/started' && event.attempt === 2);

    for (const event of events.slice(0, retryAt)) {
      clock = event.at;
      live.handleEvent(event);
    }
    expect(live.session).toMatchObject({ id: 'n1', branch: 'nightshift/n1', taskCount: 3, status: 'running' });
    expect(live.session?.counts).toMatchObject({ queued: 2, running: 1 });
    expect(live.task).toMatchObject({ taskRunId: 31, taskId: 'T1', title: 'Add divide', index: 1, finished: null });
    expect([live.attempt, live.maxAttempts]).toEqual([1, 3]);
    expect(states(live.timeline)).toEqual(['plan:ok', 'red:ok', 'green:ok', 'gates:failed', 'review:pending', 'decision:failed']);
    expect(live.timeline.map((phase) => live.durationOf(phase))).toEqual([20 * SECOND, 30 * SECOND, 40 * SECOND, 5 * SECOND, null, 0]);
    expect(live.rails.map((each) => `${each.name}:${each.verdict}`)).toEqual(['syntax:passed', 'bite:failed', 'suite:skipped']);
    expect(live.rails[1]).toMatchObject({ failureType: 'bite', file: 'tests/test_math.py', durationMs: 120 });
    expect(live.diff).toBe(DIFF_1);
    expect(live.commands).toEqual([expect.objectContaining({ label: 'bite:without-code', durationMs: 2900, exitCode: 0 })]);
    expect(live.attempts).toEqual([{ number: 1, decision: 'RETRY', failureType: 'bite', reason: 'bite failure; retrying with the feedback' }]);

    // The retry keeps the plan and the verified failing test; the rest starts over.
    const retry = events.slice(retryAt);
    const greenStarts = retry.findIndex((event) => event.type === 'phase/started');
    for (const event of retry.slice(0, greenStarts + 1)) live.handleEvent(event);
    expect(states(live.timeline)).toEqual(['plan:ok(carried)', 'red:ok(carried)', 'green:running', 'gates:pending', 'review:pending', 'decision:pending']);
    expect(live.rails).toEqual([]);
    expect(live.diff).toBe('');
    clock = retry[greenStarts]!.at + 12 * SECOND;
    live.tick();
    expect(live.durationOf(live.timeline[2]!)).toBe(12 * SECOND);

    for (const event of retry.slice(greenStarts + 1)) live.handleEvent(event);
    expect(states(live.timeline)).toEqual(['plan:ok(carried)', 'red:ok(carried)', 'green:ok', 'gates:ok', 'review:ok', 'decision:ok']);
    // The decision step runs from the decision to the end of delivery.
    expect(live.durationOf(live.timeline[5]!)).toBe(4 * SECOND);
    expect(live.timeline[5]?.detail).toBe('deliver done');
    expect(live.rails.map((each) => `${each.name}:${each.verdict}`)).toEqual(['syntax:passed', 'bite:passed', 'suite:passed']);
    expect(live.rails[2]?.durationMs).toBe(9_800);
    expect(live.diff).toBe(DIFF_2);
    expect(live.attempts.map((each) => each.decision)).toEqual(['RETRY', 'COMMIT']);
    expect(live.task?.finished).toEqual({ status: 'done', reason: 'committed 7c1d2e3f4a5b after 2 attempt(s)', commit: '7c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d' });
    expect(live.session?.counts).toMatchObject({ queued: 2, running: 0, done: 1 });
    expect(live.session?.headCommit).toBe('7c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d');

    live.handleEvent({ type: 'task/started', at: T0 + 200 * SECOND, sessionId: 'n1', taskRunId: 32, taskId: 'T2', title: 'Guard zero' });
    expect(live.task).toMatchObject({ taskRunId: 32, index: 2 });
    expect(states(live.timeline).every((each) => each.endsWith(':pending'))).toBe(true);
    expect([live.attempts, live.diff, live.commands]).toEqual([[], '', []]);
  });

  it('keeps only the newest output per role within its limit', () => {
    const live = new LiveRunState({ api: apiOver(createFakeHost(), []), now: () => T0, outputLimit: 64 });
    live.handleEvent({ type: 'task/started', at: T0, sessionId: 'n1', taskRunId: 31, taskId: 'T1', title: 'Add divide' });
    for (let index = 0; index < 500; index += 1) {
      live.handleEvent({ type: 'model/token', at: T0, taskRunId: 31, role: 'coder', text: `tok${index} ` });
    }
    live.handleEvent({ type: 'model/token', at: T0, taskRunId: 31, role: 'qa', text: 'GO' });
    expect(live.output.coder.length).toBe(64);
    expect(live.output.coder.endsWith('tok498 tok499 ')).toBe(true);
    expect(live.output.qa).toBe('GO');
    expect(live.output.brain).toBe('');
    expect(live.streamingRole).toBe('qa');
  });

  it('keeps the newest commands of the current task within its limit and ignores other task runs’', () => {
    const live = new LiveRunState({ api: apiOver(createFakeHost(), []), now: () => T0, commandLimit: 2 });
    live.handleEvent({ type: 'task/started', at: T0, sessionId: 'n1', taskRunId: 31, taskId: 'T1', title: 'Add divide' });
    for (const [taskRunId, label] of [[31, 'a'], [99, 'other'], [31, 'b'], [31, 'c']] as const) {
      live.handleEvent({ type: 'command/finished', at: T0, taskRunId, label, command: 'pytest', durationMs: 5, outcome: 'exited', exitCode: 0 });
    }
    expect(live.commands.map((command) => command.label)).toEqual(['b', 'c']);
  });

  it('takes the task’s position from the supervisor when it reports one', () => {
    const live = new LiveRunState({ api: apiOver(createFakeHost(), []), now: () => T0 });
    live.handleEvent({ type: 'task/started', at: T0, sessionId: 'p7x2mf', taskRunId: 22, taskId: 'cart-tax', title: 'Add VAT to the cart total' });
    expect(live.task?.index).toBeNull();
    live.handleEvent({ type: 'control/state', at: T0, state: { ...RUNNING_WEBSHOP, task: { index: 2, total: 2, taskRunId: 22, taskId: 'cart-tax', title: 'Add VAT to the cart total' } } });
    expect(live.task?.index).toBe(2);
    expect(live.control?.state).toBe('running');
  });

  it('keeps crashes and restarts of the engine and the model host as notices, bounded', () => {
    const live = new LiveRunState({ api: apiOver(createFakeHost(), []), now: () => T0, noticeLimit: 3 });
    live.handleEvent({ type: 'process/crashed', at: T0, process: 'model-host', exitCode: null, signal: 'SIGSEGV', detail: 'ggml abort', restarting: true });
    live.handleEvent({ type: 'process/crashed', at: T0 + 1, process: 'engine', exitCode: null, signal: 'SIGKILL', detail: 'killed', restarting: true, sessionId: 'n1' });
    live.handleEvent({ type: 'process/restarted', at: T0 + 2, process: 'engine', sessionId: 'n1' });
    live.handleEvent({ type: 'process/restarted', at: T0 + 3, process: 'model-host' });
    expect(live.notices.map((notice) => `${notice.process} ${notice.kind}`)).toEqual(['engine crashed', 'engine restarted', 'model-host restarted']);
    expect(live.notices[0]).toMatchObject({ signal: 'SIGKILL', detail: 'killed', restarting: true });
  });

  it('attaches to the session running now, with its task and attempt, and applies events that arrive meanwhile', async () => {
    const host = createFakeHost();
    const live = new LiveRunState({ api: apiOver(host, [RUNNING_WEBSHOP]), now: () => T0 });
    const attached = live.attach();
    expect(live.loading).toBe(true);
    live.handleEvent({ type: 'phase/started', at: T0, taskRunId: 21, attempt: 1, phase: 'review' });
    await attached;

    expect(live.error).toBeNull();
    expect(live.loading).toBe(false);
    expect(live.session).toMatchObject({ id: 'p7x2mf', branch: 'nightshift/p7x2mf', taskCount: 2, status: 'running' });
    expect(live.task).toMatchObject({ taskRunId: 21, taskId: 'cart-total', index: 1 });
    expect(live.attempt).toBe(1);
    expect(states(live.timeline)).toEqual(['plan:ok', 'red:ok', 'green:ok', 'gates:ok', 'review:running', 'decision:pending']);
    expect(live.durationOf(live.timeline[0]!)).toBe(60 * SECOND);
    expect(host.requests.map((each) => each.name)).toEqual(['session/get', 'task/explain']);
  });

  it('keeps the output streamed before it attached to the same task', async () => {
    const live = new LiveRunState({ api: apiOver(createFakeHost(), [RUNNING_WEBSHOP]), now: () => T0 });
    live.handleEvent({ type: 'model/token', at: T0, taskRunId: 21, role: 'brain', text: 'Plan: apply the discount' });
    await live.attach();
    expect(live.task).toMatchObject({ taskRunId: 21, taskId: 'cart-total', title: 'Compute the cart total with discounts', index: 1 });
    expect(live.output.brain).toBe('Plan: apply the discount');
    expect(live.timeline[3]?.state).toBe('ok');
  });

  it('shows why attaching failed and stays empty', async () => {
    const host = createFakeHost();
    const live = new LiveRunState({ api: apiOver(host), now: () => T0 });
    await live.attach();
    expect(live.error?.code).toBe('NOT_IN_FAKE_HOST');
    expect(live.session).toBeNull();
    live.dismissError();
    expect(live.error).toBeNull();
  });

  it('stays empty when nothing runs', async () => {
    const live = new LiveRunState({ api: apiOver(createFakeHost(), []), now: () => T0 });
    await live.attach();
    expect([live.session, live.task, live.error]).toEqual([null, null, null]);
  });

  it('counts a resumed session from its records and places the task by its position', async () => {
    const host = createFakeHost();
    const live = new LiveRunState({ api: apiOver(host), now: () => T0 });
    live.handleEvent({ type: 'session/started', at: T0, sessionId: 'p7x2mf', projectPath: '/home/dev/webshop', branch: 'nightshift/p7x2mf', taskCount: 2, resumed: true, sandbox: 'docker', isolated: true });
    live.handleEvent({ type: 'task/started', at: T0, sessionId: 'p7x2mf', taskRunId: 22, taskId: 'cart-tax', title: 'Add VAT to the cart total' });
    await expect.poll(() => live.task?.index).toBe(2);
    expect(live.session?.counts).toMatchObject({ running: 1, queued: 1 });
  });
});
