import { homedir } from 'node:os';
import { basename } from 'node:path';
import type Dockerode from 'dockerode';
import type { ProjectConfig } from '../shared/projectConfigSchema.js';
import type { Sandbox } from '../shared/sandbox/Sandbox.js';
import type { SandboxFactory } from '../shared/sandbox/SandboxFactory.js';
import { cleanOrphanSandboxes } from './docker/cleanOrphanSandboxes.js';
import { createDockerSandbox } from './docker/createDockerSandbox.js';
import { discoverDockerEndpoint } from './docker/discoverDockerEndpoint.js';
import { PYTHON_DEPS_DIR } from './docker/chooseSetupCommand.js';
import { ensureProjectImage } from './docker/ensureProjectImage.js';
import { ensureSandboxImage } from './docker/ensureSandboxImage.js';
import { mapRequirementsToDebian } from './docker/mapRequirementsToDebian.js';
import { ProjectImageError } from './docker/ProjectImageError.js';
import { chooseSandbox } from './native/chooseSandbox.js';

/**
 * The sandbox policy: per session, the project's choice (nightshift.json `sandbox`, default `auto`:
 * Docker, else the native sandbox, else refuse unless `allowUnsandboxed`), unless the caller overrides it
 * (the CLI's `--sandbox` and `--allow-unsandboxed`). Docker gets the project's `sandboxImage`, else the
 * stack's image, built on demand, with the project's layer of Debian packages on top when it needs one (see
 * chooseDebianPackages); containers orphaned by a killed session are removed first.
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
      const { image: base } = config.sandboxImage
        ? { image: config.sandboxImage }
        : await ensureSandboxImage({
            docker,
            stack: stack.sourceLanguage === 'python' ? 'python' : 'node',
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          });
      const image = await withProjectPackages({ docker, base, workspaceDir, config, readOnlyDirs, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
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

/** What the Python sandbox image installs itself, so a requirement naming it needs no project layer. */
const IN_STACK_IMAGE = new Set(['python3-pytest', 'python3-pip']);

/**
 * The image a project's Docker sandbox runs: `base` with the project's layer of Debian packages when it needs
 * one. Declared `sandboxPackages` are built or the session fails with ProjectImageError (an environment
 * problem). Without a declaration, a requirements.txt whose every requirement maps to a Debian package is
 * used, unless the project already has its dependencies in a linked `.nightshift-deps` or virtual environment;
 * that layer is a convenience, so when it cannot be built the session goes on with `base` and says why.
 */
async function withProjectPackages(options: {
  docker: Dockerode;
  base: string;
  workspaceDir: string;
  config: ProjectConfig;
  readOnlyDirs: string[];
  onProgress?: (message: string) => void;
}): Promise<string> {
  const build = (packages: string[]) =>
    ensureProjectImage({ docker: options.docker, baseImage: options.base, packages, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  const declared = options.config.sandboxPackages?.debian;
  if (declared !== undefined) return declared.length > 0 ? (await build(declared)).image : options.base;
  const installed = options.readOnlyDirs.some((dir) => basename(dir) === PYTHON_DEPS_DIR || basename(dir) === '.venv');
  const mapped = installed ? null : mapRequirementsToDebian({ projectDir: options.workspaceDir })?.filter((name) => !IN_STACK_IMAGE.has(name));
  if (!mapped || mapped.length === 0) return options.base;
  try {
    return (await build(mapped)).image;
  } catch (error) {
    if (!(error instanceof ProjectImageError)) throw error;
    options.onProgress?.(`${error.message} Running without ${mapped.join(', ')} (from requirements.txt); ${error.hint}`);
    return options.base;
  }
}
