import { NightshiftError } from '../../shared/NightshiftError.js';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import { createLocalSandbox } from '../createLocalSandbox.js';
import type { SandboxLimits } from './SandboxLimits.js';
import { SandboxUnavailableError } from './SandboxUnavailableError.js';
import { UnsandboxedNotAllowedError } from './UnsandboxedNotAllowedError.js';
import { createNativeSandbox } from './createNativeSandbox.js';

/** Which sandbox to use: `auto` takes the strongest available (Docker, then native, then local if allowed). */
export type SandboxPreference = ProjectConfig['sandbox'];

/**
 * The sandbox a project's commands run in. `docker`, `native` and `local` are taken as asked or fail (a named
 * sandbox never silently becomes a weaker one); `local` runs unsandboxed and so needs `allowUnsandboxed`.
 * `auto` tries Docker, then the native sandbox, and falls back to local only when `allowUnsandboxed` is set;
 * otherwise it throws UnsandboxedNotAllowedError listing why each sandbox could not be used. Returns the
 * sandbox and, for `auto`, the sandboxes passed over with the reason.
 */
export async function chooseSandbox(options: {
  /** What the project asks for (nightshift.json `sandbox`). */
  preference: SandboxPreference;
  /** The project's explicit opt-in to unsandboxed runs (nightshift.json `allowUnsandboxed`). */
  allowUnsandboxed: boolean;
  /** The directory commands may write to; every run's workspace lies inside it. */
  workspaceDir: string;
  /** Host directories shown read-only (e.g. the project's linked node_modules). Default none. */
  readOnlyDirs?: string[];
  /** Memory, process and CPU limits per run for the native sandbox. Default: see SandboxLimits. */
  limits?: SandboxLimits;
  /** Operating system. Default process.platform. */
  platform?: NodeJS.Platform;
  /** Host environment (PATH, HOME). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Makes the Docker sandbox; it throws a NightshiftError when Docker cannot be used. Absent: Docker counts
   * as unavailable.
   */
  createDocker?: () => Promise<Sandbox>;
}): Promise<{ sandbox: Sandbox; passedOver: Array<{ kind: string; reason: string }> }> {
  const passedOver: Array<{ kind: string; reason: string }> = [];
  const docker = async () => {
    if (!options.createDocker) {
      throw new SandboxUnavailableError({ kind: 'docker', reason: 'this build has no Docker sandbox', hint: 'Use the native sandbox (sandbox "native").' });
    }
    return options.createDocker();
  };
  const native = () =>
    createNativeSandbox({
      workspaceDir: options.workspaceDir,
      ...(options.platform ? { platform: options.platform } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.readOnlyDirs ? { readOnlyDirs: options.readOnlyDirs } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
  const local = () => {
    if (!options.allowUnsandboxed) throw new UnsandboxedNotAllowedError({ preference: options.preference, reasons: passedOver.map((entry) => `${entry.kind}: ${entry.reason}`) });
    return createLocalSandbox(options.readOnlyDirs ? { readOnlyDirs: options.readOnlyDirs } : {});
  };
  switch (options.preference) {
    case 'docker':
      return { sandbox: await docker(), passedOver };
    case 'native':
      return { sandbox: await native(), passedOver };
    case 'local':
      return { sandbox: local(), passedOver };
    case 'auto':
      for (const [kind, create] of [
        ['docker', docker],
        ['native', native],
      ] as const) {
        try {
          return { sandbox: await create(), passedOver };
        } catch (error) {
          if (!(error instanceof NightshiftError)) throw error;
          passedOver.push({ kind, reason: error.message });
        }
      }
      return { sandbox: local(), passedOver };
  }
}
