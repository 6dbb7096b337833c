import { NightshiftError } from '../../shared/NightshiftError.js';

/** Materializing into a non-empty folder would mix stale files into the checkout. */
export class WorkspaceNotEmptyError extends NightshiftError {
  constructor(options: { workspaceDir: string }) {
    super({
      code: 'WORKSPACE_NOT_EMPTY',
      message: `Workspace ${options.workspaceDir} already exists and is not an empty folder.`,
      hint: 'Use a fresh workspace path, or remove the old workspace first.',
      context: { workspaceDir: options.workspaceDir },
    });
  }
}
