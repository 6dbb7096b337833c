import type { ProjectConfig } from '../projectConfigSchema.js';
import type { StackProfile } from '../StackProfile.js';
import type { Sandbox } from './Sandbox.js';

/**
 * Makes the sandbox one session's commands run in, once its workspace exists (Docker mounts it, bubblewrap
 * confines writes to it). The engine disposes it when the session ends.
 */
export type SandboxFactory = (options: {
  sessionId: string;
  /** Absolute path of the session's workspace. */
  workspaceDir: string;
  stack: StackProfile;
  config: ProjectConfig;
  /** Host directories the workspace links to (dependency folders), to be visible read-only. */
  readOnlyDirs: string[];
}) => Promise<Sandbox>;
