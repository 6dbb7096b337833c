import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runBaselineCheck } from '../engine/preflight/runBaselineCheck.js';
import { createGitVcs } from '../engine/vcs/createGitVcs.js';
import { createSandboxFactory } from '../sandbox/createSandboxFactory.js';
import type { ProjectSummary } from '../shared/protocol.js';
import { checkProjectSettings } from './checkProjectSettings.js';
import type { HostContext } from './HostContext.js';
import type { HostHandlers } from './HostHandlers.js';
import { inspectProject } from './inspectProject.js';
import { realProjectRoot } from './realProjectRoot.js';
import { sandboxOverridesOf } from './sandboxOverridesOf.js';

type ProjectHandlers = Pick<HostHandlers, 'project/open' | 'project/list' | 'project/inspect' | 'project/baseline' | 'project/settings' | 'project/forget'>;

/** The `project/*` messages: opening folders, the recent list, what a project is and how its sessions run. */
export function createProjectHandlers(options: { context: HostContext }): ProjectHandlers {
  const { context } = options;
  const { store, clock } = context;
  // Reads only, and materializes throwaway workspaces: nothing here moves a ref.
  const vcs = createGitVcs();
  const workspacesDir = join(context.dataDir, 'workspaces');

  const recentProjects = (): ProjectSummary[] =>
    store.listRecentProjects().map(({ id, path, name, lastOpenedAt, sessions, backlogTasks }) => ({
      id,
      path,
      name,
      lastOpenedAt,
      sessions,
      backlogTasks,
      available: existsSync(join(path, '.git')),
    }));

  return {
    'project/open': ({ path }) => {
      const root = realProjectRoot(path);
      const project = store.upsertProject({ path: root, name: basename(root), now: clock.now() });
      return { id: project.id, path: project.path, name: project.name };
    },

    'project/list': () => recentProjects(),

    'project/inspect': ({ projectPath }) => inspectProject({ context, vcs, project: context.openedProject(projectPath) }),

    'project/baseline': async ({ projectPath }) => {
      const project = context.openedProject(projectPath);
      const baseline = await runBaselineCheck({
        vcs,
        workspacesDir,
        repoDir: project.path,
        createSandbox: createSandboxFactory(sandboxOverridesOf({ settings: context.settingsOf(project) })),
        now: () => clock.now(),
      });
      store.recordBaseline({ projectId: project.id, baseline });
      return baseline;
    },

    'project/settings': async ({ projectPath, settings }) => {
      const project = context.openedProject(projectPath);
      const checked = await checkProjectSettings({ settings, vcs, repoDir: project.path });
      store.saveProjectSettings({ projectId: project.id, settings: checked, now: clock.now() });
      return inspectProject({ context, vcs, project });
    },

    'project/forget': ({ projectPath }) => {
      store.forgetProject(context.openedProject(projectPath).id);
      return recentProjects();
    },
  };
}
