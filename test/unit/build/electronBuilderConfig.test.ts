import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { electronNativeBinding } from '../../../src/main/electronNativeBinding.js';

/*
 * The DMG can only be built on a Mac, so this checks the configuration electron-builder would read: which
 * files it ships, which of them stay outside app.asar, and how it signs. Shipped and unpacked paths are
 * decided with the minimatch electron-builder itself uses, in its order (the last pattern that applies wins).
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const configPath = join(root, 'build', 'electron-builder.config.cjs');

interface Minimatch {
  negate: boolean;
  match(path: string, partial?: boolean): boolean;
}
interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { buildResources: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  electronFuses: Record<string, boolean>;
  mac: {
    target: { target: string; arch: string[] }[];
    hardenedRuntime: boolean;
    entitlements: string;
    entitlementsInherit: string;
    identity?: string | null;
    notarize: boolean;
  };
}

// electron-builder's own matcher, not whichever minimatch happens to be hoisted to the top of node_modules.
const builderRequire = createRequire(createRequire(join(root, 'package.json')).resolve('app-builder-lib/package.json'));
const { Minimatch: MinimatchClass } = builderRequire('minimatch') as { Minimatch: new (pattern: string, options: { dot: boolean }) => Minimatch };

function matchesLast(path: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const pattern of patterns.map((text) => new MinimatchClass(text, { dot: true }))) {
    if (matched !== pattern.negate) continue;
    matched = pattern.match(path);
  }
  return matched;
}

/**
 * Whether electron-builder copies `path` (relative to the project) into the app. Dependencies' files are all
 * copied but for the `files` exclusions; the app's own files are those `files` names, after electron-builder's
 * default exclusions of node_modules and the buildResources folder, which it puts first.
 */
function isShipped(config: BuilderConfig, path: string): boolean {
  if (path.startsWith('node_modules/')) return matchesLast(path, ['**/*', ...config.files.filter((pattern) => pattern.startsWith('!'))]);
  return matchesLast(path, ['!**/node_modules/**', `!${config.directories.buildResources}{,/**/*}`, ...config.files]);
}

function isUnpacked(config: BuilderConfig, path: string): boolean {
  return matchesLast(path, config.asarUnpack);
}

function loadConfig(env: Record<string, string>): BuilderConfig {
  // A fresh process per environment: the config reads the signing and notarization variables when loaded.
  const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(CSC_|APPLE_)/.test(key)));
  const json = execFileSync(process.execPath, ['-e', `process.stdout.write(JSON.stringify(require(${JSON.stringify(configPath)})))`], {
    env: { ...cleanEnv, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(json) as BuilderConfig;
}

/** The package folders the app's runtime dependencies pull in (dependencies and optional ones, transitively). */
function runtimePackageDirs(): string[] {
  const found = new Set<string>();
  const visit = (fromDir: string, names: string[]) => {
    for (const name of names) {
      const dir = resolvePackageDir(fromDir, name);
      if (dir === null || found.has(dir)) continue;
      found.add(dir);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
      visit(dir, [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
    }
  };
  const app = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  visit(root, Object.keys(app.dependencies));
  return [...found];
}

/** Node's lookup: `node_modules/<name>` in `fromDir` or the nearest folder above it; null for an optional package not installed here. */
function resolvePackageDir(fromDir: string, name: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return null;
  }
}

/** Files under a package folder, its own nested node_modules left to the packages that live there. */
function packageFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : packageFiles(path);
    return entry.isFile() ? [path] : [];
  });
}

const projectPath = (path: string) => relative(root, path).split(sep).join('/');

