import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { GateReport } from '../shared/gateReportSchema.js';
import type { TaskSpec } from '../shared/taskSpecSchema.js';
import { checkPathSafety } from './gates/checkPathSafety.js';
import { runGates } from './gates/runGates.js';
import { formatTaskText } from './loop/formatTaskText.js';
import type { Sandbox } from '../shared/sandbox/Sandbox.js';
import type { SandboxFactory } from '../shared/sandbox/SandboxFactory.js';
import type { Vcs } from './ports/Vcs.js';
import { detectStack } from './stack/detectStack.js';
import { loadProjectConfig } from './stack/loadProjectConfig.js';
import { runTestsWithReport } from './testing/runTestsWithReport.js';
import { changesFromUnifiedDiff } from './workspace/changesFromUnifiedDiff.js';
import { writeChanges } from './workspace/writeChanges.js';

/**
 * The deterministic rails alone, on a unified diff applied to the repository's HEAD in a throwaway
 * workspace (`nightshift gate`). The repository is only read.
 */
export async function checkPatch(options: {
  /** The repository root. */
  repoDir: string;
  /** The task the patch claims to do; `targetFiles` are the planned files (empty: every file the patch modifies). */
  task: TaskSpec;
  /** Unified diff text (`git diff` style). */
  patch: string;
  vcs: Vcs;
  /** Makes the sandbox the rails' commands run in. */
  createSandbox: SandboxFactory;
  /** Parent folder for the throwaway workspace. */
  scratchDir: string;
  signal?: AbortSignal;
}): Promise<GateReport> {
  const repo = await options.vcs.inspectRepo({ repoDir: options.repoDir });
  const changes = await changesFromUnifiedDiff({
    patch: options.patch,
    // A path that cannot name a tracked file (absolute, climbing out) reads as absent; the path-safety
    // rail then reports it instead of the patch failing to parse.
    readBefore: async (path) =>
      isPlainRelative(path) ? options.vcs.readFileAt({ repoDir: repo.root, commitOid: repo.headOid, path }) : null,
  });
  await mkdir(options.scratchDir, { recursive: true });
  const workspaceDir = join(await mkdtemp(join(options.scratchDir, 'gate-')), 'ws');
  let sandbox: Sandbox | null = null;
  try {
    await options.vcs.materialize({ repoDir: repo.root, commitOid: repo.headOid, workspaceDir });
    const config = await loadProjectConfig({ root: workspaceDir });
    if (options.task.testCommand) config.testCommand = options.task.testCommand;
    const readOnlyDirs: string[] = [];
    for (const dir of config.linkDirs) {
      if (existsSync(join(repo.root, dir)) && !existsSync(join(workspaceDir, dir))) {
        const real = await realpath(join(repo.root, dir));
        await symlink(real, join(workspaceDir, dir), 'dir');
        readOnlyDirs.push(real);
      }
    }
    const stack = await detectStack({ root: workspaceDir, config });
    // Only a change the path-safety rail accepts is written: no symlink, binary or file/folder clash on disk.
    const safe = checkPathSafety({ workspaceDir, changes }).passed;
    sandbox = await options.createSandbox({ sessionId: `gate-${process.pid}`, workspaceDir, stack, config, readOnlyDirs });
    // The suite at HEAD, before the patch: what the suite rail holds the patched suite to.
    const baseline = safe ? await runTestsWithReport({ sandbox, workspaceDir, config, stack, label: 'baseline', ...(options.signal ? { signal: options.signal } : {}) }) : null;
    if (safe) await writeChanges({ root: workspaceDir, changes, side: 'after' });
    const planned = options.task.targetFiles.length > 0 ? options.task.targetFiles : changes.map((change) => change.path);
    return await runGates({
      taskText: formatTaskText({ task: options.task }),
      baseline: baseline?.report ?? null,
      workspaceDir,
      changes,
      scope: { plannedFiles: planned, testFiles: changes.map((change) => change.path).filter((path) => stack.isTestFile(path)) },
      stack,
      config,
      sandbox,
      applied: safe,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    await sandbox?.dispose();
    await rm(join(workspaceDir, '..'), { recursive: true, force: true });
  }
}

function isPlainRelative(path: string): boolean {
  return path.length > 0 && !path.startsWith('/') && !/^[A-Za-z]:/.test(path) && !path.split(/[\\/]/).some((part) => part === '..' || part === '');
}
