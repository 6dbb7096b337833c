import { formatProtocolIssues } from '../runtime/host/formatProtocolIssues.js';
import type { ProjectRecord } from '../engine/ports/Store.js';
import type { EngineEvent } from '../shared/engineEventSchema.js';
import { engineChildMessageSchema, type EngineChildMessage, type EngineRunOptions } from '../shared/engineProcessMessageSchema.js';
import type { NightshiftErrorData } from '../shared/NightshiftErrorData.js';
import { nextClockTime } from '../shared/nextClockTime.js';
import { projectSettingsSchema, type ProjectSettings } from '../shared/projectSettingsSchema.js';
import type { ProtocolRequest } from '../shared/protocol.js';
import type { SessionControlState } from '../shared/sessionControlStateSchema.js';
import { EngineProcessCrashedError } from './EngineProcessCrashedError.js';
import { EngineProcessMessageError } from './EngineProcessMessageError.js';
import type { HostContext } from './HostContext.js';
import { SessionAlreadyRunningError } from './SessionAlreadyRunningError.js';
import { SessionBacklogEmptyError } from './SessionBacklogEmptyError.js';
import { SessionBlockedError } from './SessionBlockedError.js';
import { SessionNothingToResumeError } from './SessionNothingToResumeError.js';
import { SessionNotRunningError } from './SessionNotRunningError.js';
import { SessionSettingsInvalidError } from './SessionSettingsInvalidError.js';
import type { SessionSupervisor } from './SessionSupervisor.js';
import type { EngineProcess, EngineProcessExit, SpawnEngineProcess } from './SpawnEngineProcess.js';

const DEFAULT_MAX_RESTARTS = 3;
const DEFAULT_RESTART_WINDOW_MS = 10 * 60_000;
/** A step can be a long model generation on a slow machine; past this a stop gives up on waiting and kills. */
const DEFAULT_STOP_TIMEOUT_MS = 5 * 60_000;

type State = SessionControlState['state'];

/** One project's run: what the supervisor was asked for and the engine process serving it. */
interface Run {
  project: ProjectRecord;
  state: SessionControlState;
  settings: ProjectSettings;
  again: boolean;
  /** What the next launch passes as `resume` when no session is known yet. */
  resume: boolean;
  /** What an ending process leads to: carry on (restart after a crash), paused, or idle. */
  wanted: 'run' | 'pause' | 'stop';
  child: EngineProcess | null;
  /** Resolves when the current process has exited and its end was handled. */
  settled: Promise<void>;
  /** What the current process reported last: its end, or a protocol violation that got it killed. */
  ending: { type: 'finished'; message: Extract<EngineChildMessage, { type: 'finished' }> } | { type: 'failed'; error: NightshiftErrorData } | null;
  crashTimes: number[];
  startTimer: unknown;
  untilTimer: unknown;
  /** Task runs started in this run and not yet finished, and those finished: the maxTasks budget survives restarts. */
  runningTaskRun: number | null;
  finishedTaskRuns: Set<number>;
}

/**
 * The session supervisor of `nightshift serve` and the desktop app: runs each project's session in an engine
 * process (one process per run; it exits when the session ends or stops), publishes every engine event and a
 * `control/state` event on every change, schedules starts and clean stops at wall-clock times, and restarts
 * a crashed engine process so that the same session resumes from its records, up to a bounded number of
 * crashes. Refusals throw typed NightshiftErrors with a hint.
 */
