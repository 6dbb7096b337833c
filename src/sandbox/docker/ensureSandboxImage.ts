import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { SandboxImageError } from './SandboxImageError.js';
import { sandboxImageName, type SandboxStack } from './sandboxImageName.js';
import { imageExists } from './imageExists.js';

/** The base every sandbox Dockerfile starts FROM; made offline by resources/sandbox/build-offline.sh. */
const BASE_IMAGE = 'nightshift/base:bookworm';
/** Registry image that stands in for the base on machines that can reach Docker Hub. */
const BASE_STAND_IN = 'debian:bookworm-slim';
const OFFLINE_HINT = 'Run `npm run sandbox:build-offline` in the Nightshift directory (as root, with debootstrap installed): it builds the images from a Debian mirror without any registry.';

/**
 * Makes sure a stack's sandbox image exists, building it from resources/sandbox/<stack>/Dockerfile when it does
 * not (a few minutes, once per Dockerfile version). When the Dockerfile's base is Nightshift's own
 * `nightshift/base:bookworm` and that is missing too, `debian:bookworm-slim` is pulled and tagged in its place;
 * where no registry is reachable, SandboxImageError says how to build everything offline.
 */
export async function ensureSandboxImage(options: {
  docker: Dockerode;
  stack: SandboxStack;
  /** Called with each line of pull and build output, for a progress display. */
  onProgress?: (message: string) => void;
  /** Directory holding `<stack>/Dockerfile`. Default `resources/sandbox` in the Nightshift package root. */
  resourcesDir?: string;
}): Promise<{ /** Image name to hand to createDockerSandbox. */ image: string; /** Whether it was built just now. */ built: boolean }> {
  const { docker, stack } = options;
  const progress = options.onProgress ?? (() => {});
  const { image, contextDir } = sandboxImageName({ stack, ...(options.resourcesDir ? { resourcesDir: options.resourcesDir } : {}) });
  if (await imageExists(docker, image)) return { image, built: false };

  const base = baseImageOf(readFileSync(join(contextDir, 'Dockerfile'), 'utf8'));
  if (base && !(await imageExists(docker, base))) {
    if (base !== BASE_IMAGE) {
      throw new SandboxImageError({ code: 'SANDBOX_BASE_IMAGE_MISSING', image, problem: `its base image ${base} is not present`, hint: OFFLINE_HINT });
    }
    await pullStandIn(docker, image, progress);
  }

  progress(`Building sandbox image ${image} from ${contextDir}`);
  const log: string[] = [];
  let failure: string | null = null;
  try {
    const stream = await docker.buildImage(
      { context: contextDir, src: ['Dockerfile'] },
      // Host networking for the build alone: apt must reach the mirror even where the daemon's bridge cannot.
      { t: image, labels: { 'nightshift.kind': 'sandbox-image', 'nightshift.stack': stack }, networkmode: 'host', rm: true, forcerm: true },
    );
    await follow(docker, stream, (event) => {
      const line = typeof event.stream === 'string' ? event.stream.trimEnd() : typeof event.status === 'string' ? event.status : '';
      if (line) {
        log.push(line);
        progress(line);
      }
      if (typeof event.error === 'string') failure = event.error.trim();
    });
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  if (failure !== null || !(await imageExists(docker, image))) {
    throw new SandboxImageError({
      code: 'SANDBOX_IMAGE_BUILD_FAILED',
      image,
      problem: `docker build failed: ${failure ?? 'no image was produced'}`,
      hint: `The build installs packages from the Debian mirror: check that the Docker daemon can reach it. ${OFFLINE_HINT}`,
      buildLog: log.slice(-20),
    });
  }
  progress(`Built sandbox image ${image}`);
  return { image, built: true };
}

async function pullStandIn(docker: Dockerode, image: string, progress: (message: string) => void): Promise<void> {
  progress(`${BASE_IMAGE} is missing; pulling ${BASE_STAND_IN} in its place`);
  try {
    const stream = await docker.pull(BASE_STAND_IN);
    let failure: string | null = null;
    await follow(docker, stream, (event) => {
      if (typeof event.status === 'string') progress(`${event.status}${typeof event.progress === 'string' ? ` ${event.progress}` : ''}`);
      if (typeof event.error === 'string') failure = event.error;
    });
    if (failure !== null) throw new Error(failure);
    const [repo, tag] = BASE_IMAGE.split(':') as [string, string];
    await docker.getImage(BASE_STAND_IN).tag({ repo, tag });
  } catch (error) {
    throw new SandboxImageError({
      code: 'SANDBOX_BASE_IMAGE_MISSING',
      image,
      problem: `its base ${BASE_IMAGE} is missing and ${BASE_STAND_IN} could not be pulled (${error instanceof Error ? error.message : String(error)})`,
      hint: OFFLINE_HINT,
      cause: error,
    });
  }
}

type ProgressEvent = Record<string, unknown>;

function follow(docker: Dockerode, stream: NodeJS.ReadableStream, onEvent: (event: ProgressEvent) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()), onEvent);
  });
}

/** The image of the Dockerfile's first FROM line, or null when it has none or starts from scratch. */
function baseImageOf(dockerfile: string): string | null {
  const match = /^\s*FROM\s+(?:--\S+\s+)*(\S+)/im.exec(dockerfile);
  const base = match?.[1] ?? null;
  return base === null || base === 'scratch' ? null : base;
}
