import { basename } from 'node:path';
import { NightshiftError } from '../shared/NightshiftError.js';
import type { HostContext } from './HostContext.js';
import type { HostHandlers } from './HostHandlers.js';
import { realProjectRoot } from './realProjectRoot.js';

type ProjectHandlers = Pick<HostHandlers, 'project/open' | 'project/list' | 'project/inspect' | 'project/baseline' | 'project/settings' | 'project/forget'>;

/** The `project/*` messages: opening folders, the recent list, what a project is and how its sessions run. */
export function createProjectHandlers(options: { context: HostContext }): ProjectHandlers {
  const { store, clock } = options.context;
  const notYet = (name: string): never => {
    throw new NightshiftError({ code: 'NOT_BUILT', message: `${name} is being built.`, hint: 'Temporary during development.' });
  };
  return {
    'project/open': ({ path }) => {
      const root = realProjectRoot(path);
      const project = store.upsertProject({ path: root, name: basename(root), now: clock.now() });
      return { id: project.id, path: project.path, name: project.name };
    },
    'project/list': () => notYet('project/list'),
    'project/inspect': () => notYet('project/inspect'),
    'project/baseline': () => notYet('project/baseline'),
    'project/settings': () => notYet('project/settings'),
    'project/forget': () => notYet('project/forget'),
  };
}
