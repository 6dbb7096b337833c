import { NightshiftError } from '../../shared/NightshiftError.js';
import type { Decision } from '../../shared/decision.js';
import type { EngineEvent } from '../../shared/engineEventSchema.js';
import type { FailureType } from '../../shared/failureType.js';
import type { ModelRole } from '../../shared/modelRole.js';
import type { PhaseName } from '../../shared/phaseName.js';
import type { AttemptSummary, ProtocolFailure, SessionSummary } from '../../shared/protocol.js';
import type { RailResult } from '../../shared/railResultSchema.js';
import type { SessionControlState } from '../../shared/sessionControlStateSchema.js';
import type { TaskStatus } from '../../shared/taskStatus.js';
import type { NightshiftApi } from '../api/NightshiftApi.js';

/** The steps the timeline shows; the engine's `decide` and `deliver` phases share the last one. */
const TIMELINE_STEPS = ['plan', 'red', 'green', 'gates', 'review', 'decision'] as const;

/** A step of the phase timeline: plan, red, green, gates, review, decision (the engine's decide and deliver). */
export type TimelineStep = (typeof TIMELINE_STEPS)[number];

export type PhaseState = 'pending' | 'running' | 'ok' | 'failed';

export interface TimelinePhase {
  step: TimelineStep;
  state: PhaseState;
  /** Epoch milliseconds; null while pending. */
  startedAt: number | null;
  /** Epoch milliseconds; null while pending or running. */
  endedAt: number | null;
  /** The engine's one-line account of how it went (or the decision and its reason). */
  detail: string;
  /** True when the step's result was carried over from an earlier attempt, which the engine does for a plan and a verified failing test. */
  carried: boolean;
}

export interface LiveRail {
  name: RailResult['name'];
  verdict: 'passed' | 'failed' | 'skipped';
  detail: string;
  file: string | null;
  failureType: FailureType | null;
  durationMs: number | null;
}

export interface LiveCommand {
  /** Unique within the run view, for keyed rendering. */
  id: number;
  at: number;
  /** What the command was for when the engine said, else the command line. */
  label: string;
  command: string;
  durationMs: number;
  outcome: 'exited' | 'timeout' | 'cancelled' | 'spawn-error';
  exitCode: number | null;
}

export interface ProcessNotice {
  id: number;
  at: number;
  kind: 'crashed' | 'restarted';
  process: 'engine' | 'model-host';
  /** For a crash: its last words or the supervisor's explanation; empty for a restart. */
  detail: string;
  exitCode: number | null;
  signal: string | null;
  /** For a crash: whether the host is starting the process again. */
  restarting: boolean;
}

export interface LiveSession {
  id: string;
  projectPath: string;
  branch: string;
  /** Tasks in the session, whatever their status. */
  taskCount: number;
  startedAt: number;
  status: SessionSummary['status'];
  counts: Record<TaskStatus, number>;
  /** The delivery branch's commit after the last delivered task; null before the first. */
  headCommit: string | null;
}

export interface LiveTask {
  taskRunId: number;
  /** The backlog id, e.g. `T1`; empty when the view joined after the task started and has not learned it yet. */
  taskId: string;
  title: string;
  /** 1-based position among the session's tasks; null when unknown. */
  index: number | null;
  /** How it ended; null while it runs. */
  finished: { status: TaskStatus; reason: string; commit: string | null } | null;
}

export interface AttemptOutcome {
  number: number;
  decision: Decision | 'INTERRUPTED';
  failureType: FailureType | null;
  reason: string;
}

const STEP_OF: Record<PhaseName, TimelineStep> = {
  plan: 'plan',
  red: 'red',
  green: 'green',
  gates: 'gates',
  review: 'review',
  decide: 'decision',
  deliver: 'decision',
};

/** Steps the engine does not repeat in a retry once they succeeded (runTask keeps the plan and the verified red test). */
const KEPT_ACROSS_ATTEMPTS: ReadonlySet<TimelineStep> = new Set(['plan', 'red']);

