/*
 * Run by `pretest`, `prestart` and `predist:mac`. Plain Node, no dependencies: it runs before dependencies exist.
 *
 * 1. node_modules must match package-lock.json. When it is missing or older (npm rewrites its hidden
 *    lockfile, node_modules/.package-lock.json, on every install), `npm ci` installs it.
 * 2. The command line (out/cli, which the tests run as users do) is rebuilt when a source file changed since
 *    it was built (build/scripts/buildCli.mjs --if-stale; a few hundred stat calls when nothing changed).
 * 3. `prestart` and `predist:mac` only: the desktop app needs Electron's binary. Electron's install script,
 *    which downloads it from outside the npm registry, is not allowed to run at install time (allowScripts),
 *    so tests, the build and the CLI work on machines that cannot download it. `npm start` runs that script
 *    itself when the binary is missing; where the download fails it says so in one paragraph and fails.
 * 4. `prestart` and `predist:mac` only (the macOS app ships this build): better-sqlite3 is a native addon
 *    built for one ABI. The copy in node_modules stays built for Node, which the CLI and the tests load;
 *    rebuilding it in place for Electron (electron-rebuild's
 *    way) would break them. Instead a second build for Electron's ABI is made with the node-gyp that ships
 *    inside npm, in a temporary copy of the package, and kept at
 *    build/native/electron-<electronVersion>/better_sqlite3.node; the main process hands that path to the
 *    store as `nativeBinding` (src/main/electronNativeBinding.ts names the same place). A stamp beside it
 *    records the better-sqlite3 version it was built from, so an upgrade rebuilds it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const nodeModules = join(root, 'node_modules');

ensureInstalled();
await ensureCliBuilt();
if (process.env.npm_lifecycle_event === 'prestart' || process.env.npm_lifecycle_event === 'predist:mac') {
  const electronVersion = ensureElectron();
  ensureElectronSqlite(electronVersion);
}

function ensureInstalled() {
  const lockfile = join(root, 'package-lock.json');
  const hasLockfile = existsSync(lockfile);
  const installedAt = mtime(join(nodeModules, '.package-lock.json')) ?? mtime(nodeModules);
  const wantedAt = mtime(hasLockfile ? lockfile : join(root, 'package.json'));
  if (installedAt !== null && wantedAt !== null && installedAt >= wantedAt) return;
  const command = hasLockfile ? 'ci' : 'install';
  console.log(`nightshift: node_modules is ${installedAt === null ? 'missing' : 'out of date'}; running npm ${command}.`);
  const result = runNpm([command]);
  if (result.status !== 0) {
    console.error(`nightshift: npm ${command} failed (${describeExit(result)}); see its output above.`);
    process.exit(result.status || 1);
  }
}

async function ensureCliBuilt() {
  // Imported only now: the build script loads esbuild, which the step above may just have installed.
  const { buildCli } = await import('./buildCli.mjs');
  try {
    if (await buildCli({ ifStale: true })) console.log('nightshift: rebuilt the CLI (out/cli).');
  } catch (error) {
    console.error(`nightshift: building the CLI failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

/** Returns Electron's version, or exits with advice when its binary is not there. */
function ensureElectron() {
  const pkgPath = join(nodeModules, 'electron', 'package.json');
  const pathFile = join(nodeModules, 'electron', 'path.txt');
  const installed = () =>
    existsSync(pkgPath) &&
    existsSync(pathFile) &&
    existsSync(join(nodeModules, 'electron', 'dist', readFileSync(pathFile, 'utf8').trim()));
  let cause = '';
  if (!installed() && existsSync(pkgPath)) {
    // The one place Nightshift downloads Electron: the user asked for the desktop app.
    console.log('nightshift: fetching the Electron binary for the desktop app (once).');
    // Its output is kept, not shown: on a failed download the script dies with a stack trace, and one line
    // of it (the error) is all that helps.
    const result = spawnSync(process.execPath, [join(nodeModules, 'electron', 'install.js')], { cwd: join(nodeModules, 'electron'), encoding: 'utf8' });
    cause = errorLine(`${result.stderr ?? ''}\n${result.stdout ?? ''}`) ?? (result.status === 0 ? '' : describeExit(result));
  }
  if (!installed()) {
    console.error(
      `nightshift: the desktop app needs the Electron binary, and it could not be fetched here${cause ? ` (${cause})` : ''}. Electron ` +
        'downloads it from GitHub rather than the npm registry, so machines without that access (CI, sandboxes, ' +
        'servers) cannot run the desktop app. On such a machine use the `nightshift` command-line tool instead ' +
        '(`npm install -g .` here once, then `nightshift --help` in any folder), which runs and reviews sessions ' +
        'without Electron.',
    );
    process.exit(1);
  }
  return JSON.parse(readFileSync(pkgPath, 'utf8')).version;
}

