import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { SandboxLimits } from './SandboxLimits.js';
import { SandboxUnavailableError } from './SandboxUnavailableError.js';
import { createBubblewrapSandbox } from './createBubblewrapSandbox.js';
import { createSandboxExecSandbox } from './createSandboxExecSandbox.js';
import { probeBubblewrap } from './probeBubblewrap.js';

/**
 * The operating system's own sandbox: bubblewrap on Linux (checked to work here first), sandbox-exec on
 * macOS. Throws SandboxUnavailableError when there is none, saying what to install or to use Docker.
 */
export async function createNativeSandbox(options: {
  /** The directory commands may write to; each run's workspace must be it or lie inside it. */
  workspaceDir: string;
  /** Operating system to choose for. Default process.platform. */
  platform?: NodeJS.Platform;
  /** Memory, process and CPU limits per run. Default: see SandboxLimits. */
  limits?: SandboxLimits;
  /** Host directories shown read-only at their own paths (e.g. a linked node_modules). Default none. */
  readOnlyDirs?: string[];
  /** Programs whose install directories are shown read-only. Default `node`, `python3`, `python`. */
  tools?: string[];
  /** Host environment (PATH, HOME). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The sandbox-exec program on macOS. Default `/usr/bin/sandbox-exec`. */
  sandboxExecPath?: string;
}): Promise<Sandbox> {
  const platform = options.platform ?? process.platform;
  const common = {
    workspaceDir: options.workspaceDir,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.readOnlyDirs ? { readOnlyDirs: options.readOnlyDirs } : {}),
    ...(options.tools ? { tools: options.tools } : {}),
    ...(options.env ? { env: options.env } : {}),
  };
  if (platform === 'darwin') {
    return createSandboxExecSandbox({ ...common, ...(options.sandboxExecPath ? { sandboxExecPath: options.sandboxExecPath } : {}) });
  }
  if (platform === 'linux') {
    const probe = await probeBubblewrap(options.env?.PATH !== undefined ? { searchPath: options.env.PATH } : {});
    if (!probe.available) {
      throw new SandboxUnavailableError({
        kind: 'bubblewrap',
        reason: probe.reason,
        hint: 'Install bubblewrap and allow unprivileged user namespaces (on Ubuntu 24.04+ an AppArmor profile for bwrap), or use the Docker sandbox.',
      });
    }
    return createBubblewrapSandbox(common);
  }
  throw new SandboxUnavailableError({
    kind: 'native',
    reason: `there is no native sandbox for ${platform}`,
    hint: 'Use the Docker sandbox (Docker Desktop, or WSL 2 with Docker).',
    context: { platform },
  });
}