/** Supervisor states in which a session is being worked on, so the view attaches to it. */
const ACTIVE_CONTROL: ReadonlySet<SessionControlState['state']> = new Set(['starting', 'running', 'pausing', 'paused', 'stopping', 'restarting']);

/** Events kept while the initial load is under way, replayed on top of it; beyond this the oldest are dropped. */
const PENDING_LIMIT = 5_000;

function emptyCounts(): Record<TaskStatus, number> {
  return { queued: 0, running: 0, done: 0, failed: 0, deadlocked: 0, escalated: 0, skipped: 0 };
}

function pendingTimeline(): TimelinePhase[] {
  return TIMELINE_STEPS.map((step) => ({ step, state: 'pending', startedAt: null, endedAt: null, detail: '', carried: false }));
}

function railOf(rail: RailResult): LiveRail {
  return {
    name: rail.name,
    verdict: rail.passed ? 'passed' : rail.skipped ? 'skipped' : 'failed',
    detail: rail.detail,
    file: rail.file ?? null,
    failureType: rail.failureType ?? null,
    durationMs: rail.durationMs ?? null,
  };
}

/**
 * The live run view: the running session, its current task and attempt, the phase timeline, the rails as
 * they land, the models' output, the attempt's diff, the commands run and process crashes. Each event is
 * folded in place with bounded, append-only lists; nothing is fetched per event, only once when the view
 * attaches to a session already under way (and once when a resumed session starts, for its counts).
 */
export class LiveRunState {
  session = $state<LiveSession | null>(null);
  /** The supervisor's state for the session's project; null when none was reported. */
  control = $state<SessionControlState | null>(null);
  task = $state<LiveTask | null>(null);
  /** The current attempt, 1-based; null before the first. */
  attempt = $state<number | null>(null);
  /** The attempt budget; null when the view joined mid-attempt and no attempt has started since. */
  maxAttempts = $state<number | null>(null);
  timeline = $state<TimelinePhase[]>(pendingTimeline());
  /** The current attempt's rails, in the order they landed; a rail reported again replaces its entry. */
  rails = $state<LiveRail[]>([]);
  /** How the current task's earlier (and, once decided, current) attempts ended. */
  attempts = $state<AttemptOutcome[]>([]);
  /** Each role's latest output for the current task, at most `outputLimit` characters. */
  output = $state<Record<ModelRole, string>>({ brain: '', coder: '', qa: '' });
  /** The role whose output arrived last; null before any. */
  streamingRole = $state<ModelRole | null>(null);
  /** The current attempt's change as a unified diff; empty until the coder has written it. */
  diff = $state('');
  /** The current task's commands, newest last, at most `commandLimit`. */
  commands = $state<LiveCommand[]>([]);
  /** Process crashes and restarts, newest last, at most `noticeLimit`. */
  notices = $state<ProcessNotice[]>([]);
  /** Epoch milliseconds the running phase's elapsed time is measured to; advanced by `tick()` and by each event. */
  now = $state(0);
  /** Why the initial load failed; null otherwise. */
  error = $state<ProtocolFailure | null>(null);
  loading = $state(false);

  /** True while a session is being worked on; the view ticks its clock only then. */
  readonly running = $derived(this.session?.status === 'running');

  readonly outputLimit: number;
  readonly commandLimit: number;
  readonly noticeLimit: number;
  readonly #api: NightshiftApi;
  readonly #clock: () => number;
  #nextId = 1;
  /** Events that arrived while `attach` was loading; null when not loading. */
  #pending: EngineEvent[] | null = null;

  constructor(options: {
    /** Where the initial load comes from. */
    api: NightshiftApi;
    /** Current epoch milliseconds, for the running phase's elapsed time. Default: `Date.now`. */
    now?: () => number;
    /** Characters of model output kept per role; older text is dropped first. Default 65,536 (64 KiB of ASCII). */
    outputLimit?: number;
    /** Commands kept for the current task. Default 200. */
    commandLimit?: number;
    /** Crash and restart notices kept. Default 50. */
    noticeLimit?: number;
  }) {
    this.#api = options.api;
    this.#clock = options.now ?? Date.now;
    this.outputLimit = options.outputLimit ?? 65_536;
    this.commandLimit = options.commandLimit ?? 200;
    this.noticeLimit = options.noticeLimit ?? 50;
    this.now = this.#clock();
  }