function ensureElectronSqlite(electronVersion) {
  const sourceDir = join(nodeModules, 'better-sqlite3');
  const sqliteVersion = JSON.parse(readFileSync(join(sourceDir, 'package.json'), 'utf8')).version;
  const targetDir = join(root, 'build', 'native', `electron-${electronVersion}`);
  const target = join(targetDir, 'better_sqlite3.node');
  const stamp = join(targetDir, 'better-sqlite3.version');
  if (existsSync(target) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === sqliteVersion) return;

  console.log(`nightshift: building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion}.`);
  const work = mkdtempSync(join(tmpdir(), 'nightshift-native-'));
  try {
    const copy = join(work, 'better-sqlite3');
    const staleBuild = join(sourceDir, 'build');
    cpSync(sourceDir, copy, {
      recursive: true,
      filter: (path) => path !== staleBuild && !path.startsWith(staleBuild + sep),
    });
    // npm hands its own settings to scripts as npm_config_* variables; node-gyp reads them, and one such as
    // nodedir would make it build against Node's headers instead of Electron's.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)));
    const result = spawnSync(
      process.execPath,
      [
        nodeGypPath(),
        'rebuild',
        '--release',
        `--target=${electronVersion}`,
        '--dist-url=https://electronjs.org/headers',
        // Electron's headers are kept apart from Node's, whose cache is keyed by version number alone.
        `--devdir=${join(homedir(), '.electron-gyp')}`,
      ],
      { cwd: copy, env, stdio: 'inherit' },
    );
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
    if (result.status !== 0 || !existsSync(built)) {
      console.error(
        `nightshift: building better-sqlite3 for Electron ${electronVersion} failed (${describeExit(result)}). ` +
          'It needs python3, make and a C++ compiler, and downloads Electron’s headers from electronjs.org.',
      );
      process.exit(1);
    }
    mkdirSync(targetDir, { recursive: true });
    copyFileSync(built, target);
    writeFileSync(stamp, `${sqliteVersion}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** node-gyp's entry point inside the npm that runs this script (or the npm installed beside node). */
function nodeGypPath() {
  const candidates = [];
  if (process.env.npm_execpath) candidates.push(resolve(dirname(process.env.npm_execpath), '..'));
  candidates.push(
    resolve(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm'),
    resolve(dirname(process.execPath), 'node_modules', 'npm'),
  );
  for (const npmDir of candidates) {
    const path = join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (existsSync(path)) return path;
  }
  console.error(`nightshift: node-gyp was not found inside npm (looked in ${candidates.join(', ')}).`);
  process.exit(1);
}

function runNpm(args) {
  // Under npm, npm_execpath is npm's own CLI script: running it with this node avoids PATH and .cmd shims.
  const execPath = process.env.npm_execpath;
  if (execPath && /\.[cm]?js$/.test(execPath)) {
    return spawnSync(process.execPath, [execPath, ...args], { cwd: root, stdio: 'inherit' });
  }
  return spawnSync('npm', args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** The `SomeError: message` line of a crashed script's output, without the stack under it; null when there is none. */
function errorLine(output) {
  const line = output.split('\n').find((candidate) => /^\w*Error\b.*:/.test(candidate.trim()));
  return line === undefined ? null : line.trim();
}

function describeExit(result) {
  if (result.error) return result.error.message;
  return result.signal ? `signal ${result.signal}` : `exit code ${result.status}`;
}
