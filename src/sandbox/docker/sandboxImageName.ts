import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPackageRoot } from '../../node/findPackageRoot.js';
import { SandboxImageError } from './SandboxImageError.js';

/** Toolchains with a sandbox image: one directory with a Dockerfile each under resources/sandbox. */
export type SandboxStack = 'python' | 'node';

/**
 * Name of a stack's sandbox image: `nightshift/sandbox-<stack>:<tag>`, the tag being the first 12 hex digits
 * of the Dockerfile's SHA-256. resources/sandbox/build-offline.sh names images the same way, and an edited
 * Dockerfile gets a fresh image instead of a stale one under an old name.
 */
export function sandboxImageName(options: {
  stack: SandboxStack;
  /** Directory holding `<stack>/Dockerfile`. Default `resources/sandbox` in the Nightshift package root. */
  resourcesDir?: string;
}): { image: string; contextDir: string } {
  const resourcesDir = options.resourcesDir ?? defaultResourcesDir();
  const contextDir = join(resourcesDir, options.stack);
  let dockerfile: Buffer;
  try {
    dockerfile = readFileSync(join(contextDir, 'Dockerfile'));
  } catch (error) {
    throw new SandboxImageError({
      code: 'SANDBOX_DOCKERFILE_MISSING',
      image: `nightshift/sandbox-${options.stack}`,
      problem: `its Dockerfile could not be read from ${contextDir}`,
      hint: 'Reinstall Nightshift: resources/sandbox/<stack>/Dockerfile ships with it.',
      cause: error,
    });
  }
  const tag = createHash('sha256').update(dockerfile).digest('hex').slice(0, 12);
  return { image: `nightshift/sandbox-${options.stack}:${tag}`, contextDir };
}

function defaultResourcesDir(): string {
  const root = findPackageRoot({ from: fileURLToPath(new URL('.', import.meta.url)) });
  if (!root) {
    throw new SandboxImageError({
      code: 'SANDBOX_DOCKERFILE_MISSING',
      image: 'nightshift/sandbox',
      problem: 'no package.json was found above the Nightshift code, so resources/sandbox cannot be located',
      hint: 'Reinstall Nightshift, or pass resourcesDir.',
    });
  }
  return join(root, 'resources', 'sandbox');
}
