/*
 * Builds the `nightshift` command line into out/cli/: src/cli/main.ts, the model host it forks
 * (src/runtime/host/modelHostMain.ts, which forkModelHost finds as modelHostMain.js beside its own chunk)
 * and the engine process `nightshift serve` forks (src/host/engineProcessMain.ts, found the same way),
 * bundled by esbuild as ES modules. Packages in node_modules stay external, so native addons
 * (better-sqlite3, node-llama-cpp) load from their own folders. Each command imports its heavy modules
 * inside its action; esbuild's code splitting turns those imports into chunks loaded only when that
 * command runs, so `--help`, `--version` and `status` do not load the engine.
 *
 * Run by `npm run build:cli`, `prepare` (npm install, npm ci, npm link), `prepack` (npm pack), and with
 * --if-stale by build/scripts/ensureDeps.mjs (pretest, prestart) and the tests' vitest globalSetup.
 *
 * --if-stale builds only when out/cli/build-inputs.json is missing, or a file it lists (every source file
 * in the bundle, package.json, this script) changed after the last build started. Source files that a
 * change newly imports are covered: the importing file changed too.
 *
 * The build goes to a fresh folder whose files are then renamed into out/cli, chunks first and the entry
 * files last, so a CLI process never loads a half-written file and out/cli never goes missing (tests spawn
 * many processes while another test run may rebuild). Chunk names carry a content hash; a process started
 * before a rebuild still finds the chunks it imports lazily, because chunks the new build no longer names
 * are deleted only once they are RETIRED_CHUNK_AGE_MS old.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'out', 'cli');
const manifestName = 'build-inputs.json';
const entryNames = ['main', 'modelHostMain', 'engineProcessMain'];
const RETIRED_CHUNK_AGE_MS = 10 * 60_000;

/**
 * Builds out/cli. Returns true when it built, false when `ifStale` found the output current.
 * @param {{ ifStale?: boolean }} [options] ifStale: build only when a source changed since the last build. Default false.
 */
export async function buildCli(options = {}) {
  if (options.ifStale && !isStale()) return false;
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('esbuild is not installed; run `npm install` in the Nightshift repository (it is a devDependency) and then `npm run build:cli`.');
  }
  const startedAt = Date.now();
  const staging = join(root, 'out', `cli.building-${process.pid}-${startedAt}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: {
        [entryNames[0]]: 'src/cli/main.ts',
        [entryNames[1]]: 'src/runtime/host/modelHostMain.ts',
        [entryNames[2]]: 'src/host/engineProcessMain.ts',
      },
      outdir: staging,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      // One flat folder: modules that find files relative to import.meta.url (the model host entry, the
      // package root) see the same location whichever chunk they end up in.
      chunkNames: 'chunk-[hash]',
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
      logLevel: 'warning',
    });
    const inputs = [...Object.keys(result.metafile.inputs), 'package.json', relative(root, fileURLToPath(import.meta.url))];
    writeFileSync(join(staging, manifestName), `${JSON.stringify({ startedAt, inputs }, null, 2)}\n`);
    replaceOutput(staging);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return true;
}

function isStale() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(outDir, manifestName), 'utf8'));
  } catch {
    return true;
  }
  if (!existsSync(join(outDir, 'main.js')) || !Array.isArray(manifest.inputs)) return true;
  return manifest.inputs.some((input) => (mtime(join(root, input)) ?? Infinity) > manifest.startedAt);
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

function replaceOutput(staging) {
  mkdirSync(outDir, { recursive: true });
  const built = readdirSync(staging);
  const isEntry = (name) => name === manifestName || entryNames.some((entry) => name.startsWith(`${entry}.js`));
  for (const name of [...built.filter((name) => !isEntry(name)), ...built.filter(isEntry)]) {
    renameSync(join(staging, name), join(outDir, name));
  }
  const now = Date.now();
  for (const name of readdirSync(outDir)) {
    if (built.includes(name)) continue;
    const path = join(outDir, name);
    // Another build may have removed it since the listing.
    const modifiedAt = mtime(path);
    if (modifiedAt !== null && now - modifiedAt > RETIRED_CHUNK_AGE_MS) rmSync(path, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const ifStale = process.argv.includes('--if-stale');
  buildCli({ ifStale }).then(
    (built) => {
      if (built) console.log(`nightshift: built the CLI into ${relative(process.cwd(), outDir) || '.'}`);
    },
    (error) => {
      console.error(`nightshift: building the CLI failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
