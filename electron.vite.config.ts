import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      // Bundle everything but the SQLite addon: a `.node` file cannot be bundled, and main loads the build
      // made for Electron's ABI by path (see build/scripts/ensureDeps.mjs).
      externalizeDeps: false,
      rolldownOptions: {
        input: 'src/main/index.ts',
        external: ['better-sqlite3'],
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
