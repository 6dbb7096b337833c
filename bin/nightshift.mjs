#!/usr/bin/env node
// The `nightshift` command: runs the compiled CLI in out/cli. npm builds it on install, `npm ci`, `npm link`
// and `npm pack` (the prepare and prepack scripts); `npm run build:cli` builds it by hand.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../out/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  const packageDir = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(
    `nightshift: the command line is not built (${fileURLToPath(entry)} is missing).\n` +
      `  Run \`npm run build:cli\` in ${packageDir} (npm install, npm ci and npm link there build it too).\n`,
  );
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
