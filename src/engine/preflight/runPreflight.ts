import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { TestReport } from '../../shared/testReportSchema.js';
import type { ModelClient } from '../../shared/model/ModelClient.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { Vcs } from '../ports/Vcs.js';
import type { StackProfile } from '../../shared/StackProfile.js';
import { checkBaseline } from './checkBaseline.js';
import { checkDiskSpace } from './checkDiskSpace.js';
import { checkModels } from './checkModels.js';
import { checkRepository } from './checkRepository.js';
import { checkSandboxEnvironment } from './checkSandboxEnvironment.js';
import type { PreflightCheck } from './PreflightCheck.js';
import type { PreflightReport } from './PreflightReport.js';

/**
 * Everything a night needs, checked before its first task: disk space, the repository, each model role,
 * the sandbox with the test runner and declared dependencies, and the suite at the starting commit. The
 * suite is not run when the sandbox or runner already failed. `baseline` is the suite's report for the
 * suite rail's cache, present when the suite ran to an end.
 */
export async function runPreflight(options: {
  models: ModelClient;
  sandbox: Sandbox;
  /** The workspace at the starting commit. */
  workspaceDir: string;
  config: ProjectConfig;
  stack: StackProfile;
  /** Folder the workspaces live in, for the disk check. */
  workspacesDir: string;
  /** With `repoDir`: check the user's repository too. */
  vcs?: Vcs;
  repoDir?: string;
  /** Commit the night starts from. Default: HEAD. */
  commitOid?: string;
  /** Let a failing suite at the starting commit through as a warning. Default false. */
  allowFailingBaseline?: boolean;
  /** Limit per model probe in milliseconds. Default: checkModels' (300000). */
  modelTimeoutMs?: number;
  signal?: AbortSignal;
}): Promise<{ report: PreflightReport; baseline?: TestReport | null }> {
  const signal = options.signal ? { signal: options.signal } : {};
  const checks: PreflightCheck[] = [await checkDiskSpace({ dir: options.workspacesDir })];
  if (options.vcs && options.repoDir) {
    checks.push(
      ...(await checkRepository({ vcs: options.vcs, repoDir: options.repoDir, ...(options.commitOid ? { commitOid: options.commitOid } : {}) })),
    );
  }
  checks.push(...(await checkModels({ models: options.models, ...(options.modelTimeoutMs ? { timeoutMs: options.modelTimeoutMs } : {}), ...signal })));
  const environment = await checkSandboxEnvironment({ ...options, ...signal });
  checks.push(...environment);
  let baseline: TestReport | null | undefined;
  const ready = ['sandbox', 'runner'].every((id) => environment.find((check) => check.id === id)?.status === 'ok');
  if (ready) {
    const result = await checkBaseline({ ...options, allowFailing: options.allowFailingBaseline === true, ...signal });
    checks.push(result.check);
    baseline = result.report;
  }
  const report: PreflightReport = { ok: checks.every((check) => check.status !== 'failed'), checks };
  return baseline === undefined ? { report } : { report, baseline };
}
