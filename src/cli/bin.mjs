#!/usr/bin/env node
// The CLI runs from TypeScript source through tsx, so `npx nightshift` works without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
