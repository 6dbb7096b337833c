import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Compiles the renderer's runes (`*.svelte.ts` state classes) so their unit tests run without a browser.
  plugins: [svelte({ configFile: false })],
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    // The CLI tests run the compiled `nightshift`, as users do; this builds it first when a source changed.
    globalSetup: ['test/utils/buildCliForTests.ts'],
    // Sized for a 2-core machine shared with other work: a test that runs real commands can take several
    // times its idle duration there. End-to-end sessions set their own, longer limits.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Most time goes to child processes (pytest, vitest, node, Docker execs) rather than the workers
    // themselves, so two workers keep a 2-core machine busy where vitest's default (cores - 1) leaves it half idle.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
