import { spawnSync } from 'node:child_process';
import { copyFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeFiles } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const script = fileURLToPath(new URL('../../../build/scripts/ensureDeps.mjs', import.meta.url));

/**
 * A project laid out like this one, with node_modules current and the CLI build stubbed out, and an
 * Electron package whose install script dies the way a failed download does: an uncaught error with a
 * stack trace. The real node_modules is never touched.
 */
function createProject(installScript: string): string {
  const root = makeTempDir();
  writeFiles(root, {
    'package.json': JSON.stringify({ name: 'fixture', version: '1.0.0', private: true }),
    'package-lock.json': JSON.stringify({ name: 'fixture', lockfileVersion: 3, packages: {} }),
    'node_modules/.package-lock.json': JSON.stringify({ name: 'fixture', lockfileVersion: 3, packages: {} }),
    'build/scripts/buildCli.mjs': 'export async function buildCli() {\n  return false;\n}\n',
    'node_modules/electron/package.json': JSON.stringify({ name: 'electron', version: '38.8.6' }),
    'node_modules/electron/install.js': installScript,
  });
  const later = new Date(Date.now() + 60_000);
  utimesSync(join(root, 'node_modules', '.package-lock.json'), later, later);
  copyFileSync(script, join(root, 'build', 'scripts', 'ensureDeps.mjs'));
  return root;
}

function prestart(root: string): { status: number | null; output: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')));
  const result = spawnSync(process.execPath, [join(root, 'build', 'scripts', 'ensureDeps.mjs')], {
    cwd: root,
    env: { ...env, npm_lifecycle_event: 'prestart' },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const FAILED_DOWNLOAD = `class RequestError extends Error {}
RequestError.prototype.name = 'RequestError';
function download() {
  throw new RequestError('getaddrinfo ENOTFOUND github.com');
}
download();
`;

describe('npm start without an Electron binary', () => {
  it('says why in one paragraph, with the download error but not its stack trace', () => {
    const result = prestart(createProject(FAILED_DOWNLOAD));
    expect(result.status).toBe(1);
    expect(result.output).not.toMatch(/^\s+at /m);
    expect(result.output).not.toMatch(/Node\.js v\d/);
    const paragraph = result.output.split('\n').find((line) => line.startsWith('nightshift: the desktop app'));
    expect(paragraph).toMatch(/could not be fetched here \(RequestError: getaddrinfo ENOTFOUND github\.com\)\. Electron downloads it from GitHub/);
    expect(paragraph).toMatch(/`nightshift --help`/);
  });

  it('names the exit when the install script fails without an error line', () => {
    const result = prestart(createProject('process.exit(3);\n'));
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/could not be fetched here \(exit code 3\)\./);
  });
});
