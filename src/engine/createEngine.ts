import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineEvent } from '../shared/engineEventSchema.js';
import type { EnvironmentComponent } from '../shared/EnvironmentUnavailableError.js';
import type { TaskSpec } from '../shared/taskSpecSchema.js';
import type { TaskStatus } from '../shared/taskStatus.js';
import { orderTasks } from './backlog/orderTasks.js';
import { parseBacklog } from './backlog/parseBacklog.js';
import { BacklogNotFoundError } from './loop/BacklogNotFoundError.js';
import { BranchMovedOutsideError } from './loop/BranchMovedOutsideError.js';
import { createCommandLog } from './loop/createCommandLog.js';
import { recordSkippedTask } from './loop/recordSkippedTask.js';
import { createSessionId } from './loop/createSessionId.js';
import { DirectModeError } from './loop/DirectModeError.js';
import { findFailedDependency } from './loop/findFailedDependency.js';
import { BacklogDeliveredError } from './loop/BacklogDeliveredError.js';
import { describeDelivered } from './loop/describeDelivered.js';
import { findDeliveredTasks } from './loop/findDeliveredTasks.js';
import { interruptDeadSession } from './loop/interruptDeadSession.js';
import { skipDeliveredTasks } from './loop/skipDeliveredTasks.js';
import { withProjectLock } from './loop/withProjectLock.js';
import type { ProjectLock } from './lock/ProjectLock.js';
import { runTask } from './loop/runTask.js';
import { createSwappableSandbox } from './loop/createSwappableSandbox.js';
import { prepareWorkspace as prepareWorkspaceAt, type PreparedWorkspace } from './loop/prepareWorkspace.js';
import { runTaskThroughOutages, type EnvironmentOutage } from './loop/runTaskThroughOutages.js';
import { writeBlockedReport } from './loop/writeBlockedReport.js';
import { preflightSession } from './preflight/preflightSession.js';
import type { PreflightReport } from './preflight/PreflightReport.js';
import { recheckEnvironment } from './preflight/recheckEnvironment.js';
import { runDoctor } from './preflight/runDoctor.js';
import type { Clock } from './ports/Clock.js';
import type { ModelClient } from '../shared/model/ModelClient.js';
import type { TestReport } from '../shared/testReportSchema.js';
import type { Sandbox } from '../shared/sandbox/Sandbox.js';
import type { SandboxFactory } from '../shared/sandbox/SandboxFactory.js';
import type { SessionRecord, Store, TaskRunRecord } from './ports/Store.js';
import type { Vcs } from './ports/Vcs.js';
import type { PromptLibrary } from './prompts/PromptLibrary.js';

/** Everything the engine touches, injected. */
export interface EngineDeps {
  models: ModelClient;
  store: Store;
  /** Makes each session's sandbox once its workspace exists. */
  createSandbox: SandboxFactory;
  vcs: Vcs;
  clock: Clock;
  prompts: PromptLibrary;
  /** Folder for private workspaces, one per session (from `openDataDir`). */
  workspacesDir: string;
  /** Folder for handoff reports (from `openDataDir`). */
  reportsDir: string;
  /** Folder of project locks (from `projectLocksDir`). Default: `locks` beside `workspacesDir`. */
  locksDir?: string;
}

export interface RunSessionOptions {
  /** The user's repository root. */
  projectDir: string;
  /** Tasks to run instead of the project's backlog file. */
  tasks?: TaskSpec[];
  /** Backlog file relative to the project root (or absolute). Default: `tasksFile` from nightshift.json. */
  tasksFile?: string;
  /** Start at most this many tasks in this run. Default: all. */
  maxTasks?: number;
  /** Start no task after this time, epoch milliseconds. Default: no limit. */
  until?: number;
  /** `branch` (default) delivers to `nightshift/<session>`; `direct` fast-forwards `targetBranch`. */
  mode?: 'branch' | 'direct';
  /** Branch to fast-forward in direct mode; must not be checked out. */
  targetBranch?: string;
  /** Resume the project's unfinished session when there is one. Default true. */
  resume?: boolean;
  onEvent?: (event: EngineEvent) => void;
  /** Stops the session between steps; the running task is put back in the queue. */
  signal?: AbortSignal;
  /**
   * Run tasks that earlier sessions of the project already delivered unchanged. Default false: a new
   * session skips them, and a backlog delivered in full throws `BacklogDeliveredError` before recording anything.
   */
  again?: boolean;
  /** What started the run, shown to a run refused by the project lock. Default: this process's command line. */
  command?: string;
  /** Start even when the suite already fails at the starting commit; the suite rail then refuses only new failures. Default false. */
  allowFailingBaseline?: boolean;
  /** Attempts per task before it is escalated, overriding nightshift.json's `maxAttempts`. Default: the project's. */
  maxAttempts?: number;
  /**
   * `off` runs the same loop with only "the suite passes and ran the task's tests" (plus path safety) as the
   * gate: no RED proof, bite, scope, protected paths, integrity, stubs or review; the benchmark's baseline.
   * Recorded on a new session; a resumed one keeps its own. Default `on`.
   */
  rails?: 'on' | 'off';
}

