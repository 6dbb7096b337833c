import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { assembleEngine } from '../assembly/assembleEngine.js';
import { prepareWorkspace, type PreparedWorkspace } from '../engine/loop/prepareWorkspace.js';
import type { SessionOutcome } from '../engine/createEngine.js';
import type { TaskExplanation } from '../engine/ports/Store.js';
import { countOutcomes } from '../engine/testing/countOutcomes.js';
import { runTestsWithReport } from '../engine/testing/runTestsWithReport.js';
import { createGitVcs } from '../engine/vcs/createGitVcs.js';
import { refIntentsDir } from '../engine/vcs/refIntentsDir.js';
import { findPackageRoot } from '../node/findPackageRoot.js';
import { createSandboxFactory } from '../sandbox/createSandboxFactory.js';
import type { BenchLevelResult, BenchTaskResult } from '../shared/BenchLevelResult.js';
import type { EngineEvent } from '../shared/engineEventSchema.js';
import type { ModelRole } from '../shared/modelRole.js';
import { NightshiftError } from '../shared/NightshiftError.js';
import type { NightshiftErrorData } from '../shared/NightshiftErrorData.js';
import type { ProjectConfig } from '../shared/projectConfigSchema.js';
import type { Sandbox } from '../shared/sandbox/Sandbox.js';
import type { LoadedBenchLevel } from './LoadedBenchLevel.js';

const run = promisify(execFile);
/** Where a task's hidden tests are copied in the checkout of the delivered branch. */
const HIDDEN_DIR = '.nightshift-hidden';
/** Hidden-test output kept per task, from its end. */
const OUTPUT_CHARS = 4000;

/**
 * Runs one level as a session in a throwaway copy of its repo/ (committed as one commit, the level's
 * sandboxPackages merged into its nightshift.json), then each task's hidden tests in a checkout of the
 * delivered branch, in the same kind of sandbox, judged from the runner's report. Time, tokens and
 * failures come from the session's records. An environment that stops the session (a package the sandbox
 * cannot get, a blocked preflight) is reported as `environmentError`, not as the model's failures.
 */
export async function runBenchLevel(options: {
  level: LoadedBenchLevel;
  /** A `--models` spec, e.g. `scripted:/abs/answers/oracle.json`; relative paths resolve against the cwd. */
  models: string;
  /** `off`: only a passing suite gates a commit (no RED proof, bite, scope, integrity, review). */
  rails: 'on' | 'off';
  /** Nightshift's data directory for the session's records, workspaces and reports. */
  dataDir: string;
  /** An empty folder for the throwaway copy and the hidden-test checkout; left in place for inspection. */
  workDir: string;
  /** Where commands run. Default: the level repository's nightshift.json, else auto. */
  sandbox?: ProjectConfig['sandbox'];
  /** Allow commands to run unsandboxed when no sandbox is available. Default false. */
  allowUnsandboxed?: boolean;
  onEvent?: (event: EngineEvent) => void;
}): Promise<BenchLevelResult> {
  const { level, rails } = options;
  const projectDir = join(resolve(options.workDir), 'repo');
  await copyLevelRepo(level, projectDir);
  const sandboxSettings = {
    ...(options.sandbox ? { preference: options.sandbox } : {}),
    ...(options.allowUnsandboxed !== undefined ? { allowUnsandboxed: options.allowUnsandboxed } : {}),
  };
  const assembled = await assembleEngine({
    dataDir: options.dataDir,
    models: { spec: options.models, cwd: process.cwd(), projectDir },
    sandbox: sandboxSettings,
  });
  let commandMs = 0;
  let firstTaskAt: number | null = null;
  let setupCommandMs = 0;
  const onEvent = (event: EngineEvent) => {
    if (event.type === 'command/finished') {
      commandMs += event.durationMs;
      if (firstTaskAt === null) setupCommandMs += event.durationMs;
    }
    if (event.type === 'task/started') firstTaskAt ??= Date.now();
    options.onEvent?.(event);
  };
  const started = Date.now();
  let outcome: SessionOutcome | null = null;
  let environmentError: NightshiftErrorData | null = null;
  try {
    outcome = await assembled.engine.runSession({ projectDir, tasks: level.tasks, rails, resume: false, again: true, onEvent, command: `nightshift bench run --levels ${level.level.id}` });
    if (outcome.blocked) {
      environmentError = {
        name: 'SessionBlocked',
        code: 'SESSION_BLOCKED',
        message: outcome.blocked.reason,
        hint: 'Fix the environment (see the preflight and the report) and run the level again; the model was not judged.',
        context: { sessionId: outcome.session.id, report: outcome.blocked.report },
      };
    }
  } catch (error) {
    if (!(error instanceof NightshiftError)) throw error;
    environmentError = error.toJSON();
  }
  const wallMs = Date.now() - started;
  const setupMs = Math.max(0, (firstTaskAt ?? started + wallMs) - started - setupCommandMs);
  try {
    const explained = outcome ? outcome.tasks.map((task) => assembled.store.explain(task.id)).filter((item): item is TaskExplanation => item !== null) : [];
    const hidden = outcome && !environmentError ? await runHiddenTests({ level, projectDir, outcome, workDir: options.workDir, dataDir: assembled.dataDir, sandbox: sandboxSettings }) : new Map<string, HiddenRun>();
    return summarize({ level, rails, outcome, explained, hidden, wallMs, commandMs, setupMs, environmentError });
  } finally {
    await assembled.dispose();
  }
}

