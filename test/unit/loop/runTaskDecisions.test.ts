import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTask } from '../../../src/engine/loop/runTask.js';
import type { AttemptRecord } from '../../../src/engine/ports/Store.js';
import { createPromptLibrary } from '../../../src/engine/prompts/createPromptLibrary.js';
import { detectStack } from '../../../src/engine/stack/detectStack.js';
import { createGitVcs } from '../../../src/engine/vcs/createGitVcs.js';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import { EnvironmentUnavailableError } from '../../../src/shared/EnvironmentUnavailableError.js';
import type { ModelClient } from '../../../src/shared/model/ModelClient.js';
import type { Plan } from '../../../src/shared/planSchema.js';
import { projectConfigSchema } from '../../../src/shared/projectConfigSchema.js';
import type { Sandbox, SandboxRunOptions } from '../../../src/shared/sandbox/Sandbox.js';
import type { TestReport } from '../../../src/shared/testReportSchema.js';
import { createMemoryStore } from '../../utils/createMemoryStore.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { seedStore } from '../../utils/seedStore.js';

/** A plan RED can never start from: its test file is not a pytest file, so PLAN fails the attempt before any command runs. */
const badPlan = (testFile: string): Plan => ({
  restatement: 'Add divide.',
  testFile,
  targetFiles: ['calc.py'],
  requiredImports: [],
  definitionOfDone: [{ description: 'tests pass', command: 'pytest' }],
});

/** Brain answers in order (a thrown error for an Error); every call is kept. */
function scriptedBrain(answers: Array<Plan | Error>): ModelClient & { calls: number; maxTokens: Array<number | undefined> } {
  const client = {
    calls: 0,
    maxTokens: [] as Array<number | undefined>,
    async generate<T>(request: { schema: { parse(value: unknown): T }; maxTokens?: number }) {
      const answer = answers[client.calls] ?? answers.at(-1)!;
      client.calls += 1;
      client.maxTokens.push(request.maxTokens);
      if (answer instanceof Error) throw answer;
      return {
        value: request.schema.parse(answer),
        text: JSON.stringify(answer),
        model: 'scripted-brain',
        backend: 'test',
        usage: { promptTokens: 10, outputTokens: 5, durationMs: 1, timeToFirstTokenMs: 1 },
      };
    },
    describe: () => ({ model: 'scripted', backend: 'test' }),
    async dispose() {},
  };
  return client as ModelClient & { calls: number; maxTokens: Array<number | undefined> };
}

/** A sandbox that runs nothing: every command "exits 0" and is kept for the assertions. */
function cannedSandbox(): Sandbox & { commands: SandboxRunOptions[] } {
  const commands: SandboxRunOptions[] = [];
  return {
    kind: 'canned',
    isolated: true,
    commands,
    async run(options) {
      commands.push(options);
      return { outcome: 'exited', exitCode: 0, signal: null, stdout: '', stderr: '', truncated: false, durationMs: 1 };
    },
    async dispose() {},
  };
}

/**
 * DECIDE through runTask in memory: the in-memory Store, a scripted brain and a canned sandbox, so the
 * attempt loop's bookkeeping (budget, interrupted attempts, fingerprints, audit, handoff) runs in milliseconds.
 */
async function setup(options: { maxAttempts: number; answers: Array<Plan | Error>; earlierAttempts?: Array<AttemptRecord['decision']>; baseline?: 'cached' }) {
  const workspaceDir = makeTempDir();
  writeFileSync(join(workspaceDir, 'pyproject.toml'), '[project]\nname = "calc"\n');
  writeFileSync(join(workspaceDir, 'calc.py'), 'def add(a, b):\n    return a + b\n');
  mkdirSync(join(workspaceDir, 'tests'));
  const reportsDir = makeTempDir();
  const config = projectConfigSchema.parse({ maxAttempts: options.maxAttempts });
  const store = createMemoryStore();
  const { session, taskRuns } = seedStore({ store, taskIds: ['T1'] });
  const taskRun = taskRuns[0]!;
  for (const [index, decision] of (options.earlierAttempts ?? []).entries()) {
    const attempt = store.startAttempt({ taskRunId: taskRun.id, number: index + 1, startedAt: index });
    store.finishAttempt(attempt.id, { decision, failureType: null, fingerprint: null, feedback: '', endedAt: index });
  }
  let now = 1_000;
  const events: EngineEvent[] = [];
  const models = scriptedBrain(options.answers);
  const sandbox = cannedSandbox();
  const stack = await detectStack({ root: workspaceDir, config });
  const headOid = 'a'.repeat(40);
  const baselines = new Map<string, TestReport | null>(options.baseline === 'cached' ? [[headOid, null]] : []);
  const run = () =>
    runTask({
      models,
      store,
      vcs: createGitVcs(),
      clock: { now: () => (now += 1) },
      prompts: createPromptLibrary(),
      sandbox,
      session,
      taskRun,
      repoRoot: workspaceDir,
      workspaceDir,
      reportsDir,
      headOid,
      baselines,
      expectedBranchOid: null,
      stack,
      config,
      emit: (event) => events.push(event),
    });
  const decisions = () => store.listAttempts(taskRun.id).map((attempt) => [attempt.number, attempt.decision]);
  const decided = () => events.flatMap((event) => (event.type === 'attempt/decided' ? [[event.attempt, event.decision]] : []));
  return { store, taskRun, models, sandbox, run, decisions, decided };
}

