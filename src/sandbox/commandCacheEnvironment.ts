/**
 * Environment that sends the caches test runners and package managers write (XDG caches, Python bytecode,
 * npm's cache) to `cacheDir`, a writable folder of the sandbox's own: the project's dependency folders are
 * linked read-only, and a runner that cannot write its cache there may fail a run whose tests all passed.
 * Python's bytecode of the workspace's own files goes there too, so runs leave no `__pycache__` behind.
 */
export function commandCacheEnvironment(options: {
  /** Absolute path, as the command sees it, of a folder the command may write and that outlives one run where possible. */
  cacheDir: string;
}): Record<string, string> {
  return {
    XDG_CACHE_HOME: options.cacheDir,
    PYTHONPYCACHEPREFIX: `${options.cacheDir}/pycache`,
    npm_config_cache: `${options.cacheDir}/npm`,
  };
}
