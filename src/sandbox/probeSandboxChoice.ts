import { homedir } from 'node:os';
import { NightshiftError } from '../shared/NightshiftError.js';
import type { NightshiftErrorData } from '../shared/NightshiftErrorData.js';
import type { ProjectConfig } from '../shared/projectConfigSchema.js';
import { discoverDockerEndpoint } from './docker/discoverDockerEndpoint.js';
import { imageExists } from './docker/imageExists.js';
import { sandboxImageName, type SandboxStack } from './docker/sandboxImageName.js';
import { findExecutable } from './native/findExecutable.js';
import { probeBubblewrap } from './native/probeBubblewrap.js';
import { SandboxUnavailableError } from './native/SandboxUnavailableError.js';
import { UnsandboxedNotAllowedError } from './native/UnsandboxedNotAllowedError.js';

/** The sandbox a session would get now, as the Projects view shows it. */
export interface SandboxChoice {
  /** `docker`, `bubblewrap`, `sandbox-exec` or `local`; the preference asked for when none can be used. */
  kind: string;
  isolated: boolean;
  /** One line: the image or tool and why it was chosen. */
  detail: string;
  /** Why no acceptable sandbox is available; null when one is. */
  error: NightshiftErrorData | null;
}

/** A Docker ping is all the probe waits for; a session waits longer. */
const PING_TIMEOUT_MS = 2_000;

/**
 * Which sandbox `createSandboxFactory` would choose for a session started now, by the same policy (`auto`:
 * Docker, then the native sandbox, then local only when allowed; a named one or nothing), without starting
 * a container or building an image: Docker is pinged and its image looked up, bubblewrap is probed.
 */
export async function probeSandboxChoice(options: {
  preference: ProjectConfig['sandbox'];
  allowUnsandboxed: boolean;
  /** Which stack image Docker would run. */
  stack: SandboxStack;
  /** nightshift.json's `sandboxImage`, used instead of the stack image. */
  sandboxImage?: string;
  /** Operating system. Default process.platform. */
  platform?: NodeJS.Platform;
  /** Environment with PATH, HOME, DOCKER_HOST. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Directory that system-wide Docker sockets such as /var/run/docker.sock are looked up under. Default `/`. */
  rootDir?: string;
}): Promise<SandboxChoice> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const docker = async (): Promise<SandboxChoice> => {
    const found = await discoverDockerEndpoint({
      env,
      homeDir: env.HOME ?? homedir(),
      platform,
      pingTimeoutMs: PING_TIMEOUT_MS,
      ...(options.rootDir === undefined ? {} : { rootDir: options.rootDir }),
    });
    const image = options.sandboxImage ?? sandboxImageName({ stack: options.stack }).image;
    const present = await imageExists(found.docker, image).catch(() => false);
    const built = present ? '' : options.sandboxImage ? ' (not present: pull or build it first)' : ' (built on first use)';
    return { kind: 'docker', isolated: true, detail: `${image}${built} on the daemon at ${found.endpoint} (${found.source})`, error: null };
  };
  const native = async (): Promise<SandboxChoice> => {
    if (platform === 'linux') {
      const probe = await probeBubblewrap(env.PATH !== undefined ? { searchPath: env.PATH } : {});
      if (!probe.available) {
        throw new SandboxUnavailableError({ kind: 'bubblewrap', reason: probe.reason, hint: 'Install bubblewrap and allow unprivileged user namespaces, or use the Docker sandbox.' });
      }
      return { kind: 'bubblewrap', isolated: true, detail: probe.reason, error: null };
    }
    if (platform === 'darwin' && findExecutable({ name: '/usr/bin/sandbox-exec' })) {
      return { kind: 'sandbox-exec', isolated: true, detail: '/usr/bin/sandbox-exec confines writes to the workspace', error: null };
    }
    throw new SandboxUnavailableError({ kind: 'native', reason: `there is no native sandbox for ${platform}`, hint: 'Use the Docker sandbox.' });
  };
  const passedOver: string[] = [];
  const local = (): SandboxChoice => {
    if (!options.allowUnsandboxed) throw new UnsandboxedNotAllowedError({ preference: options.preference, reasons: passedOver });
    const why = passedOver.length > 0 ? ` (${passedOver.join('; ')})` : '';
    return { kind: 'local', isolated: false, detail: `commands run directly on this machine, unsandboxed, as allowUnsandboxed permits${why}`, error: null };
  };
  try {
    switch (options.preference) {
      case 'docker':
        return await docker();
      case 'native':
        return await native();
      case 'local':
        return local();
      case 'auto':
        for (const [kind, probe] of [
          ['docker', docker],
          ['native', native],
        ] as const) {
          try {
            const choice = await probe();
            return passedOver.length > 0 ? { ...choice, detail: `${choice.detail} (${passedOver.join('; ')})` } : choice;
          } catch (error) {
            if (!(error instanceof NightshiftError)) throw error;
            passedOver.push(`${kind}: ${error.message}`);
          }
        }
        return local();
    }
  } catch (error) {
    if (!(error instanceof NightshiftError)) throw error;
    return { kind: options.preference, isolated: false, detail: error.message, error: error.toJSON() };
  }
}
