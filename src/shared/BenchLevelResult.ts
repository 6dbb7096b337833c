import type { ModelRole } from './modelRole.js';
import type { NightshiftErrorData } from './NightshiftErrorData.js';
import type { TaskStatus } from './taskStatus.js';

/** One task of a benchmark level's run. */
export interface BenchTaskResult {
  taskId: string;
  status: TaskStatus;
  attempts: number;
  /** Committed on its first attempt. */
  firstAttempt: boolean;
  delivered: boolean;
  /** The task's hidden acceptance tests on the delivered branch; null when the task was not delivered. */
  hidden: { passed: number; failed: number; total: number; output: string } | null;
  /** Delivered, yet its hidden tests do not all pass. */
  falseGo: boolean;
  /** Failure type of each failed attempt, in order. */
  failureTypes: string[];
  /** Rails that failed, with how many times, over the task's attempts. */
  railsFired: Record<string, number>;
  /**
   * What refused the task when it was not delivered: the last failing rail, else the last failure type, else
   * why it never ran (`skipped: dependency T1 ended deadlocked`); null when delivered.
   */
  refusedBy: string | null;
  /**
   * What refused each attempt, in order (its last failing rail, else its failure type); null for an attempt that
   * was not refused. Absent in runs stored before it was recorded.
   */
  attemptRefusedBy?: Array<string | null>;
}

/** What `runBenchLevel` measured for one level in one rails mode (`nightshift bench run`). */
export interface BenchLevelResult {
  levelId: string;
  rails: 'on' | 'off';
  /** The session that ran the backlog; null when the environment stopped it before one was recorded. */
  sessionId: string | null;
  /** Wall time of the session, milliseconds. */
  wallMs: number;
  tasks: BenchTaskResult[];
  committed: number;
  total: number;
  hiddenPassed: number;
  /**
   * Hidden tests of every task, delivered or not, as their runner reported them on the branch's head; a
   * hidden file that cannot even load there (its module was never written) counts as one.
   */
  hiddenTotal: number;
  /** Tasks committed on their first attempt over all tasks, 0..1. */
  firstRunPassRate: number;
  /** Attempts spent per task, on average. */
  attemptsPerTask: number;
  deadlocks: number;
  escalations: number;
  falseGo: number;
  failuresByType: Record<string, number>;
  failuresByRail: Record<string, number>;
  /** The session's wall time split: model calls, sandboxed commands (tests, lint, ...), and the rest. Milliseconds. */
  time: { modelMs: number; testsMs: number; harnessMs: number };
  /**
   * Of `time.harnessMs`, what passed before the first task began, milliseconds: the preflight's model probes,
   * the model process's start and the models' loading (the preflight's commands count in `testsMs`). Absent in
   * runs stored before it was measured.
   */
  setupMs?: number;
  /** The model behind each role, as the session recorded it; absent when no session was recorded. */
  models?: Partial<Record<ModelRole, { model: string; backend: string }>>;
  /** Time outside model calls and commands, as a fraction of each attempt's wall time. */
  harnessOverheadPerAttempt: { median: number; max: number };
  tokens: Partial<Record<ModelRole, { promptTokens: number; outputTokens: number; tokensPerSecond: number }>>;
  /** Why the environment, not the model, stopped the level (a package the sandbox cannot get, preflight blocked); null otherwise. */
  environmentError: NightshiftErrorData | null;
}