  /** Milliseconds a step took, or has taken so far while it runs; null while pending. */
  durationOf(phase: TimelinePhase): number | null {
    if (phase.startedAt === null) return null;
    return Math.max(0, (phase.endedAt ?? this.now) - phase.startedAt);
  }

  /** Advances the clock the running step's elapsed time is measured to. */
  tick(): void {
    this.now = this.#clock();
  }

  /**
   * Loads the session the host is running now, if any, with its current task and attempt, so a view opened
   * mid-run is not blank until the next task. Events that arrive meanwhile are applied after it. Does nothing
   * once a session is known: events keep it current from then on, and a reload would drop the streamed output.
   */
  async attach(): Promise<void> {
    if (this.#pending !== null || this.session !== null) return;
    this.#pending = [];
    this.loading = true;
    try {
      const states = await this.#api.invoke('session/control', {});
      const active = states.find((state) => state.sessionId !== null && ACTIVE_CONTROL.has(state.state));
      if (active?.sessionId) {
        const { session, tasks } = await this.#api.invoke('session/get', { id: active.sessionId });
        const running = active.task ?? null;
        const explanation = running ? await this.#api.invoke('task/explain', { taskRunId: running.taskRunId }) : null;
        this.control = active;
        this.session = {
          id: session.id,
          projectPath: session.projectPath,
          branch: session.branch,
          taskCount: tasks.length,
          startedAt: session.startedAt,
          status: session.status,
          counts: session.counts,
          headCommit: session.headCommit,
        };
        if (running && explanation) {
          const known = this.task?.taskRunId === running.taskRunId ? this.task : null;
          // Events may already have started this task here; keep the model output they streamed.
          if (known) Object.assign(known, { taskId: running.taskId, title: running.title, index: running.index });
          else this.#startTask({ taskRunId: running.taskRunId, taskId: running.taskId, title: running.title, index: running.index });
          this.#loadAttempts(explanation.attempts);
        }
      }
      this.error = null;
    } catch (error) {
      this.error = NightshiftError.toData({ error, fallback: { code: 'UNEXPECTED', hint: 'Reopen the view; if it keeps failing, restart the app.' } });
    } finally {
      const pending = this.#pending;
      this.#pending = null;
      this.loading = false;
      for (const event of pending) this.#apply(event);
    }
  }

  /** Folds one engine event into the view. */
  handleEvent(event: EngineEvent): void {
    if (this.#pending !== null) {
      this.#pending.push(event);
      if (this.#pending.length > PENDING_LIMIT) this.#pending.shift();
      return;
    }
    this.#apply(event);
  }

  dismissError(): void {
    this.error = null;
  }

  #apply(event: EngineEvent): void {
    this.now = Math.max(this.#clock(), event.at);
    switch (event.type) {
      case 'session/started': {
        const counts = emptyCounts();
        counts.queued = event.taskCount;
        this.session = {
          id: event.sessionId,
          projectPath: event.projectPath,
          branch: event.branch,
          taskCount: event.taskCount,
          startedAt: event.at,
          status: 'running',
          counts,
          headCommit: null,
        };
        this.task = null;
        this.#resetTask();
        if (event.resumed) void this.#loadCounts(event.sessionId);
        return;
      }
      case 'task/started': {
        const session = this.session;
        if (session && session.counts.queued > 0) {
          session.counts.queued -= 1;
          session.counts.running += 1;
        }
        const index = this.control?.task?.taskRunId === event.taskRunId ? this.control.task.index : session ? session.taskCount - session.counts.queued : null;
        this.#startTask({ taskRunId: event.taskRunId, taskId: event.taskId, title: event.title, index });
        return;
      }
      case 'attempt/started':
        this.#taskFor(event.taskRunId);
        this.#startAttempt(event.attempt);
        this.maxAttempts = event.maxAttempts;
        return;
      case 'phase/started': {
        this.#attemptFor(event.taskRunId, event.attempt);
        const phase = this.#phase(STEP_OF[event.phase]);
        // Delivery continues the decision step, so it keeps the decision's start.
        phase.startedAt = event.phase === 'deliver' && phase.startedAt !== null ? phase.startedAt : event.at;
        phase.endedAt = null;
        phase.state = 'running';
        phase.carried = false;
        return;
      }
      case 'phase/finished': {
        this.#attemptFor(event.taskRunId, event.attempt);
        const phase = this.#phase(STEP_OF[event.phase]);
        phase.startedAt ??= event.at;
        phase.endedAt = event.at;
        phase.state = event.ok ? 'ok' : 'failed';
        phase.detail = event.detail;
        phase.carried = false;
        return;
      }
      case 'rail/result': {
        this.#attemptFor(event.taskRunId, event.attempt);
        const rail = railOf(event.rail);
        const index = this.rails.findIndex((each) => each.name === rail.name);
        if (index === -1) this.rails.push(rail);
        else this.rails[index] = rail;
        return;
      }
      case 'attempt/diff':
        this.#attemptFor(event.taskRunId, event.attempt);
        this.diff = event.diff;
        return;
      case 'attempt/decided': {
        this.#attemptFor(event.taskRunId, event.attempt);
        const phase = this.#phase('decision');
        phase.startedAt ??= event.at;
        phase.endedAt = event.at;
        phase.state = event.decision === 'COMMIT' ? 'ok' : 'failed';
        phase.detail = `${event.decision}: ${event.reason}`;
        this.#recordOutcome({ number: event.attempt, decision: event.decision, failureType: event.failureType ?? null, reason: event.reason });
        return;
      }
      case 'model/token': {
        if (this.task?.taskRunId !== event.taskRunId) this.#taskFor(event.taskRunId);
        const text = this.output[event.role] + event.text;
        this.output[event.role] = text.length > this.outputLimit ? text.slice(-this.outputLimit) : text;
        this.streamingRole = event.role;
        return;
      }
      case 'command/finished': {
        if (event.taskRunId !== undefined && this.task?.taskRunId !== event.taskRunId) return;
        this.commands.push({
          id: this.#nextId++,
          at: event.at,
          label: event.label ?? event.command,
          command: event.command,
          durationMs: event.durationMs,
          outcome: event.outcome,
          exitCode: event.exitCode,
        });
        if (this.commands.length > this.commandLimit) this.commands.splice(0, this.commands.length - this.commandLimit);
        return;
      }
      case 'task/finished': {
        const session = this.session;
        if (session) {
          if (session.counts.running > 0) session.counts.running -= 1;
          session.counts[event.status] += 1;
          if (event.commit) session.headCommit = event.commit;
        }
        const task = this.#taskFor(event.taskRunId);
        if (task.taskId === '') task.taskId = event.taskId;
        task.finished = { status: event.status, reason: event.reason, commit: event.commit ?? null };
        for (const phase of this.timeline) {
          if (phase.state === 'running') {
            phase.state = event.status === 'done' ? 'ok' : 'failed';
            phase.endedAt = event.at;
          }
        }
        return;
      }
      case 'session/finished': {
        const session = this.session;
        if (!session || session.id !== event.sessionId) return;
        session.status = event.status;
        session.counts = { ...emptyCounts(), ...event.counts };
        session.headCommit = event.headCommit;
        session.branch = event.branch;
        return;
      }
      case 'process/crashed':
        this.#notice({ at: event.at, kind: 'crashed', process: event.process, detail: event.detail, exitCode: event.exitCode, signal: event.signal, restarting: event.restarting });
        return;
      case 'process/restarted':
        this.#notice({ at: event.at, kind: 'restarted', process: event.process, detail: '', exitCode: null, signal: null, restarting: false });
        return;
      case 'control/state': {
        const state = event.state;
        const mine = this.session === null || state.projectPath === this.session.projectPath || state.sessionId === this.session.id;
        if (!mine && !ACTIVE_CONTROL.has(state.state)) return;
        this.control = state;
        if (state.task && this.task?.taskRunId === state.task.taskRunId) this.task.index = state.task.index;
        return;
      }
      case 'log':
        return;
    }
  }

  async #loadCounts(sessionId: string): Promise<void> {
    try {
      const { session, tasks } = await this.#api.invoke('session/get', { id: sessionId });
      const current = this.session;
      if (current?.id !== sessionId) return;
      current.counts = session.counts;
      current.taskCount = tasks.length;
      current.headCommit = session.headCommit;
      // The provisional index counted from a fresh session's queue is wrong for a resumed one; the records' order is right.
      const position = tasks.findIndex((each) => each.id === this.task?.taskRunId);
      if (this.task && position !== -1) this.task.index = position + 1;
    } catch (error) {
      this.error = NightshiftError.toData({ error, fallback: { code: 'UNEXPECTED', hint: 'The counts show what the view saw since it opened.' } });
    }
  }

  #startTask(task: Omit<LiveTask, 'finished'>): void {
    this.task = { ...task, finished: null };
    this.#resetTask();
  }