describe('electron-builder configuration for macOS', () => {
  const config = loadConfig({});

  it('keeps out of app.asar every native module the runtime dependencies install, unless it is not shipped at all', () => {
    const files = runtimePackageDirs().flatMap(packageFiles);
    const addons = files.filter((file) => file.endsWith('.node')).map(projectPath);
    // A package with a binding.gyp builds its addon under build/ beside it when its install script may run.
    const gypOutputs = files.filter((file) => file.endsWith(`${sep}binding.gyp`)).map((file) => `${projectPath(dirname(file))}/build/Release/addon.node`);
    expect(addons.length).toBeGreaterThan(0);
    expect(gypOutputs).toContain('node_modules/better-sqlite3/build/Release/addon.node');
    const packedAddons = [...addons, ...gypOutputs].filter((path) => isShipped(config, path) && !isUnpacked(config, path));
    expect(packedAddons).toEqual([]);
  });

  it('ships the Electron build of better-sqlite3 where the main process looks for it, unpacked', () => {
    const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
    const binding = electronNativeBinding({ appPath: root, electronVersion });
    expect(isShipped(config, projectPath(binding))).toBe(true);
    expect(isUnpacked(config, projectPath(binding))).toBe(true);
    // node_modules' own build is Node's ABI, which Electron cannot load: not shipped.
    expect(isShipped(config, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(false);
    expect(isShipped(config, 'node_modules/better-sqlite3/lib/index.js')).toBe(true);
  });

  it('ships the Apple Silicon llama.cpp binaries unpacked and no other platform’s', () => {
    const metal = 'node_modules/@node-llama-cpp/mac-arm64-metal/bins/mac-arm64-metal';
    for (const file of ['llama-addon.node', 'libggml-metal.dylib', 'libllama.dylib', 'default.metallib', 'buildMetadata.json']) {
      expect(isShipped(config, `${metal}/${file}`), file).toBe(true);
      expect(isUnpacked(config, `${metal}/${file}`), file).toBe(true);
    }
    const llamaPackage = JSON.parse(readFileSync(join(root, 'node_modules', 'node-llama-cpp', 'package.json'), 'utf8')) as { optionalDependencies: Record<string, string> };
    const platforms = Object.keys(llamaPackage.optionalDependencies)
      .filter((name) => name.startsWith('@node-llama-cpp/'))
      .map((name) => name.slice('@node-llama-cpp/'.length));
    expect(platforms).toContain('mac-arm64-metal');
    for (const platform of platforms.filter((name) => name !== 'mac-arm64-metal')) {
      expect(isShipped(config, `node_modules/@node-llama-cpp/${platform}/bins/${platform}/llama-addon.node`), platform).toBe(false);
      expect(isShipped(config, `node_modules/node-llama-cpp/bins/${platform}/llama-addon.node`), platform).toBe(false);
      expect(isShipped(config, `node_modules/node-llama-cpp/llama/localBuilds/${platform}/Release/llama-addon.node`), platform).toBe(false);
    }
    expect(isShipped(config, 'node_modules/node-llama-cpp/dist/index.js')).toBe(true);
    expect(isShipped(config, 'node_modules/node-llama-cpp/llama/binariesGithubRelease.json')).toBe(true);
    expect(isShipped(config, 'node_modules/node-llama-cpp/llama/gitRelease.bundle')).toBe(false);
  });

  it('ships the bundles and every resource the app reads at run time', () => {
    for (const path of ['out/main/index.js', 'out/main/modelHostMain.js', 'out/main/engineProcessMain.js', 'out/preload/index.js', 'out/renderer/index.html', 'package.json', 'models.json']) {
      expect(isShipped(config, path), path).toBe(true);
    }
    const resources = packageFiles(join(root, 'resources')).map(projectPath);
    for (const folder of ['prompts', 'sandbox', 'testing', 'demo', 'icons', 'analysis']) {
      expect(resources.some((path) => path.startsWith(`resources/${folder}/`)), folder).toBe(true);
    }
    expect(resources.filter((path) => !isShipped(config, path))).toEqual([]);
    expect(isShipped(config, 'src/main/index.ts')).toBe(false);
    expect(isShipped(config, 'build/bench/uiBench.ts')).toBe(false);
  });

  it('builds an arm64 DMG with the hardened runtime and the entitlements its native code needs', () => {
    expect(config).toMatchObject({ appId: expect.any(String), productName: 'Nightshift', asar: true, npmRebuild: false });
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['arm64'] }]);
    expect(config.mac.hardenedRuntime).toBe(true);
    // The engine forks the model host with ELECTRON_RUN_AS_NODE.
    expect(config.electronFuses.runAsNode).toBe(true);
    for (const file of new Set([config.mac.entitlements, config.mac.entitlementsInherit])) {
      const xml = readFileSync(join(root, file), 'utf8');
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(plistBooleans(xml)).toMatchObject({
        'com.apple.security.cs.allow-jit': true,
        'com.apple.security.cs.allow-unsigned-executable-memory': true,
        'com.apple.security.cs.disable-library-validation': true,
      });
    }
  });

  it('signs ad hoc and skips notarization unless the environment names an identity and Apple credentials', () => {
    expect(config.mac.identity).toBe('-');
    expect(config.mac.notarize).toBe(false);
    const signed = loadConfig({ CSC_NAME: 'Developer ID Application: Example (TEAM123456)', APPLE_API_KEY: '/keys/AuthKey.p8', APPLE_API_KEY_ID: 'KEY123', APPLE_API_ISSUER: 'issuer' });
    expect(signed.mac.identity).toBeUndefined();
    expect(signed.mac.notarize).toBe(true);
    expect(loadConfig({ CSC_LINK: '/certs/developer-id.p12' }).mac.identity).toBeUndefined();
  });

  it('is the only electron-builder configuration and is what dist:mac builds with', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { build?: unknown; scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.build).toBeUndefined();
    expect(pkg.devDependencies['electron-builder']).toBeDefined();
    expect(pkg.scripts['dist:mac']).toContain('--config build/electron-builder.config.cjs');
    expect(pkg.scripts['dist:mac']).toMatch(/--mac --arm64/);
  });
});

/** The `<key>` → boolean pairs of a plist's top-level dict. */
function plistBooleans(xml: string): Record<string, boolean> {
  type Node = Record<string, Node[] | string>;
  const parsed = new XMLParser({ preserveOrder: true, ignoreAttributes: true, ignoreDeclaration: true }).parse(xml) as Node[];
  const plist = parsed.find((node) => 'plist' in node)!.plist as Node[];
  const dict = plist.find((node) => 'dict' in node)!.dict as Node[];
  const entries: Record<string, boolean> = {};
  for (let index = 0; index < dict.length; index += 2) {
    const key = ((dict[index]!.key as Node[])[0]!['#text'] as string).trim();
    const value = dict[index + 1]!;
    entries[key] = 'true' in value;
  }
  return entries;
}
