/*
 * electron-builder's configuration for the macOS app (`npm run dist:mac`, README "Building the macOS app").
 * Apple Silicon only: the planner's memory budget is Metal's working set on unified memory, and the only
 * llama.cpp binaries shipped are @node-llama-cpp/mac-arm64-metal's.
 *
 * The app finds its files the way the CLI does, relative to the folder with package.json
 * (src/node/findPackageRoot.ts; inside the app that is app.asar), so resources/ and models.json ship inside
 * the app's files rather than as extraResources beside it.
 */

const entitlements = 'build/entitlements.mac.plist';

/**
 * CSC_NAME (a keychain identity) or CSC_LINK (a .p12 file) select a Developer ID certificate; electron-builder
 * reads them itself when `identity` is left unset. Without them the app is signed ad hoc ('-'): Apple
 * Silicon refuses to run unsigned arm64 code, and an ad-hoc signature is enough on the Mac that built it.
 */
const hasSigningIdentity = Boolean(process.env.CSC_NAME || process.env.CSC_LINK);

/** The three ways @electron/notarize can log in (electron-builder's `notarize` documentation). */
const hasNotarizeCredentials = Boolean(
  (process.env.APPLE_API_KEY && process.env.APPLE_API_KEY_ID && process.env.APPLE_API_ISSUER) ||
    (process.env.APPLE_ID && process.env.APPLE_APP_SPECIFIC_PASSWORD && process.env.APPLE_TEAM_ID) ||
    (process.env.APPLE_KEYCHAIN && process.env.APPLE_KEYCHAIN_PROFILE),
);

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'dev.nightshift.app',
  productName: 'Nightshift',
  directories: { output: 'dist', buildResources: 'build' },
  files: [
    'package.json',
    'out/main/**',
    'out/preload/**',
    'out/renderer/**',
    'resources/**',
    'models.json',
    // better-sqlite3 built for Electron's ABI by build/scripts/ensureDeps.mjs (run by predist:mac); the main
    // process looks for it under the app path (src/main/electronNativeBinding.ts). electron-builder leaves the
    // buildResources folder (build/) out of the app, and this later pattern takes this one folder back.
    'build/native/**',
    // node_modules' copy of better-sqlite3 is built for Node's ABI (the CLI and tests use it) and can never load
    // in Electron; its C sources are for that build. The app loads the build/native one instead.
    '!node_modules/better-sqlite3/{build,deps,src}{,/**}',
    // llama.cpp binaries for other platforms: npm installs the platform packages whose os/cpu match, but a
    // lockfile made elsewhere or --force can bring others, and node-llama-cpp's own bins/ folder can hold builds.
    '!node_modules/@node-llama-cpp/{linux,win}-*{,/**}',
    '!node_modules/@node-llama-cpp/mac-x64{,/**}',
    '!node_modules/node-llama-cpp/bins/{linux,win}-*{,/**}',
    '!node_modules/node-llama-cpp/bins/mac-x64{,/**}',
    '!node_modules/node-llama-cpp/llama/localBuilds/{linux,win}-*{,/**}',
    '!node_modules/node-llama-cpp/llama/localBuilds/mac-x64{,/**}',
    // The llama.cpp sources node-llama-cpp clones for a local build, which it never attempts inside app.asar.
    '!node_modules/node-llama-cpp/llama/gitRelease.bundle',
  ],
  asar: true,
  // A native module is loaded with dlopen, which reads real files: none may stay inside app.asar. Electron maps
  // a path inside app.asar to app.asar.unpacked for these, and node-llama-cpp does the same for its binaries.
  asarUnpack: [
    '**/*.node',
    'build/native/**',
    // llama-addon.node with the libggml/libllama dylibs and Metal shader library it loads from the same folder.
    'node_modules/@node-llama-cpp/mac-arm64-metal/**',
    'node_modules/node-llama-cpp/bins/**',
    'node_modules/node-llama-cpp/llama/localBuilds/**',
    // Optional addons of ssh2 (dockerode's SSH transport): built only where their install scripts are allowed.
    'node_modules/cpu-features/**',
    'node_modules/ssh2/lib/protocol/crypto/build/**',
  ],
  // electron-builder would rebuild node_modules' native modules for Electron in place, breaking the Node build
  // the CLI and the tests load; the app's Electron build of better-sqlite3 is build/native's, and
  // node-llama-cpp's prebuilt addons use Node-API, which does not depend on the ABI.
  npmRebuild: false,
  electronFuses: {
    // Must stay enabled: the engine forks the model host as `process.execPath` with ELECTRON_RUN_AS_NODE
    // (src/runtime/host/nodeForkEnv.ts), which inside the app is the Nightshift binary itself.
    runAsNode: true,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
  },
  mac: {
    target: [{ target: 'dmg', arch: ['arm64'] }],
    category: 'public.app-category.developer-tools',
    hardenedRuntime: true,
    entitlements,
    // The helpers (renderer, GPU, utility processes running the engine and the model host) load the same
    // native addons and run the same V8, so they get the same exceptions.
    entitlementsInherit: entitlements,
    ...(hasSigningIdentity ? {} : { identity: '-' }),
    notarize: hasNotarizeCredentials,
  },
};