describe('runTask decisions, in memory', () => {
  it('deadlocks on the third identical failure with budget left, writing the audit and a handoff report', async () => {
    const { store, taskRun, models, sandbox, run, decisions, decided } = await setup({ maxAttempts: 5, answers: [badPlan('calc_spec.txt')] });
    const outcome = await run();
    expect(outcome.status).toBe('deadlocked');
    expect(outcome.commit).toBeNull();
    expect(decisions()).toEqual([
      [1, 'RETRY'],
      [2, 'RETRY'],
      [3, 'DEADLOCK'],
    ]);
    expect(decided()).toEqual(decisions());
    // A plan is a few hundred tokens: the brain's output is capped so a runaway answer cannot fill its context.
    expect(models.maxTokens).toEqual([2048, 2048, 2048]);
    // The baseline ran once, before the first attempt; PLAN's failures ran nothing.
    expect(sandbox.commands.map((command) => command.label)).toEqual(['baseline']);
    const failures = store.explain(taskRun.id)!.failures;
    expect(new Set(failures.map((failure) => failure.fingerprint)).size).toBe(1);
    expect(failures.map((failure) => failure.type)).toEqual(['localization', 'localization', 'localization']);
    expect(store.listAudit()).toEqual([expect.objectContaining({ status: 'deadlocked', decision: 'DEADLOCK', attempts: 3, commit: null })]);
    const report = /handoff report: (\S+)$/.exec(outcome.reason)?.[1];
    expect(report && existsSync(report)).toBe(true);
  });

  it('escalates when the budget runs out on failures that differ', async () => {
    const { store, run, decisions } = await setup({
      maxAttempts: 2,
      answers: [badPlan('one_spec.txt'), badPlan('two_spec.txt'), badPlan('three_spec.txt')],
      baseline: 'cached',
    });
    const outcome = await run();
    expect(outcome.status).toBe('escalated');
    expect(outcome.reason).toMatch(/^2 attempts spent; last failure: localization/);
    expect(decisions()).toEqual([
      [1, 'RETRY'],
      [2, 'ESCALATE'],
    ]);
    expect(store.listAudit()[0]).toMatchObject({ status: 'escalated', decision: 'ESCALATE', attempts: 2 });
  });

  it('numbers on past an interrupted attempt without counting it against the budget', async () => {
    const { run, decisions, models } = await setup({
      maxAttempts: 2,
      answers: [badPlan('one_spec.txt'), badPlan('two_spec.txt')],
      earlierAttempts: ['INTERRUPTED'],
      baseline: 'cached',
    });
    expect((await run()).status).toBe('escalated');
    expect(decisions()).toEqual([
      [1, 'INTERRUPTED'],
      [2, 'RETRY'],
      [3, 'ESCALATE'],
    ]);
    expect(models.calls).toBe(2);
  });

  it('interrupts the attempt and hands the outage up when the model endpoint is gone, deciding nothing', async () => {
    const outage = new EnvironmentUnavailableError({ component: 'model', message: 'The model endpoint does not answer.', hint: 'Start it.' });
    const { store, run, decisions, decided } = await setup({ maxAttempts: 3, answers: [outage], baseline: 'cached' });
    await expect(run()).rejects.toBe(outage);
    expect(decisions()).toEqual([[1, 'INTERRUPTED']]);
    expect(decided()).toEqual([]);
    expect(store.listAudit()).toEqual([]);
  });

  it('escalates at once with no attempts left after a restart', async () => {
    const { run, decisions, models } = await setup({ maxAttempts: 2, answers: [badPlan('x_spec.txt')], earlierAttempts: ['RETRY', 'RETRY'], baseline: 'cached' });
    const outcome = await run();
    expect(outcome).toEqual({ status: 'escalated', reason: 'no attempts left (2 used before a restart)', commit: null });
    expect(decisions()).toEqual([
      [1, 'RETRY'],
      [2, 'RETRY'],
    ]);
    expect(models.calls).toBe(0);
  });
});
