import { defineConfig } from 'vitest/config';

/**
 * The fast lane (`npm run test:unit`): test/unit only, pure logic in-process, so no CLI build first and
 * the default worker count. `npm test` runs everything.
 */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