export interface SessionOutcome {
  session: SessionRecord;
  tasks: TaskRunRecord[];
  /** The checklist run before the first task; absent when no task was left to run. */
  preflight?: PreflightReport;
  /** Why the session ended `blocked` (preflight failed, or the environment failed and did not come back), and its report file. */
  blocked?: { reason: string; report: string | null };
}

export interface Engine {
  runSession(options: RunSessionOptions): Promise<SessionOutcome>;
  /** The preflight alone, in a throwaway workspace and sandbox (`nightshift doctor`); records nothing. */
  doctor(options: Omit<Parameters<typeof runDoctor>[0], 'deps'>): Promise<PreflightReport>;
  dispose(): Promise<void>;
}

/** The governed loop: a backlog in, gated commits on a branch out. */
export function createEngine(deps: EngineDeps): Engine {
  return {
    runSession: (options) =>
      withProjectLock({
        vcs: deps.vcs,
        clock: deps.clock,
        locksDir: deps.locksDir,
        workspacesDir: deps.workspacesDir,
        projectDir: options.projectDir,
        command: options.command,
        body: (lock) => runSession(deps, options, lock),
      }),
    doctor: (options) => runDoctor({ deps, ...options }),
    async dispose() {
      await deps.models.dispose();
    },
  };
}

