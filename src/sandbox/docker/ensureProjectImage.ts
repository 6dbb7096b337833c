import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type Dockerode from 'dockerode';
import { ProjectImageError } from './ProjectImageError.js';
import { imageExists } from './imageExists.js';

/** Builds tried before giving up. */
const BUILD_ATTEMPTS = 3;
/** apt's words for a package the mirror does not have. */
const UNAVAILABLE = [/Unable to locate package (\S+)/g, /Package '?([^' ]+)'? has no installation candidate/g];
/**
 * apt's words for an index or package it could not download. Then every package reads as "unable to
 * locate", because the package lists are missing, so the mirror is the problem, not the names.
 */
const MIRROR_TROUBLE =
  /Failed to fetch|Temporary failure resolving|Could not resolve|Could not connect|Unable to connect|Connection timed out|Connection failed|Some index files failed to download|Hash Sum mismatch|File has unexpected size/;

/**
 * Makes sure the project's image layer exists: `baseImage` plus the Debian `packages`, installed by apt from
 * the Debian mirror the base image names (the build alone uses host networking; containers made from the
 * image have none). The name is `nightshift/project-<12 hex digits>`, hashed from the base image's id and the
 * sorted package list, so an existing image is reused as it is and a rebuilt base or another list gets a new
 * one. Throws ProjectImageError naming the packages the mirror lacks, or the build's failure.
 */
export async function ensureProjectImage(options: {
  docker: Dockerode;
  /** The image the layer is built on: the stack's sandbox image or the project's `sandboxImage`. */
  baseImage: string;
  /** Debian package names, e.g. `python3-flask`. */
  packages: string[];
  /** Called with each line of build output, for a progress display. */
  onProgress?: (message: string) => void;
}): Promise<{ /** Image name to hand to createDockerSandbox. */ image: string; /** Whether it was built just now. */ built: boolean }> {
  const { docker } = options;
  const progress = options.onProgress ?? (() => {});
  const packages = [...new Set(options.packages)].sort();
  const baseId = ((await docker.getImage(options.baseImage).inspect()) as { Id: string }).Id;
  const image = `nightshift/project-${createHash('sha256').update(`${baseId}\n${packages.join('\n')}`).digest('hex').slice(0, 12)}`;
  if (await imageExists(docker, image)) return { image, built: false };

  progress(`Building ${image}: ${options.baseImage} with ${packages.join(', ')}`);
  let log: string[] = [];
  let failure: string | null = null;
  // More tries: a build can fail for reasons of the daemon or the mirror, not the packages (several builds
  // at once fetch from the same mirror); a package that a complete package list lacks is final.
  for (let attempt = 1; attempt <= BUILD_ATTEMPTS; attempt += 1) {
    ({ log, failure } = await buildLayer({ docker, image, baseImage: options.baseImage, packages, progress }));
    if (failure === null && (await imageExists(docker, image))) {
      progress(`Built ${image}`);
      return { image, built: true };
    }
    if (!mirrorTrouble(log) && unavailablePackages(log, packages).length > 0) break;
    if (attempt < BUILD_ATTEMPTS) progress(`The build failed (${failure ?? 'no image was produced'}); trying again.`);
  }
  const trouble = mirrorTrouble(log);
  const unavailable = trouble ? [] : unavailablePackages(log, packages);
  const tail = log.slice(-20);
  if (unavailable.length > 0) {
    throw new ProjectImageError({
      code: 'SANDBOX_PACKAGE_UNAVAILABLE',
      image,
      packages,
      unavailable,
      problem: `the Debian package${unavailable.length > 1 ? 's' : ''} ${unavailable.join(', ')} ${unavailable.length > 1 ? 'are' : 'is'} not available for the sandbox image ${options.baseImage}`,
      hint: 'Fix the name in "sandboxPackages" in nightshift.json (search with `apt-cache search`), or install the dependency with `nightshift sandbox setup --allow-network`.',
      buildLog: tail,
    });
  }
  throw new ProjectImageError({
    code: 'PROJECT_IMAGE_BUILD_FAILED',
    image,
    packages,
    problem: `the project's sandbox image (${options.baseImage} with ${packages.join(', ')}) could not be built: ${trouble ? `the Debian mirror could not be read (${trouble})` : (failure ?? 'no image was produced')}`,
    hint: 'The build installs packages from the Debian mirror: check that the Docker daemon can reach it (NIGHTSHIFT_DEBIAN_MIRROR for the offline base).',
    buildLog: tail,
  });
}

/** One classic-builder run of the layer's Dockerfile: its output lines and its failure, if any. */
async function buildLayer(options: {
  docker: Dockerode;
  image: string;
  baseImage: string;
  packages: string[];
  progress: (message: string) => void;
}): Promise<{ log: string[]; failure: string | null }> {
  const { docker, image, packages, progress } = options;
  const contextDir = await mkdtemp(join(tmpdir(), 'nightshift-project-image-'));
  const log: string[] = [];
  let failure: string | null = null;
  try {
    await writeFile(
      join(contextDir, 'Dockerfile'),
      [
        `FROM ${options.baseImage}`,
        'USER root',
        // apt retries a download that failed on its own before the build counts as failed.
        `RUN apt-get -o Acquire::Retries=3 update && apt-get -o Acquire::Retries=3 install -y --no-install-recommends ${packages.join(' ')} && apt-get clean && rm -rf /var/lib/apt/lists/*`,
        '',
      ].join('\n'),
    );
    const stream = await docker.buildImage(
      { context: contextDir, src: ['Dockerfile'] },
      { t: image, labels: { 'nightshift.kind': 'project-image', 'nightshift.base': options.baseImage }, networkmode: 'host', rm: true, forcerm: true },
    );
    // The daemon cuts build output into events anywhere, mid-line included, so lines are put back together
    // before apt's "Unable to locate package" can be read from them.
    let partial = '';
    const take = (lines: string[]) => {
      // The daemon colours what the build writes to stderr (apt's errors among it) with ANSI escapes, which
      // would otherwise end up inside the package names read from those lines.
      for (const line of lines.map((part) => stripVTControlCharacters(part).trimEnd()).filter(Boolean)) {
        log.push(line);
        progress(line);
      }
    };
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()), (event: Record<string, unknown>) => {
        const parts = `${partial}${typeof event.stream === 'string' ? event.stream : ''}`.split('\n');
        partial = parts.pop() ?? '';
        take(parts);
        if (typeof event.error === 'string') failure = event.error.trim();
      });
    });
    take([partial]);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  } finally {
    await rm(contextDir, { recursive: true, force: true });
  }
  return { log, failure };
}

function unavailablePackages(log: string[], packages: string[]): string[] {
  return [...new Set(UNAVAILABLE.flatMap((pattern) => [...log.join('\n').matchAll(pattern)].map((match) => match[1]!)))].filter((name) => packages.includes(name));
}

/** The first line of the build log that says the mirror could not be read, or null. */
function mirrorTrouble(log: string[]): string | null {
  return log.find((line) => MIRROR_TROUBLE.test(line)) ?? null;
}
