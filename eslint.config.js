import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * The layers under src/ and which others each may import (README, Architecture). `assembly` is the
 * composition root, the one place that wires engine, runtime and sandbox together.
 */
const LAYERS = ['shared', 'node', 'engine', 'runtime', 'sandbox', 'assembly', 'host', 'cli', 'main', 'preload', 'renderer'];
const ALLOWED = {
  shared: [],
  node: ['shared'],
  engine: ['shared', 'node'],
  runtime: ['shared', 'node'],
  sandbox: ['shared', 'node'],
  assembly: ['shared', 'node', 'engine', 'runtime', 'sandbox'],
  host: ['shared', 'node', 'engine', 'runtime', 'sandbox', 'assembly'],
  cli: ['shared', 'node', 'engine', 'runtime', 'sandbox', 'assembly', 'host'],
  main: ['shared', 'node', 'engine', 'runtime', 'sandbox', 'assembly', 'host', 'cli', 'preload'],
  preload: ['shared'],
  renderer: ['shared'],
};
const NODE_BUILTIN = `^(node:|(${builtinModules.filter((name) => !name.startsWith('_')).join('|')})(/|$))`;
/** Layers limited to a few packages; every other layer may use any dependency. */
const PACKAGES = {
  shared: { only: ['zod'], reason: 'src/shared is pure TypeScript (zod only): no Node, Electron or DOM.' },
  node: { only: ['node:'], reason: 'src/node holds Node-only helpers: Node built-ins and src/shared only.' },
  preload: { only: ['electron'], reason: 'the preload script imports only electron and src/shared.' },
};
/** The deepest folder nesting under a layer the rules cover; deeper files get no layer rule, so keep it ahead of the tree. */
const MAX_DEPTH = 6;

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One `no-restricted-imports` entry per layer and folder depth: a relative import names another layer by
 * how many `../` it takes to reach src/, which is fixed for a given depth.
 */
function layerRules() {
  return LAYERS.flatMap((layer) =>
    Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => {
      const toSrc = escape('../'.repeat(depth + 1));
      const forbidden = LAYERS.filter((other) => other !== layer && !ALLOWED[layer].includes(other));
      const patterns = [
        {
          regex: `^${toSrc}(${forbidden.join('|')})(/|$)`,
          message: `src/${layer} may import only ${[layer, ...ALLOWED[layer]].map((name) => `src/${name}`).join(', ')} (README, Architecture).`,
        },
      ];
      const packages = PACKAGES[layer];
      if (packages) {
        const allowed = packages.only.map((name) => (name.endsWith(':') ? escape(name) : `${escape(name)}(/|$)`));
        patterns.push({ regex: `^(?!\\.|${allowed.join('|')})`, message: packages.reason });
      }
      if (layer !== 'main' && layer !== 'preload') {
        patterns.push({ regex: '^electron(/|$)', message: `Only src/main and src/preload import electron; src/${layer} runs without it.` });
      }
      if (layer === 'renderer') {
        patterns.push({ regex: NODE_BUILTIN, message: 'The renderer runs in a browser context: no Node built-ins.' });
      }
      return {
        files: [`src/${layer}/${'*/'.repeat(depth)}*.{ts,js,mjs,svelte}`],
        rules: { 'no-restricted-imports': ['error', { patterns }] },
      };
    }),
  );
}

export default defineConfig(
  { ignores: ['out/', 'dist/', 'coverage/', 'node_modules/', 'test-results/', 'build/native/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  svelte.configs.recommended,
  {
    ignores: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The window's code runs in a browser context, never in Node.
    files: ['src/renderer/**/*.{ts,svelte}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  ...layerRules(),
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
