import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPackageRoot } from '../node/findPackageRoot.js';

/**
 * Nightshift's version from its own package.json, found above this module: `src/cli/` from a checkout,
 * `out/cli/` once built, or the installed package's folder.
 */
export function readPackageVersion(): string {
  const root = findPackageRoot({ from: fileURLToPath(new URL('.', import.meta.url)) });
  if (!root) return 'unknown';
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
