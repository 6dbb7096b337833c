import { pythonFiles } from '../fixtures/createPythonFixture.js';

/**
 * The Python fixture's TASKS.md cut to its first two tasks: with the fixture's script, T1 is right first time and
 * T2 needs three attempts (a stub, an out-of-scope edit, then good), so a session over it runs a few minutes at most.
 */
export const twoTaskBacklog = `${(pythonFiles['TASKS.md'] ?? '').split('\n## T3:')[0]!.trimEnd()}\n`;
