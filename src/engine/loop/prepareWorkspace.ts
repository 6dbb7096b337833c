import { existsSync } from 'node:fs';
import { mkdir, realpath, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { Vcs } from '../ports/Vcs.js';
import { detectStack } from '../stack/detectStack.js';
import type { StackProfile } from '../../shared/StackProfile.js';
import { loadProjectConfig } from '../stack/loadProjectConfig.js';

export interface PreparedWorkspace {
  workspaceDir: string;
  config: ProjectConfig;
  stack: StackProfile;
  /** Host folders the workspace links to. */
  readOnlyDirs: string[];
}

/**
 * A fresh workspace at `commitOid` under `workspacesDir/<name>`, with the project's config and test stack
 * read from it and the project's ignored dependency folders linked in. Nothing is left behind on failure.
 */
export async function prepareWorkspace(options: {
  vcs: Vcs;
  /** Folder for private workspaces (from `openDataDir`). */
  workspacesDir: string;
  /** The user's repository root. */
  root: string;
  /** The workspace's folder name: the session id. */
  name: string;
  commitOid: string;
}): Promise<PreparedWorkspace> {
  const workspaceDir = join(options.workspacesDir, options.name);
  await rm(workspaceDir, { recursive: true, force: true });
  try {
    await options.vcs.materialize({ repoDir: options.root, commitOid: options.commitOid, workspaceDir });
    const config = await loadProjectConfig({ root: workspaceDir });
    const readOnlyDirs = await linkDependencyDirs(options.root, workspaceDir, config.linkDirs);
    const stack = await detectStack({ root: workspaceDir, config });
    return { workspaceDir, config, stack, readOnlyDirs };
  } catch (error) {
    await rm(workspaceDir, { recursive: true, force: true });
    throw error;
  }
}

/** Links the project's ignored dependency folders into the workspace; returns the linked host folders. */
async function linkDependencyDirs(root: string, workspaceDir: string, dirs: string[]): Promise<string[]> {
  const linked: string[] = [];
  for (const dir of dirs) {
    const source = join(root, dir);
    const target = join(workspaceDir, dir);
    if (existsSync(source) && !existsSync(target)) {
      // The link names the real folder: that is what a sandbox mounts, so the link resolves inside it too.
      const real = await realpath(source);
      await mkdir(join(target, '..'), { recursive: true });
      await symlink(real, target, 'dir');
      linked.push(real);
    }
  }
  return linked;
}