  #resetTask(): void {
    this.attempt = null;
    this.maxAttempts = null;
    this.timeline = pendingTimeline();
    this.rails = [];
    this.attempts = [];
    this.output = { brain: '', coder: '', qa: '' };
    this.streamingRole = null;
    this.diff = '';
    this.commands = [];
  }

  /** The current task, replaced by a bare one when events name another task run (the view missed its start). */
  #taskFor(taskRunId: number): LiveTask {
    if (this.task?.taskRunId === taskRunId) return this.task;
    const known = this.control?.task?.taskRunId === taskRunId ? this.control.task : null;
    this.#startTask({ taskRunId, taskId: known?.taskId ?? '', title: known?.title ?? '', index: known?.index ?? null });
    return this.task!;
  }

  #attemptFor(taskRunId: number, attempt: number): void {
    this.#taskFor(taskRunId);
    if (this.attempt !== attempt) this.#startAttempt(attempt);
  }

  #startAttempt(attempt: number): void {
    if (this.attempt === attempt) return;
    const previous = this.attempt;
    this.attempt = attempt;
    this.rails = [];
    this.diff = '';
    this.timeline = this.timeline.map((phase) =>
      previous !== null && KEPT_ACROSS_ATTEMPTS.has(phase.step) && phase.state === 'ok'
        ? { ...phase, carried: true }
        : { step: phase.step, state: 'pending', startedAt: null, endedAt: null, detail: '', carried: false },
    );
  }

  #phase(step: TimelineStep): TimelinePhase {
    return this.timeline[TIMELINE_STEPS.indexOf(step)]!;
  }

  #recordOutcome(outcome: AttemptOutcome): void {
    const index = this.attempts.findIndex((each) => each.number === outcome.number);
    if (index === -1) this.attempts.push(outcome);
    else this.attempts[index] = outcome;
  }

  /** Rebuilds the task's attempts from its records, for a view that joined mid-task. */
  #loadAttempts(attempts: AttemptSummary[]): void {
    for (const summary of attempts) {
      this.#startAttempt(summary.number);
      for (const record of summary.phases) {
        const phase = this.#phase(STEP_OF[record.phase]);
        phase.startedAt = record.phase === 'deliver' && phase.startedAt !== null ? phase.startedAt : record.startedAt;
        phase.endedAt = record.endedAt;
        phase.state = record.endedAt === null ? 'running' : record.ok ? 'ok' : 'failed';
        phase.detail = record.detail;
        phase.carried = false;
      }
      this.rails = summary.rails.map(railOf);
      this.diff = summary.diff;
      if (summary.decision !== null) {
        this.#recordOutcome({ number: summary.number, decision: summary.decision, failureType: summary.failureType, reason: summary.feedback });
      }
    }
  }

  #notice(notice: Omit<ProcessNotice, 'id'>): void {
    this.notices.push({ id: this.#nextId++, ...notice });
    if (this.notices.length > this.noticeLimit) this.notices.splice(0, this.notices.length - this.noticeLimit);
  }
}