interface HiddenRun {
  passed: number;
  failed: number;
  total: number;
  output: string;
}

/** repo/ copied and committed as one commit on `main`, with the level's Debian packages in nightshift.json. */
async function copyLevelRepo(level: LoadedBenchLevel, projectDir: string): Promise<void> {
  await rm(projectDir, { recursive: true, force: true });
  await mkdir(projectDir, { recursive: true });
  await cp(join(level.dir, 'repo'), projectDir, { recursive: true });
  if (level.level.language === 'typescript') await linkNodeModules(projectDir);
  const packages = level.level.sandboxPackages?.debian ?? [];
  if (packages.length > 0) {
    const configPath = join(projectDir, 'nightshift.json');
    const config = JSON.parse(await readFile(configPath, 'utf8').catch(() => '{}')) as { sandboxPackages?: { debian?: string[] } };
    const debian = [...new Set([...(config.sandboxPackages?.debian ?? []), ...packages])];
    await writeFile(configPath, `${JSON.stringify({ ...config, sandboxPackages: { ...config.sandboxPackages, debian } }, null, 2)}\n`);
  }
  const git = (...args: string[]) =>
    run('git', ['-c', 'user.name=Nightshift Bench', '-c', 'user.email=bench@nightshift.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: projectDir });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-q', '-m', `${level.level.id}: starting repository`);
}

/**
 * Every task's hidden tests, one task at a time, each in a checkout of the commit that delivered it (a false
 * GO is judged on what was delivered, before a later task could repair or hide it), or of the session's last
 * commit for a task not delivered (the start when nothing was), in the session's kind of sandbox.
 */
async function runHiddenTests(options: {
  level: LoadedBenchLevel;
  projectDir: string;
  outcome: SessionOutcome;
  workDir: string;
  dataDir: string;
  sandbox: { preference?: ProjectConfig['sandbox']; allowUnsandboxed?: boolean };
}): Promise<Map<string, HiddenRun>> {
  const { level, outcome } = options;
  const session = outcome.session;
  const vcs = createGitVcs({ refIntentsDir: refIntentsDir({ dataDir: options.dataDir }) });
  const last = session.headCommit ?? session.baseCommit;
  const deliveredAt = new Map(outcome.tasks.flatMap((task) => (task.status === 'done' && task.commit ? [[task.spec.id, task.commit] as const] : [])));
  const preference: ProjectConfig['sandbox'] = session.sandbox === 'docker' ? 'docker' : session.sandbox === 'local' ? 'local' : 'native';
  const createSandbox = createSandboxFactory({ ...options.sandbox, preference });
  const results = new Map<string, HiddenRun>();
  const checkouts = new Map<string, string[]>();
  for (const taskId of level.hiddenTaskIds) {
    const commit = deliveredAt.get(taskId) ?? last;
    checkouts.set(commit, [...(checkouts.get(commit) ?? []), taskId]);
  }
  for (const [index, [commitOid, taskIds]] of [...checkouts].entries()) {
    const prepared = await prepareWorkspace({ vcs, workspacesDir: resolve(options.workDir), root: options.projectDir, name: `hidden-checkout-${index + 1}`, commitOid });
    await cp(join(level.dir, 'hidden'), join(prepared.workspaceDir, HIDDEN_DIR), { recursive: true });
    const sandbox = await createSandbox({
      sessionId: `${session.id}-hidden-${index + 1}`,
      workspaceDir: prepared.workspaceDir,
      stack: prepared.stack,
      config: prepared.config,
      readOnlyDirs: prepared.readOnlyDirs,
    });
    try {
      for (const taskId of taskIds) results.set(taskId, await runHiddenTask({ level, taskId, prepared, sandbox }));
    } finally {
      await sandbox.dispose();
    }
  }
  return results;
}

/** One task's hidden tests in a prepared checkout, counted from the runner's report out of the declared total. */
async function runHiddenTask(options: { level: LoadedBenchLevel; taskId: string; prepared: PreparedWorkspace; sandbox: Sandbox }): Promise<HiddenRun> {
  const { level, taskId, prepared } = options;
  const command = level.level.hiddenTestCommand.replaceAll('{task}', taskId);
  const testRun = await runTestsWithReport({
    sandbox: options.sandbox,
    workspaceDir: prepared.workspaceDir,
    config: prepared.config,
    stack: { ...prepared.stack, testFileCommand: () => command },
    files: [`${HIDDEN_DIR}/${taskId}`],
    label: `hidden:${taskId}`,
  });
  const output = `${testRun.result.stdout}\n${testRun.result.stderr}`.trim();
  const tail = output.length > OUTPUT_CHARS ? output.slice(-OUTPUT_CHARS) : output;
  const declared = level.level.hiddenTests?.[taskId] ?? 0;
  if (testRun.report === null) {
    // No report: nothing can be counted as passed, whatever the exit code says.
    return { passed: 0, failed: Math.max(declared, 1), total: Math.max(declared, 1), output: `${testRun.reportProblem ?? 'no test report'}\n${tail}` };
  }
  const counts = countOutcomes(testRun.report);
  const loadErrors = testRun.report.loadErrors.length;
  // Tests that could not even load (the code they import is missing) count as failed, out of the declared total.
  const total = Math.max(declared, counts.executed + counts.skipped + loadErrors);
  return { passed: counts.passed, failed: total - counts.passed - counts.skipped, total, output: tail };
}

function summarize(options: {
  level: LoadedBenchLevel;
  rails: 'on' | 'off';
  outcome: SessionOutcome | null;
  explained: TaskExplanation[];
  hidden: Map<string, HiddenRun>;
  wallMs: number;
  commandMs: number;
  setupMs: number;
  environmentError: NightshiftErrorData | null;
}): BenchLevelResult {
  const { level, outcome, explained, hidden } = options;
  const failuresByType: Record<string, number> = {};
  const failuresByRail: Record<string, number> = {};
  const tokens: BenchLevelResult['tokens'] = {};
  const roleMs: Partial<Record<ModelRole, number>> = {};
  const overheads: number[] = [];
  let modelMs = 0;
  const tasks: BenchTaskResult[] = level.tasks.map((spec) => {
    const explanation = explained.find((item) => item.taskRun.spec.id === spec.id);
    const taskRun = explanation?.taskRun;
    const delivered = taskRun?.status === 'done' && taskRun.commit !== null;
    const failureTypes: string[] = [];
    const railsFired: Record<string, number> = {};
    let lastRail: string | null = null;
    const attemptRefusedBy: Array<string | null> = [];
    for (const attempt of explanation?.attempts ?? []) {
      const attemptRail = attempt.rails.filter((item) => !item.passed && !item.skipped).at(-1)?.name ?? null;
      attemptRefusedBy.push(attemptRail ?? attempt.failureType ?? null);
      if (attempt.failureType) {
        failureTypes.push(attempt.failureType);
        failuresByType[attempt.failureType] = (failuresByType[attempt.failureType] ?? 0) + 1;
      }
      for (const rail of attempt.rails.filter((item) => !item.passed && !item.skipped)) {
        railsFired[rail.name] = (railsFired[rail.name] ?? 0) + 1;
        failuresByRail[rail.name] = (failuresByRail[rail.name] ?? 0) + 1;
        lastRail = rail.name;
      }
      let attemptModelMs = 0;
      for (const call of attempt.modelCalls) {
        attemptModelMs += call.durationMs;
        const sum = (tokens[call.role] ??= { promptTokens: 0, outputTokens: 0, tokensPerSecond: 0 });
        sum.promptTokens += call.promptTokens;
        sum.outputTokens += call.outputTokens;
        roleMs[call.role] = (roleMs[call.role] ?? 0) + call.durationMs;
      }
      modelMs += attemptModelMs;
      const attemptCommandMs = attempt.commands.reduce((total, command) => total + command.durationMs, 0);
      if (attempt.endedAt !== null && attempt.endedAt > attempt.startedAt) {
        const wall = attempt.endedAt - attempt.startedAt;
        overheads.push(Math.max(0, wall - attemptModelMs - attemptCommandMs) / wall);
      }
    }
    const lastAttempt = explanation?.attempts.at(-1);
    const hiddenRun = hidden.get(spec.id) ?? null;
    return {
      taskId: spec.id,
      status: taskRun?.status ?? 'queued',
      attempts: taskRun?.attempts ?? 0,
      firstAttempt: delivered && taskRun.attempts === 1,
      delivered,
      hidden: delivered ? hiddenRun ?? { passed: 0, failed: 0, total: 0, output: 'no hidden tests for this task' } : null,
      falseGo: delivered && hiddenRun !== null && (hiddenRun.failed > 0 || hiddenRun.passed === 0),
      failureTypes,
      railsFired,
      refusedBy: delivered ? null : lastRail ?? lastAttempt?.failureType ?? (taskRun ? (taskRun.status === 'skipped' ? `skipped: ${taskRun.reason}` : taskRun.status) : 'not run'),
      attemptRefusedBy,
    };
  });
  for (const [role, ms] of Object.entries(roleMs) as Array<[ModelRole, number]>) {
    const sum = tokens[role]!;
    sum.tokensPerSecond = ms > 0 ? Math.round((sum.outputTokens / ms) * 1000 * 10) / 10 : 0;
  }
  const total = tasks.length;
  const committed = tasks.filter((task) => task.delivered).length;
  const testsMs = options.commandMs;
  return {
    levelId: level.level.id,
    rails: options.rails,
    sessionId: outcome?.session.id ?? null,
    wallMs: options.wallMs,
    tasks,
    committed,
    total,
    hiddenPassed: tasks.reduce((sum, task) => sum + (task.hidden?.passed ?? 0), 0),
    hiddenTotal: [...hidden.values()].reduce((sum, run) => sum + run.total, 0),
    firstRunPassRate: total === 0 ? 0 : tasks.filter((task) => task.firstAttempt).length / total,
    attemptsPerTask: total === 0 ? 0 : tasks.reduce((sum, task) => sum + task.attempts, 0) / total,
    deadlocks: tasks.filter((task) => task.status === 'deadlocked').length,
    escalations: tasks.filter((task) => task.status === 'escalated').length,
    falseGo: tasks.filter((task) => task.falseGo).length,
    failuresByType,
    failuresByRail,
    time: { modelMs, testsMs, harnessMs: Math.max(0, options.wallMs - modelMs - testsMs) },
    setupMs: options.setupMs,
    ...(outcome ? { models: outcome.session.models } : {}),
    harnessOverheadPerAttempt: { median: median(overheads), max: overheads.length === 0 ? 0 : Math.max(...overheads) },
    tokens,
    environmentError: options.environmentError,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * A TypeScript level's copy gets Nightshift's own node_modules (vitest, typescript) linked in, as a project
 * keeps its installed packages: the level's .gitignore leaves it out of the commit, and the workspace and the
 * hidden checkout link it read-only, so its runner works without a network install.
 */
async function linkNodeModules(projectDir: string): Promise<void> {
  if (existsSync(join(projectDir, 'node_modules'))) return;
  const root = findPackageRoot({ from: fileURLToPath(new URL('.', import.meta.url)) });
  if (root === null || !existsSync(join(root, 'node_modules'))) return;
  await symlink(join(root, 'node_modules'), join(projectDir, 'node_modules'), 'dir');
}