export function createEngineSupervisor(options: {
  context: HostContext;
  /** Starts an engine process: forkEngineProcess() under Node, a utilityProcess spawner in Electron. */
  spawnEngine: SpawnEngineProcess;
  /**
   * The `better_sqlite3.node` the engine process opens the database with: the app passes the addon built
   * for Electron's ABI, since its engine runs in a utilityProcess. Default: the package's own Node build.
   */
  nativeBinding?: string;
  /** Schedules a callback after `delayMs` milliseconds. Default: setTimeout. */
  setTimer?: (callback: () => void, delayMs: number) => unknown;
  /** Cancels what setTimer returned. Default: clearTimeout. */
  clearTimer?: (handle: unknown) => void;
  restart?: {
    /** Crashes within the window that are restarted; the next one gives up. Default 3. */
    maxRestarts?: number;
    /** The sliding window crashes are counted over, in milliseconds. Default 600000 (10 minutes). */
    windowMs?: number;
  };
  /** How long dispose() waits for a session to finish its step before it kills the process, in milliseconds. Default 300000. */
  stopTimeoutMs?: number;
}): SessionSupervisor {
  const { context, spawnEngine } = options;
  const { store, clock } = context;
  const setTimer = options.setTimer ?? ((callback: () => void, delayMs: number) => setTimeout(callback, delayMs));
  const clearTimer = options.clearTimer ?? ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const maxRestarts = options.restart?.maxRestarts ?? DEFAULT_MAX_RESTARTS;
  const windowMs = options.restart?.windowMs ?? DEFAULT_RESTART_WINDOW_MS;
  const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  const runs = new Map<string, Run>();
  let disposing = false;

  const idleState = (projectPath: string): SessionControlState => ({
    projectPath,
    state: 'idle',
    sessionId: null,
    startsAt: null,
    until: null,
    task: null,
    engineRestarts: 0,
    error: null,
    updatedAt: clock.now(),
  });

  const update = (run: Run, patch: Partial<Omit<SessionControlState, 'projectPath' | 'updatedAt'>>) => {
    run.state = { ...run.state, ...patch, updatedAt: clock.now() };
    context.publish({ type: 'control/state', at: clock.now(), state: run.state });
  };

  const cancelTimers = (run: Run) => {
    if (run.startTimer !== null) clearTimer(run.startTimer);
    if (run.untilTimer !== null) clearTimer(run.untilTimer);
    run.startTimer = null;
    run.untilTimer = null;
  };

  const runOptions = (run: Run, resume: boolean): EngineRunOptions => {
    const { settings } = run;
    return {
      dataDir: context.dataDir,
      projectDir: run.project.path,
      // Read at launch, so a scheduled session runs the backlog as it is at its start time.
      tasks: store.listBacklog(run.project.id).map((record) => record.spec),
      maxTasks: settings.maxTasks === null ? null : Math.max(0, settings.maxTasks - run.finishedTaskRuns.size),
      maxAttempts: settings.maxAttempts,
      until: run.state.until,
      mode: settings.mode,
      targetBranch: settings.mode === 'direct' ? settings.targetBranch : null,
      resume,
      again: run.again,
      allowFailingBaseline: settings.allowFailingBaseline,
      nativeBinding: options.nativeBinding ?? null,
      models: { spec: settings.models, profile: settings.profile },
      sandbox: { preference: settings.sandbox, allowUnsandboxed: settings.allowUnsandboxed },
    };
  };

  const onEvent = (run: Run, event: EngineEvent) => {
    if (event.type === 'session/started') {
      update(run, { sessionId: event.sessionId, ...(run.state.state === 'starting' || run.state.state === 'restarting' ? { state: 'running' as const } : {}) });
    } else if (event.type === 'task/started') {
      run.runningTaskRun = event.taskRunId;
      const taskRuns = store.listTaskRuns(event.sessionId);
      const index = taskRuns.findIndex((taskRun) => taskRun.id === event.taskRunId);
      update(run, {
        task: { index: index + 1, total: taskRuns.length, taskRunId: event.taskRunId, taskId: event.taskId, title: event.title },
      });
    } else if (event.type === 'task/finished') {
      if (run.runningTaskRun === event.taskRunId) {
        run.finishedTaskRuns.add(event.taskRunId);
        run.runningTaskRun = null;
      }
      if (run.state.task?.taskRunId === event.taskRunId) update(run, { task: null });
    }
    context.publish(event);
  };

  const launch = (run: Run, resume: boolean) => {
    const child = spawnEngine();
    run.child = child;
    run.ending = null;
    run.runningTaskRun = null;
    run.settled = new Promise<void>((resolve) => {
      child.onExit((exit) => {
        run.child = null;
        settle(run, exit);
        resolve();
      });
    });
    child.onMessage((raw) => {
      if (run.child !== child || run.ending) return;
      const parsed = engineChildMessageSchema.safeParse(raw);
      if (!parsed.success) {
        run.ending = { type: 'failed', error: new EngineProcessMessageError({ from: 'engine', issues: formatProtocolIssues({ error: parsed.error }) }).toJSON() };
        child.kill('SIGKILL');
        return;
      }
      const message = parsed.data;
      if (message.type === 'event') onEvent(run, message.event);
      else if (message.type === 'finished') run.ending = { type: 'finished', message };
      else run.ending = { type: 'failed', error: message.error };
    });
    child.send({ type: 'run', options: runOptions(run, resume) });
    // A stop asked for while the process was coming up reaches it as soon as it listens.
    if (run.wanted !== 'run') child.send({ type: 'stop' });
  };

  const settle = (run: Run, exit: EngineProcessExit) => {
    const ending = run.ending;
    if (ending?.type === 'finished') {
      const { message } = ending;
      const paused = run.wanted === 'pause' && message.status === 'stopped';
      if (!paused) cancelTimers(run);
      update(run, {
        state: paused ? 'paused' : 'idle',
        sessionId: message.sessionId,
        task: null,
        error: message.status === 'blocked' ? new SessionBlockedError({ sessionId: message.sessionId, reason: message.blockedReason ?? 'no reason given' }).toJSON() : null,
      });
      return;
    }
    if (ending?.type === 'failed') {
      cancelTimers(run);
      update(run, { state: 'idle', task: null, error: ending.error });
      return;
    }
    const lastExit = `${exit.signal ? `signal ${exit.signal}` : `exit code ${String(exit.exitCode)}`}${exit.stderrTail ? `: ${exit.stderrTail.trim()}` : ''}`;
    const now = clock.now();
    run.crashTimes = run.crashTimes.filter((at) => at > now - windowMs);
    run.crashTimes.push(now);
    const gaveUp = run.crashTimes.length > maxRestarts;
    const restarting = run.wanted === 'run' && !gaveUp && !disposing;
    const crashed = {
      type: 'process/crashed' as const,
      at: now,
      process: 'engine' as const,
      projectPath: run.project.path,
      sessionId: run.state.sessionId,
      exitCode: exit.exitCode,
      signal: exit.signal,
      detail: exit.stderrTail?.trim() || (restarting ? 'The engine process ended without reporting; starting it again to resume the session.' : 'The engine process ended without reporting.'),
      restarting,
    };
    context.publish(crashed);
    if (!restarting) {
      const paused = run.wanted === 'pause';
      if (!paused) cancelTimers(run);
      update(run, {
        state: paused ? 'paused' : 'idle',
        task: null,
        error: new EngineProcessCrashedError({ projectPath: run.project.path, sessionId: run.state.sessionId, crashes: run.crashTimes.length, gaveUp: run.wanted === 'run', lastExit }).toJSON(),
      });
      return;
    }
    update(run, { state: 'restarting', task: null, engineRestarts: run.state.engineRestarts + 1 });
    // The records say where the session was: resuming it is what `nightshift run` does after a kill.
    launch(run, run.state.sessionId !== null ? true : run.resume);
    context.publish({ type: 'process/restarted', at: clock.now(), process: 'engine', projectPath: run.project.path, sessionId: run.state.sessionId });
  };

  /** Asks the running process to stop after its current step; `wanted` says what the end leads to. */
  const requestStop = (run: Run, wanted: 'pause' | 'stop', state: State) => {
    run.wanted = wanted;
    update(run, { state });
    run.child?.send({ type: 'stop' });
  };

  const begin = (run: Run) => {
    run.startTimer = null;
    update(run, { state: 'starting' });
    launch(run, run.resume);
  };

  const untilReached = (run: Run) => {
    run.untilTimer = null;
    const { state } = run.state;
    if (state === 'running' || state === 'starting' || state === 'restarting') requestStop(run, 'stop', 'stopping');
  };

  const scheduleUntil = (run: Run) => {
    const { until } = run.state;
    if (until !== null) run.untilTimer = setTimer(() => untilReached(run), Math.max(0, until - clock.now()));
  };

  const checkedSettings = (projectPath: string, settings: ProjectSettings): ProjectSettings => {
    const parsed = projectSettingsSchema.safeParse(settings);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SessionSettingsInvalidError({ projectPath, field: issue?.path.join('.') || '(settings)', problem: issue?.message ?? 'refused' });
    }
    return parsed.data;
  };

  const stateOf = (projectPath: string): SessionControlState => runs.get(projectPath)?.state ?? idleState(projectPath);

  const newRun = (project: ProjectRecord, settings: ProjectSettings, fields: { again: boolean; resume: boolean }): Run => {
    const previous = runs.get(project.path);
    const run: Run = {
      project,
      state: { ...idleState(project.path), sessionId: previous?.state.sessionId ?? null },
      settings,
      ...fields,
      wanted: 'run',
      child: null,
      settled: Promise.resolve(),
      ending: null,
      crashTimes: [],
      startTimer: null,
      untilTimer: null,
      runningTaskRun: null,
      finishedTaskRuns: new Set(),
    };
    runs.set(project.path, run);
    return run;
  };

  return {
    async start(request: ProtocolRequest<'session/start'>) {
      const project = context.openedProject(request.projectPath);
      const current = stateOf(project.path);
      if (current.state !== 'idle') throw new SessionAlreadyRunningError({ projectPath: project.path, state: current.state, sessionId: current.sessionId });
      const settings = checkedSettings(project.path, request.settings ?? context.settingsOf(project));
      if (store.listBacklog(project.id).length === 0) throw new SessionBacklogEmptyError({ projectPath: project.path });
      const now = clock.now();
      const startsAt = request.startAt === undefined ? null : nextClockTime({ time: request.startAt, after: now });
      const until = request.until === undefined ? null : nextClockTime({ time: request.until, after: startsAt ?? now });
      const run = newRun(project, settings, { again: request.again ?? false, resume: request.resume ?? true });
      run.state = { ...run.state, startsAt, until };
      scheduleUntil(run);
      if (startsAt === null) {
        begin(run);
      } else {
        update(run, { state: 'scheduled' });
        run.startTimer = setTimer(() => begin(run), startsAt - now);
      }
      return run.state;
    },

    async pause(request: ProtocolRequest<'session/pause'>) {
      const project = context.openedProject(request.projectPath);
      const run = runs.get(project.path);
      const state = run?.state.state ?? 'idle';
      if (run && (state === 'paused' || state === 'pausing')) return run.state;
      if (!run || !(state === 'running' || state === 'starting' || state === 'restarting')) throw new SessionNotRunningError({ projectPath: project.path, state });
      requestStop(run, 'pause', 'pausing');
      return run.state;
    },

    async resume(request: ProtocolRequest<'session/resume'>) {
      const project = context.openedProject(request.projectPath);
      const previous = runs.get(project.path);
      const state = previous?.state.state ?? 'idle';
      if (state !== 'paused' && !(state === 'idle' && store.findUnfinishedSession(project.id) !== null)) {
        throw new SessionNothingToResumeError({ projectPath: project.path, state });
      }
      const settings = previous?.settings ?? checkedSettings(project.path, context.settingsOf(project));
      const run = newRun(project, settings, { again: previous?.again ?? false, resume: true });
      const until = previous?.state.until ?? null;
      // A paused session resumed after its end time runs on without one rather than stopping at once.
      run.state = { ...run.state, until: until !== null && until > clock.now() ? until : null };
      scheduleUntil(run);
      begin(run);
      return run.state;
    },

    async stop(request: ProtocolRequest<'session/stop'>) {
      const project = context.openedProject(request.projectPath);
      const run = runs.get(project.path);
      if (!run) return stateOf(project.path);
      const { state } = run.state;
      if (state === 'scheduled' || state === 'paused') {
        cancelTimers(run);
        update(run, { state: 'idle', startsAt: null, task: null });
      } else if (state === 'running' || state === 'starting' || state === 'restarting' || state === 'pausing') {
        requestStop(run, 'stop', 'stopping');
      }
      return run.state;
    },

    states(request: ProtocolRequest<'session/control'>) {
      if (request.projectPath !== undefined) return [stateOf(request.projectPath)];
      return [...runs.values()].map((run) => run.state);
    },

    busy() {
      return [...runs.values()].some((run) => run.state.state !== 'idle' && run.state.state !== 'paused');
    },

    async dispose() {
      disposing = true;
      await Promise.all(
        [...runs.values()].map(async (run) => {
          if (run.state.state === 'scheduled') {
            cancelTimers(run);
            update(run, { state: 'idle', startsAt: null });
          }
          const child = run.child;
          if (!child) return;
          if (run.state.state !== 'stopping' && run.state.state !== 'pausing') requestStop(run, 'stop', 'stopping');
          let timer: ReturnType<typeof setTimeout> | undefined;
          const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), stopTimeoutMs)));
          if (await Promise.race([run.settled.then(() => false), timedOut])) child.kill('SIGKILL');
          clearTimeout(timer);
          await run.settled;
          cancelTimers(run);
        }),
      );
    },
  };
}
