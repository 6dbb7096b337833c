import type { EngineEvent } from '../../shared/engineEventSchema.js';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { TestReport } from '../../shared/testReportSchema.js';
import type { Clock } from '../ports/Clock.js';
import type { ModelClient } from '../../shared/model/ModelClient.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { Store } from '../ports/Store.js';
import type { Vcs } from '../ports/Vcs.js';
import type { StackProfile } from '../../shared/StackProfile.js';
import { describePreflightFailure } from './describePreflightFailure.js';
import type { PreflightReport } from './PreflightReport.js';
import { runPreflight } from './runPreflight.js';

/**
 * A session's preflight before its first task: runs the checks, logs each one that is not ok, caches the
 * suite's baseline for the starting commit, and records the session `blocked` with the failed checks and
 * their fixes when the night cannot succeed. Returns the report and, when blocked, the recorded reason.
 */
export async function preflightSession(options: {
  sessionId: string;
  store: Store;
  clock: Clock;
  models: ModelClient;
  vcs: Vcs;
  /** The session's (recording) sandbox. */
  sandbox: Sandbox;
  repoRoot: string;
  workspaceDir: string;
  workspacesDir: string;
  config: ProjectConfig;
  stack: StackProfile;
  /** The commit the next task starts from. */
  headOid: string;
  /** The session's baseline cache; the preflight's suite run fills it for `headOid`. */
  baselines: Map<string, TestReport | null>;
  allowFailingBaseline?: boolean;
  emit: (event: EngineEvent) => void;
  signal?: AbortSignal;
}): Promise<{ report: PreflightReport; blockedReason: string | null }> {
  const { clock } = options;
  const { report, baseline } = await runPreflight({
    models: options.models,
    sandbox: options.sandbox,
    workspaceDir: options.workspaceDir,
    config: options.config,
    stack: options.stack,
    workspacesDir: options.workspacesDir,
    vcs: options.vcs,
    repoDir: options.repoRoot,
    commitOid: options.headOid,
    allowFailingBaseline: options.allowFailingBaseline === true,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (baseline !== undefined) options.baselines.set(options.headOid, baseline);
  for (const check of report.checks) {
    if (check.status === 'ok') continue;
    const message = `preflight: ${check.title}: ${check.detail.split('\n')[0] ?? ''}${check.fix ? ` Fix: ${check.fix}` : ''}`;
    options.emit({ type: 'log', at: clock.now(), level: check.status === 'failed' ? 'error' : 'warn', message });
  }
  if (report.ok) return { report, blockedReason: null };
  const blockedReason = describePreflightFailure({ report });
  options.store.updateSession(options.sessionId, { status: 'blocked', reason: blockedReason, endedAt: clock.now() });
  return { report, blockedReason };
}
