import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeFiles } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const script = fileURLToPath(new URL('../../../build/scripts/ensureDeps.mjs', import.meta.url));

/**
 * A project laid out like this one (build/scripts/ensureDeps.mjs, package.json, package-lock.json) with a
 * single local dependency, so `npm ci` runs for real without the network.
 */
function createProject(): string {
  const root = makeTempDir();
  writeFiles(root, {
    'package.json': JSON.stringify({ name: 'fixture', version: '1.0.0', private: true, dependencies: { dep: 'file:./dep' } }),
    'dep/package.json': JSON.stringify({ name: 'dep', version: '1.0.0' }),
  });
  mkdirSync(join(root, 'build', 'scripts'), { recursive: true });
  copyFileSync(script, join(root, 'build', 'scripts', 'ensureDeps.mjs'));
  // Stands in for the CLI build (its own tests build the real one); it logs how it was asked to build.
  writeFiles(root, {
    'build/scripts/buildCli.mjs': [
      "import { appendFileSync } from 'node:fs';",
      "export async function buildCli(options) { appendFileSync(new URL('../../cli-builds.log', import.meta.url), JSON.stringify(options) + '\\n'); return false; }",
    ].join('\n'),
  });
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: root, stdio: 'pipe' });
  return root;
}

function runEnsureDeps(root: string, lifecycle: 'pretest' | 'prestart'): { status: number | null; output: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')));
  const result = spawnSync(process.execPath, [join(root, 'build', 'scripts', 'ensureDeps.mjs')], {
    cwd: root,
    env: { ...env, npm_lifecycle_event: lifecycle },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A stand-in Electron package; with `binary`, also the file its path.txt names. */
function installFakeElectron(root: string, options: { binary: boolean }): void {
  writeFiles(root, { 'node_modules/electron/package.json': JSON.stringify({ name: 'electron', version: '38.8.6' }) });
  if (options.binary) writeFiles(root, { 'node_modules/electron/path.txt': 'electron', 'node_modules/electron/dist/electron*': '' });
}

describe('build/scripts/ensureDeps.mjs', () => {
  it('runs npm ci when node_modules is missing, and nothing when it is current', () => {
    const root = createProject();
    rmSync(join(root, 'node_modules'), { recursive: true });

    const first = runEnsureDeps(root, 'pretest');
    expect(first.status, first.output).toBe(0);
    expect(first.output).toContain('node_modules is missing; running npm ci');
    expect(existsSync(join(root, 'node_modules', 'dep', 'package.json'))).toBe(true);

    const second = runEnsureDeps(root, 'pretest');
    expect(second.status, second.output).toBe(0);
    expect(second.output).not.toContain('running npm');
    // Every run asks for the CLI to be rebuilt only if its sources changed.
    expect(readFileSync(join(root, 'cli-builds.log'), 'utf8').trim().split('\n')).toEqual(['{"ifStale":true}', '{"ifStale":true}']);
  });

  it('reinstalls when package-lock.json is newer than the install', () => {
    const root = createProject();
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'package-lock.json'), later, later);
    const result = runEnsureDeps(root, 'pretest');
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('node_modules is out of date; running npm ci');
  });

  it('tries to fetch a missing Electron binary on `npm start`, and stops with advice when it cannot', () => {
    const root = createProject();
    const withoutPackage = runEnsureDeps(root, 'prestart');
    expect(withoutPackage.status).toBe(1);
    expect(withoutPackage.output).toContain('the desktop app needs the Electron binary');
    expect(withoutPackage.output).toContain('nightshift');

    installFakeElectron(root, { binary: false });
    const withoutBinary = runEnsureDeps(root, 'prestart');
    expect(withoutBinary.status).toBe(1);
    expect(withoutBinary.output).toContain('fetching the Electron binary');
    expect(withoutBinary.output).toContain('could not be fetched here');
  });

  it('leaves an Electron build of better-sqlite3 alone when it matches the installed version', () => {
    const root = createProject();
    installFakeElectron(root, { binary: true });
    writeFiles(root, {
      'node_modules/better-sqlite3/package.json': JSON.stringify({ name: 'better-sqlite3', version: '12.11.1' }),
      'build/native/electron-38.8.6/better_sqlite3.node': 'prebuilt',
      'build/native/electron-38.8.6/better-sqlite3.version': '12.11.1\n',
    });
    const result = runEnsureDeps(root, 'prestart');
    expect(result.status, result.output).toBe(0);
    expect(result.output).not.toContain('building better-sqlite3');
  });
});
