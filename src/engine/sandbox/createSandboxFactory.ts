import { homedir } from 'node:os';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { Sandbox } from '../ports/Sandbox.js';
import type { SandboxFactory } from '../ports/SandboxFactory.js';
import { cleanOrphanSandboxes } from './docker/cleanOrphanSandboxes.js';
import { createDockerSandbox } from './docker/createDockerSandbox.js';
import { discoverDockerEndpoint } from './docker/discoverDockerEndpoint.js';
import { ensureSandboxImage } from './docker/ensureSandboxImage.js';
import { chooseSandbox } from './native/chooseSandbox.js';

/**
 * The sandbox policy: per session, the project's choice (nightshift.json `sandbox`, default `auto`:
 * Docker, else the native sandbox, else refuse unless `allowUnsandboxed`), unless the caller overrides it
 * (the CLI's `--sandbox` and `--allow-unsandboxed`). Docker gets the project's `sandboxImage`, else the
 * stack's image, built on demand; containers orphaned by a killed session are removed first.
 */
export function createSandboxFactory(options: {
  /** Overrides the project's `sandbox`. */
  preference?: ProjectConfig['sandbox'];
  /** Overrides the project's `allowUnsandboxed`. */
  allowUnsandboxed?: boolean;
  /** Image build output, for a progress display. */
  onProgress?: (message: string) => void;
  /** Told which sandboxes were passed over under `auto`, and why. */
  onPassedOver?: (passedOver: Array<{ kind: string; reason: string }>) => void;
} = {}): SandboxFactory {
  return async ({ sessionId, workspaceDir, stack, config, readOnlyDirs }) => {
    const createDocker = async (): Promise<Sandbox> => {
      const { docker } = await discoverDockerEndpoint({ env: process.env, homeDir: homedir(), platform: process.platform });
      await cleanOrphanSandboxes({ docker });
      const { image } = config.sandboxImage
        ? { image: config.sandboxImage }
        : await ensureSandboxImage({
            docker,
            stack: stack.sourceLanguage === 'python' ? 'python' : 'node',
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          });
      return createDockerSandbox({ docker, image, workspaceDir, sessionId, readOnlyDirs });
    };
    const { sandbox, passedOver } = await chooseSandbox({
      preference: options.preference ?? config.sandbox,
      allowUnsandboxed: options.allowUnsandboxed ?? config.allowUnsandboxed,
      workspaceDir,
      readOnlyDirs,
      createDocker,
    });
    if (passedOver.length > 0) options.onPassedOver?.(passedOver);
    return sandbox;
  };
}
