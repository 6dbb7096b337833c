import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      // Bundle everything but the native addons: a `.node` file cannot be bundled, main loads the SQLite
      // build made for Electron's ABI by path (see build/scripts/ensureDeps.mjs), and node-llama-cpp finds
      // its prebuilt binaries relative to its own package.
      externalizeDeps: false,
      rolldownOptions: {
        // The model host and the engine each run in their own utilityProcess, from out/main/modelHostMain.js
        // and out/main/engineProcessMain.js beside the main bundle.
        input: { index: 'src/main/index.ts', modelHostMain: 'src/runtime/host/modelHostMain.ts', engineProcessMain: 'src/host/engineProcessMain.ts' },
        // ssh2 (dockerode's SSH transport) loads cpu-features, an optional native addon that is never built
        // here (package.json allowScripts), inside a try; left external it is simply absent at run time.
        external: ['better-sqlite3', 'node-llama-cpp', 'cpu-features'],
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload script can only `require` Electron's own modules, so it must be one CommonJS
      // file with its imports bundled in.
      externalizeDeps: false,
      rolldownOptions: {
        input: 'src/preload/index.ts',
        output: { format: 'cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [svelte()],
    build: {
      rolldownOptions: {
        input: 'src/renderer/index.html',
      },
    },
  },
});
