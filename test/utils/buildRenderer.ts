import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/**
 * Builds the renderer (src/renderer) with Vite and the Svelte plugin into `outDir`, the way the desktop
 * build does but without Electron, so a plain browser can load it.
 */
export async function buildRenderer(options: {
  /** Empty directory to write index.html and assets/ into. */
  outDir: string;
}): Promise<void> {
  await build({
    configFile: false,
    root: fileURLToPath(new URL('../../src/renderer/', import.meta.url)),
    base: './',
    logLevel: 'warn',
    plugins: [svelte({ configFile: false })],
    build: { outDir: options.outDir, emptyOutDir: true, minify: false, reportCompressedSize: false },
  });
}
