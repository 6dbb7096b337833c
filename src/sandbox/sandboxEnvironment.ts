/**
 * Host variables every runner passes on to commands a model wrote: PATH to find tools, locale and time zone.
 * Secrets and the host's own tool state (a test runner's VITEST_* variables, NODE_OPTIONS) never pass.
 */
const ALLOWED = new Set(['PATH', 'LANG', 'TZ']);
/** Prefixed families that pass too: locale categories, and pyenv's choice of interpreter for its shims. */
const ALLOWED_PREFIXES = ['LC_', 'PYENV_'];

/**
 * Host variables a runner passes on beyond ALLOWED, because its commands run as the host user. The local runner
 * is the host user in the user's own home and temp folders, so identity, HOME, TMPDIR and SHELL are the
 * host's; sandbox-exec runs as the host user too (its name stays) but gets its own HOME and TMPDIR from the
 * caller; bubblewrap maps a user of its own, so nothing more passes there.
 */
const RUNNER_ADDITIONS: Record<SandboxRunner, readonly string[]> = {
  local: ['HOME', 'USER', 'LOGNAME', 'TMPDIR', 'SHELL'],
  'sandbox-exec': ['USER', 'LOGNAME'],
  bubblewrap: [],
};

/** Runners that start a process on this machine with an environment built here. */
export type SandboxRunner = 'local' | 'sandbox-exec' | 'bubblewrap';

/**
 * The whole environment of one command: the host variables the policy allows, then the runner's own
 * (identity, caches, dependency paths), then the command's, then the non-interactive settings every command
 * gets (CI, NO_COLOR, TERM=dumb), which nothing overrides.
 */
export function sandboxEnvironment(options: {
  /** Which runner; decides the additions to the shared allowlist. */
  runner: SandboxRunner;
  /** The host's environment, filtered here. */
  hostEnv: NodeJS.ProcessEnv;
  /** Variables the runner sets itself, over the host's. Default none. */
  runnerEnv?: Record<string, string>;
  /** Variables of this command (SandboxRunOptions.env), over the runner's. Default none. */
  commandEnv?: Record<string, string>;
}): Record<string, string> {
  const additions = RUNNER_ADDITIONS[options.runner];
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.hostEnv)) {
    const allowed = ALLOWED.has(name) || additions.includes(name) || ALLOWED_PREFIXES.some((prefix) => name.startsWith(prefix));
    if (value !== undefined && allowed) kept[name] = value;
  }
  return { ...kept, ...options.runnerEnv, ...options.commandEnv, CI: '1', NO_COLOR: '1', TERM: 'dumb' };
}
