/**
 * The environment for a Node child forked from this process. `child_process.fork` starts `process.execPath`,
 * which inside Electron (the app's engine runs in a utilityProcess) is an Electron binary: without
 * ELECTRON_RUN_AS_NODE it would start another Electron app instead of running the script as Node. Under
 * plain Node the environment is returned as given.
 */
export function nodeForkEnv(options: {
  /** The environment the child should get. */
  env: NodeJS.ProcessEnv;
  /** The runtime's versions, as `process.versions` reports them; `electron` is set only under Electron. */
  versions: Partial<Record<string, string>>;
}): NodeJS.ProcessEnv {
  if (options.versions.electron === undefined) return options.env;
  return { ...options.env, ELECTRON_RUN_AS_NODE: '1' };
}
