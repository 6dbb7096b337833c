import type { EngineEvent } from '../../../shared/engineEventSchema.js';
import type { ProjectConfig } from '../../../shared/projectConfigSchema.js';
import type { TestReport } from '../../../shared/testReportSchema.js';
import type { EngineDeps } from '../../createEngine.js';
import type { Sandbox } from '../../../shared/sandbox/Sandbox.js';
import type { SessionRecord, TaskRunRecord } from '../../ports/Store.js';
import type { PreflightCheck } from '../../preflight/PreflightCheck.js';
import type { StackProfile } from '../../../shared/StackProfile.js';

/** What one task run needs from the session around it. */
export interface TaskContext extends Pick<EngineDeps, 'models' | 'store' | 'vcs' | 'clock' | 'prompts'> {
  /** The session's sandbox. */
  sandbox: Sandbox;
  session: SessionRecord;
  taskRun: TaskRunRecord;
  /** Absolute path of the user's repository root. */
  repoRoot: string;
  workspaceDir: string;
  reportsDir: string;
  /** Commit the delivery branch points to now; the workspace holds its tree when the task starts. */
  headOid: string;
  /**
   * The suite's report per commit for this session (null: none could be read), so the baseline the suite
   * rail compares with is run once per commit; a delivered commit's entry is the report its gates produced.
   */
  baselines: Map<string, TestReport | null>;
  /** What the delivery branch is expected to point to before this task's commit (null: not created). */
  expectedBranchOid: string | null;
  stack: StackProfile;
  config: ProjectConfig;
  emit: (event: EngineEvent) => void;
  /**
   * Re-runs the cheap environment checks (sandbox, runner, declared dependencies) after an `environment`
   * failure: the first that fails, or null. A failed one makes the failure the environment's, not the model's.
   */
  recheckEnvironment?: () => Promise<PreflightCheck | null>;
  signal?: AbortSignal;
}
