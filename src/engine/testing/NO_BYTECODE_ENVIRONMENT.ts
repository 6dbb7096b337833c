/**
 * Environment of the commands that judge a change (rails, test runs): Python neither writes bytecode, so a
 * mutant or a reverted module can never be served from a stale cache and no `__pycache__` is left behind,
 * nor looks for it under the sandbox's cache prefix. An empty PYTHONPYCACHEPREFIX counts as unset, so
 * installed packages load from the bytecode shipped next to them (Debian's, a virtual environment's) instead
 * of being compiled again on every run: with the prefix kept, pytest alone costs about a second per run.
 */
export const NO_BYTECODE_ENVIRONMENT: Readonly<Record<string, string>> = Object.freeze({
  PYTHONDONTWRITEBYTECODE: '1',
  PYTHONPYCACHEPREFIX: '',
});