async function runSession(deps: EngineDeps, options: RunSessionOptions, lock: ProjectLock): Promise<SessionOutcome> {
  const { store, vcs, clock } = deps;
  const emit = (event: EngineEvent) => options.onEvent?.(event);
  const repo = await vcs.inspectRepo({ repoDir: options.projectDir });
  const project = store.upsertProject({ path: repo.root, name: repo.root.split('/').pop() ?? repo.root, now: clock.now() });
  const interrupted = interruptDeadSession({ store, projectId: project.id, staleOwner: lock.tookOverFrom, now: clock.now() });
  if (interrupted) emit({ type: 'log', at: clock.now(), level: 'warn', message: `Session ${interrupted.id} was interrupted: ${interrupted.reason}.` });

  const unfinished = options.resume === false ? null : store.findUnfinishedSession(project.id);
  let session: SessionRecord;
  let resumed = false;
  let prepared: PreparedWorkspace | null = null;
  let sandbox: Sandbox | null = null;
  if (unfinished) {
    session = unfinished;
    resumed = true;
    store.recoverInterrupted(session.id, clock.now());
    store.updateSession(session.id, { status: 'running', reason: '', endedAt: null });
  } else {
    const mode = options.mode ?? 'branch';
    const id = createSessionId({ now: clock.now() });
    let branch = `nightshift/${id}`;
    let baseCommit = repo.headOid;
    if (mode === 'direct') {
      const target = options.targetBranch;
      if (!target) throw new DirectModeError({ message: 'Direct mode needs a target branch.', context: {} });
      if (target === repo.currentBranch) {
        throw new DirectModeError({
          message: `Branch "${target}" is checked out, and moving it would change what your working tree is compared against.`,
          context: { branch: target },
        });
      }
      const targetOid = await vcs.readBranch({ repoDir: repo.root, branch: target });
      if (!targetOid) throw new DirectModeError({ message: `Branch "${target}" does not exist.`, context: { branch: target } });
      branch = target;
      baseCommit = targetOid;
    }
    // The project is judged as committed (config, stack), never by the user's uncommitted edits; the
    // backlog is the exception, since users write it just before starting.
    prepared = await prepareWorkspace(deps, repo.root, id, baseCommit);
    const specs = orderTasks({
      tasks: options.tasks ?? (await readBacklog(repo.root, options.tasksFile ?? prepared.config.tasksFile)),
    });
    const delivered = options.again ? [] : findDeliveredTasks({ store, projectId: project.id, specs });
    if (delivered.length > 0 && delivered.length === specs.length) {
      await rm(prepared.workspaceDir, { recursive: true, force: true });
      throw new BacklogDeliveredError({ delivered });
    }
    sandbox = await createSessionSandbox(deps, id, prepared);
    const describe = (role: 'brain' | 'coder' | 'qa') => deps.models.describe(role);
    const { kind, isolated } = sandbox;
    session = store.transaction(() => {
      const created = store.createSession({
        id,
        projectId: project.id,
        mode,
        branch,
        baseCommit,
        sandbox: kind,
        sandboxIsolated: isolated,
        models: { brain: describe('brain'), coder: describe('coder'), qa: describe('qa') },
        rails: options.rails ?? 'on',
        startedAt: clock.now(),
      });
      const taskRuns = store.addTaskRuns(created.id, specs);
      skipDeliveredTasks({ store, session: created, taskRuns, delivered, project: repo.root, now: clock.now() });
      return created;
    });
    if (delivered.length > 0) {
      emit({ type: 'log', at: clock.now(), level: 'info', message: `Already delivered by earlier sessions, so skipped (--again runs them): ${describeDelivered(delivered)}.` });
    }
  }
  await lock.setSession(session.id);

  try {
    const branchOid = await vcs.readBranch({ repoDir: repo.root, branch: session.branch });
    await reconcileDelivered(deps, session, repo.root, branchOid);
    session = store.getSession(session.id) ?? session;
    const expectedOid = session.headCommit ?? (session.mode === 'direct' ? session.baseCommit : null);
    if (branchOid !== expectedOid) {
      throw new BranchMovedOutsideError({ branch: session.branch, expected: expectedOid, actual: branchOid });
    }
    let headOid = session.headCommit ?? session.baseCommit;

    const { workspaceDir, config, stack, readOnlyDirs } = prepared ?? (await prepareWorkspace(deps, repo.root, session.id, headOid));
    const swappable = createSwappableSandbox({ sandbox: sandbox ?? (await createSessionSandbox(deps, session.id, { workspaceDir, config, stack, readOnlyDirs })) });
    sandbox = swappable;
    const activeSandbox = swappable;
    const commandLog = createCommandLog({ store, clock, sessionId: session.id, sandbox: activeSandbox, emit });
    const baselines = new Map<string, TestReport | null>();

    const taskRuns = store.listTaskRuns(session.id);
    emit({
      type: 'session/started',
      at: clock.now(),
      sessionId: session.id,
      projectPath: repo.root,
      branch: session.branch,
      taskCount: taskRuns.length,
      resumed,
      sandbox: activeSandbox.kind,
      isolated: activeSandbox.isolated,
    });
    if (!activeSandbox.isolated) {
      emit({ type: 'log', at: clock.now(), level: 'warn', message: `Commands run UNSANDBOXED on this machine (sandbox "${activeSandbox.kind}").` });
    }

    const environment = { models: deps.models, sandbox: commandLog.sandbox, workspaceDir, config, stack, ...(options.signal ? { signal: options.signal } : {}) };
    let preflight: PreflightReport | undefined;
    if (taskRuns.some((task) => task.status === 'queued')) {
      const checked = await preflightSession({
        ...environment,
        sessionId: session.id,
        store,
        clock,
        vcs,
        repoRoot: repo.root,
        workspacesDir: deps.workspacesDir,
        headOid,
        baselines,
        allowFailingBaseline: options.allowFailingBaseline === true,
        emit,
      }).catch((error: unknown) => {
        if (options.signal?.aborted) return null;
        throw error;
      });
      if (checked === null || (options.signal?.aborted && checked.blockedReason !== null)) {
        // A stop during the preflight cut its checks short, so their failures say nothing about the environment.
        store.updateSession(session.id, { status: 'stopped', reason: '', endedAt: clock.now() });
        const tasks = store.listTaskRuns(session.id);
        emit({ type: 'session/finished', at: clock.now(), sessionId: session.id, status: 'stopped', counts: countStatuses(tasks), branch: session.branch, headCommit: session.headCommit });
        return { session: store.getSession(session.id) ?? session, tasks };
      }
      preflight = checked.report;
      if (checked.blockedReason !== null) {
        const tasks = store.listTaskRuns(session.id);
        emit({ type: 'session/finished', at: clock.now(), sessionId: session.id, status: 'blocked', counts: countStatuses(tasks), branch: session.branch, headCommit: session.headCommit });
        return { session: store.getSession(session.id) ?? session, tasks, preflight, blocked: { reason: checked.blockedReason, report: null } };
      }
    }
    const recheck = (component: EnvironmentComponent) =>
      recheckEnvironment({
        ...environment,
        component,
        restartSandbox: () => swappable.restart(() => createSessionSandbox(deps, session.id, { workspaceDir, config, stack, readOnlyDirs })),
      });

    let started = 0;
    let stopped = false;
    let outage: EnvironmentOutage | null = null;
    for (const initial of taskRuns) {
      const taskRun = store.getTaskRun(initial.id) ?? initial;
      if (taskRun.status !== 'queued') continue;
      if (options.signal?.aborted || (options.maxTasks !== undefined && started >= options.maxTasks)) {
        stopped = true;
        break;
      }
      if (options.until !== undefined && clock.now() >= options.until) {
        emit({ type: 'log', at: clock.now(), level: 'info', message: 'The --until time has passed; no new task is started.' });
        stopped = true;
        break;
      }
      const blocker = findFailedDependency({ all: store.listTaskRuns(session.id), taskRun });
      if (blocker) {
        const { reason } = blocker;
        store.transaction(() => recordSkippedTask({ store, session, taskRun, project: repo.root, reason, commit: null, now: clock.now() }));
        emit({ type: 'task/finished', at: clock.now(), taskRunId: taskRun.id, taskId: taskRun.spec.id, status: 'skipped', reason });
        continue;
      }
      started += 1;
      store.updateTaskRun(taskRun.id, { status: 'running', startedAt: taskRun.startedAt ?? clock.now() });
      commandLog.emit({ type: 'task/started', at: clock.now(), sessionId: session.id, taskRunId: taskRun.id, taskId: taskRun.spec.id, title: taskRun.spec.title });
      const current = store.getSession(session.id) ?? session;
      const expectedBranchOid = current.mode === 'direct' ? current.headCommit ?? current.baseCommit : current.headCommit;
      try {
        const through = await runTaskThroughOutages({
          store,
          clock,
          sessionId: session.id,
          taskRunId: taskRun.id,
          emit,
          recheck,
          waitMs: config.environmentWaitMs,
          ...(options.until !== undefined ? { until: options.until } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          run: () => runTask({
          session: current,
          taskRun: store.getTaskRun(taskRun.id) ?? taskRun,
          repoRoot: repo.root,
          workspaceDir,
          reportsDir: deps.reportsDir,
          headOid,
          expectedBranchOid,
          baselines,
          stack,
          config: options.maxAttempts === undefined ? config : { ...config, maxAttempts: options.maxAttempts },
          models: deps.models,
          store,
          sandbox: commandLog.sandbox,
          vcs,
          clock,
          prompts: deps.prompts,
          emit: commandLog.emit,
          recheckEnvironment: () => recheck('sandbox'),
          ...(options.signal ? { signal: options.signal } : {}),
          }),
        });
        if ('outage' in through) {
          outage = through.outage;
          break;
        }
        const { outcome } = through;
        store.updateTaskRun(taskRun.id, { status: outcome.status, reason: outcome.reason, commit: outcome.commit, endedAt: clock.now() });
        if (outcome.commit) headOid = outcome.commit;
        emit({
          type: 'task/finished',
          at: clock.now(),
          taskRunId: taskRun.id,
          taskId: taskRun.spec.id,
          status: outcome.status,
          reason: outcome.reason,
          ...(outcome.commit ? { commit: outcome.commit } : {}),
        });
      } catch (error) {
        if (options.signal?.aborted) {
          store.recoverInterrupted(session.id, clock.now());
          stopped = true;
          break;
        }
        throw error;
      }
    }

    const finalTasks = store.listTaskRuns(session.id);
    const remaining = finalTasks.some((task) => task.status === 'queued' || task.status === 'running');
    const status = outage ? 'blocked' : stopped && remaining ? 'stopped' : 'completed';
    // A stopped session stays resumable (findUnfinishedSession returns it); a finished backlog closes it.
    store.updateSession(session.id, { status: remaining ? 'stopped' : 'completed', endedAt: clock.now() });
    const blocked = outage ? await recordOutage(deps, session.id, outage, finalTasks) : undefined;
    const finalSession = store.getSession(session.id) ?? session;
    emit({
      type: 'session/finished',
      at: clock.now(),
      sessionId: session.id,
      status,
      counts: countStatuses(finalTasks),
      branch: session.branch,
      headCommit: finalSession.headCommit,
    });
    return { session: finalSession, tasks: finalTasks, ...(preflight ? { preflight } : {}), ...(blocked ? { blocked } : {}) };
  } finally {
    await sandbox?.dispose();
  }
}

function prepareWorkspace(deps: EngineDeps, root: string, sessionId: string, commitOid: string): Promise<PreparedWorkspace> {
  return prepareWorkspaceAt({ vcs: deps.vcs, workspacesDir: deps.workspacesDir, root, name: sessionId, commitOid });
}

/** The session ends `blocked`: its reason (with the fix) and a report a human reads in the morning. */
async function recordOutage(deps: EngineDeps, sessionId: string, outage: EnvironmentOutage, tasks: TaskRunRecord[]): Promise<{ reason: string; report: string }> {
  const session = deps.store.getSession(sessionId);
  const queued = tasks.filter((task) => task.status === 'queued');
  const taskRun = queued[0];
  if (!session || !taskRun) throw new Error(`Session ${sessionId} ended blocked without a queued task.`);
  const report = await writeBlockedReport({
    dir: deps.reportsDir,
    session,
    taskRun,
    reason: outage.reason,
    fix: outage.fix,
    lastCheck: outage.lastCheck,
    tries: outage.tries,
    since: outage.since,
    gaveUpAt: deps.clock.now(),
    queued,
  });
  const reason = `blocked by the environment (${outage.component}): ${outage.reason} Fix: ${outage.fix} Report: ${report}`;
  deps.store.updateSession(sessionId, { status: 'blocked', reason, endedAt: deps.clock.now() });
  return { reason, report };
}

async function readBacklog(root: string, file: string): Promise<TaskSpec[]> {
  const path = file.startsWith('/') ? file : join(root, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new BacklogNotFoundError({ path });
  }
  return parseBacklog({ text, source: file });
}

/**
 * A crash can land between moving the branch and recording the task as done; the commit's trailers say
 * which task run it delivered, so the records catch up instead of running the task twice.
 */
async function reconcileDelivered(deps: EngineDeps, session: SessionRecord, root: string, branchOid: string | null): Promise<void> {
  if (!branchOid || branchOid === session.headCommit) return;
  const log = await deps.vcs.log({ repoDir: root, oid: branchOid, depth: 200 });
  const lastRecorded = session.headCommit ?? session.baseCommit;
  const delivered: Array<{ runId: number; oid: string }> = [];
  let reachedRecorded = false;
  for (const entry of log) {
    if (entry.oid === lastRecorded) {
      reachedRecorded = true;
      break;
    }
    const sessionId = /^Nightshift-Session: (.+)$/m.exec(entry.message)?.[1]?.trim();
    const run = /^Nightshift-Run: (\d+)$/m.exec(entry.message)?.[1];
    if (sessionId !== session.id || !run) return;
    delivered.push({ runId: Number(run), oid: entry.oid });
  }
  // Only an unbroken chain of this session's own commits on top of what was recorded is adopted.
  if (!reachedRecorded || delivered.length === 0) return;
  deps.store.transaction(() => {
    for (const { runId, oid } of delivered.reverse()) {
      deps.store.updateTaskRun(runId, { status: 'done', reason: `committed ${oid.slice(0, 12)} (recorded after a restart)`, commit: oid, endedAt: deps.clock.now() });
    }
    deps.store.updateSession(session.id, { headCommit: branchOid });
  });
}

function createSessionSandbox(deps: EngineDeps, sessionId: string, prepared: PreparedWorkspace): Promise<Sandbox> {
  return deps.createSandbox({ sessionId, workspaceDir: prepared.workspaceDir, stack: prepared.stack, config: prepared.config, readOnlyDirs: prepared.readOnlyDirs });
}

function countStatuses(tasks: TaskRunRecord[]): Record<TaskStatus, number> {
  const counts: Record<TaskStatus, number> = { queued: 0, running: 0, done: 0, failed: 0, deadlocked: 0, escalated: 0, skipped: 0 };
  for (const task of tasks) counts[task.status] += 1;
  return counts;
}
