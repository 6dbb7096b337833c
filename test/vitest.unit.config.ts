import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/**
 * The fast lane (`npm run test:unit`): test/unit only, pure logic in-process, so no CLI build first and
 * the default worker count. `npm test` runs everything.
 */
export default defineConfig({
  // Compiles the renderer's runes (`*.svelte.ts` state classes) so their unit tests run without a browser.
  plugins: [svelte({ configFile: false })],
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
