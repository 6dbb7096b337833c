import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { CLI_BIN, runCli } from '../../utils/runCli.js';

const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
const HEAVY = ['node-llama-cpp', 'dockerode', 'isomorphic-git', 'typescript', 'better-sqlite3', 'fast-xml-parser', 'diff'];

/**
 * Runs the CLI with a module loader hook that records every module it resolves, and returns the packages
 * (the first path segment under node_modules) among them.
 */
function packagesLoadedBy(args: string[]): { code: number | null; packages: Set<string>; stderr: string } {
  const dir = makeTempDir();
  const log = join(dir, 'resolved.log');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';\n` +
      `export async function resolve(specifier, context, next) {\n` +
      `  const result = await next(specifier, context);\n` +
      `  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');\n` +
      `  return result;\n` +
      `}\n`,
  );
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
  writeFileSync(log, '');
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, CLI_BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  const packages = new Set(
    readFileSync(log, 'utf8')
      .split('\n')
      .flatMap((url) => {
        const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
        return match ? [match[1]!] : [];
      }),
  );
  return { code: result.status, packages, stderr: result.stderr };
}

describe('the compiled CLI starts light', () => {
  it('prints the package version for --version and -V', () => {
    for (const flag of ['--version', '-V']) {
      const result = runCli({ args: [flag] });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(`${version}\n`);
    }
  });

  it('loads none of the engine’s heavy packages for --help and --version', () => {
    for (const args of [['--help'], ['--version'], ['run', '--help']]) {
      const { code, packages, stderr } = packagesLoadedBy(args);
      expect(code, stderr).toBe(0);
      expect(packages.has('commander'), `${args.join(' ')} should have loaded commander at all`).toBe(true);
      expect(HEAVY.filter((name) => packages.has(name)), args.join(' ')).toEqual([]);
    }
  });

  it('loads only the database for status', () => {
    const { code, packages, stderr } = packagesLoadedBy(['status', '--data-dir', makeTempDir()]);
    expect(code, stderr).toBe(0);
    expect(HEAVY.filter((name) => packages.has(name))).toEqual(['better-sqlite3']);
  });
});
