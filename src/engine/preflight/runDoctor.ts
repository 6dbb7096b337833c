import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { NightshiftError } from '../../shared/NightshiftError.js';
import type { EngineDeps } from '../createEngine.js';
import { prepareWorkspace, type PreparedWorkspace } from '../loop/prepareWorkspace.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import { checkBacklog } from './checkBacklog.js';
import { checkDiskSpace } from './checkDiskSpace.js';
import { checkModels } from './checkModels.js';
import { checkRepository } from './checkRepository.js';
import type { PreflightCheck } from './PreflightCheck.js';
import type { PreflightReport } from './PreflightReport.js';
import { runPreflight } from './runPreflight.js';

/**
 * The preflight alone, as `nightshift doctor` runs it: the same checks a night runs before its first
 * task, plus the backlog, in a throwaway workspace at HEAD and sandbox. Records nothing. Checks that
 * cannot run because an earlier one failed (no repository, no sandbox) are left out.
 */
export async function runDoctor(options: {
  deps: Pick<EngineDeps, 'models' | 'vcs' | 'createSandbox' | 'workspacesDir'>;
  /** The user's repository. */
  projectDir: string;
  /** Backlog file relative to the project root (or absolute). Default: `tasksFile` from nightshift.json. */
  tasksFile?: string;
  /** Report a failing suite at HEAD as a warning, as `run --allow-failing-baseline` would. */
  allowFailingBaseline?: boolean;
  signal?: AbortSignal;
}): Promise<PreflightReport> {
  const { deps } = options;
  const disk = await checkDiskSpace({ dir: deps.workspacesDir });
  const finish = (checks: PreflightCheck[]): PreflightReport => ({ ok: checks.every((check) => check.status !== 'failed'), checks });
  const repoChecks = await checkRepository({ vcs: deps.vcs, repoDir: options.projectDir });
  if (repoChecks[0]?.status === 'failed') return finish([disk, ...repoChecks]);
  const repo = await deps.vcs.inspectRepo({ repoDir: options.projectDir });

  const name = `doctor-${randomUUID().slice(0, 8)}`;
  let prepared: PreparedWorkspace;
  try {
    prepared = await prepareWorkspace({ vcs: deps.vcs, workspacesDir: deps.workspacesDir, root: repo.root, name, commitOid: repo.headOid });
  } catch (error) {
    if (!(error instanceof NightshiftError)) throw error;
    return finish([disk, ...repoChecks, { id: 'config', title: 'project config and test stack', status: 'failed', detail: error.message, fix: error.hint }]);
  }
  const backlog = await checkBacklog({ root: repo.root, file: options.tasksFile ?? prepared.config.tasksFile });
  const signal = options.signal ? { signal: options.signal } : {};
  let sandbox: Sandbox | null = null;
  try {
    try {
      sandbox = await deps.createSandbox({ sessionId: name, ...prepared });
    } catch (error) {
      if (!(error instanceof NightshiftError)) throw error;
      const models = await checkModels({ models: deps.models, ...signal });
      const failed: PreflightCheck = { id: 'sandbox', title: 'sandbox starts', status: 'failed', component: 'sandbox', detail: error.message, fix: error.hint };
      return finish([disk, ...repoChecks, backlog, ...models, failed]);
    }
    const { report } = await runPreflight({
      models: deps.models,
      sandbox,
      workspaceDir: prepared.workspaceDir,
      config: prepared.config,
      stack: prepared.stack,
      workspacesDir: deps.workspacesDir,
      vcs: deps.vcs,
      repoDir: repo.root,
      commitOid: repo.headOid,
      allowFailingBaseline: options.allowFailingBaseline === true,
      ...signal,
    });
    const afterRepo = report.checks.findLastIndex((check) => ['repository', 'submodules', 'lfs'].includes(check.id)) + 1;
    return finish([...report.checks.slice(0, afterRepo), backlog, ...report.checks.slice(afterRepo)]);
  } finally {
    await sandbox?.dispose();
    await rm(join(deps.workspacesDir, name), { recursive: true, force: true });
  }
}
