/** A top-level host entry a bubblewrap sandbox shows: a directory bound read-only, or a symlink recreated. */
export interface HostEntry {
  /** Absolute path, the same inside and outside. */
  path: string;
  /** The link's target when the host entry is a symlink (kept as a link so relative targets keep working). */
  symlinkTarget?: string;
}

/** The user id and group id commands see inside; the host user maps to it, so it owns what the host user owns. */
export const SANDBOX_UID = 1000;

/** The home directory commands see: a fresh directory in the sandbox's private /tmp. */
export const SANDBOX_HOME = '/tmp/home';

/** Where the sandbox's cache folder appears inside: XDG_CACHE_HOME and the other caches point here. */
export const SANDBOX_CACHE_DIR = '/tmp/cache';

/**
 * The `bwrap` arguments of one run, ending with the command. The sandbox has its own user, pid, network
 * (loopback only), IPC, UTS and cgroup namespaces, cannot create further user namespaces, and its first
 * process dies with bwrap. It sees: the system entries and the chosen /etc entries read-only, the synthetic
 * passwd and group files, a fresh /proc mounted read-only (a process mapped to the host's root would
 * otherwise own /proc/sys and could change the host's sysctls), a minimal /dev, a private /tmp holding the
 * home directory, the read-only paths at their own paths (with private tmpfs folders inside them where asked),
 * the sandbox's cache folder read-write at SANDBOX_CACHE_DIR, and the workspace read-write. The root file system
 * is then made read-only, so the workspace and /tmp are the only writable places. Once all that is set up, a
 * first shell inside writes `ready` to fd 3 (which bwrap passes through) and closes it before the command
 * starts, so a launcher failure is told apart from the command's own exit status.
 */
export function buildBubblewrapArgs(options: {
  /** The run's workspace, bound read-write at its own path. */
  workspaceDir: string;
  /** Absolute working directory of the command, inside the workspace. */
  cwd: string;
  /** /usr, /bin, /lib* as found on the host. */
  systemEntries: HostEntry[];
  /** Entries of /etc shown read-only. */
  etcEntries: HostEntry[];
  /** Host files with the sandbox's /etc/passwd and /etc/group. */
  identityFiles: { passwd: string; group: string };
  /** Tool installs and other host paths shown read-only at their own paths. */
  readOnlyPaths: string[];
  /**
   * Existing folders inside the read-only paths that get a private writable tmpfs each (vite's folders in a
   * linked node_modules). Default none.
   */
  privateDirs?: string[];
  /** Host folder bound read-write at CACHE_DIR, so the commands' caches last for the sandbox's lifetime. */
  cacheDir?: string;
  /**
   * Program and arguments the command's shell is started through inside the namespaces, e.g. prlimit with the
   * run's rlimits (outside, RLIMIT_NPROC would count the host user's processes). Empty for none.
   */
  commandPrefix: string[];
  /** The shell command. */
  command: string;
}): string[] {
  const args = [
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--uid',
    String(SANDBOX_UID),
    '--gid',
    String(SANDBOX_UID),
    '--hostname',
    'nightshift',
  ];
  for (const entry of [...options.systemEntries, ...options.etcEntries]) {
    if (entry.symlinkTarget !== undefined) args.push('--symlink', entry.symlinkTarget, entry.path);
    else args.push('--ro-bind', entry.path, entry.path);
  }
  args.push('--ro-bind', options.identityFiles.passwd, '/etc/passwd', '--ro-bind', options.identityFiles.group, '/etc/group');
  args.push('--proc', '/proc', '--remount-ro', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--dir', SANDBOX_HOME);
  for (const path of options.readOnlyPaths) args.push('--ro-bind', path, path);
  for (const path of options.privateDirs ?? []) args.push('--tmpfs', path);
  if (options.cacheDir !== undefined) args.push('--bind', options.cacheDir, SANDBOX_CACHE_DIR);
  args.push('--bind', options.workspaceDir, options.workspaceDir, '--remount-ro', '/', '--chdir', options.cwd, '--');
  args.push('/bin/sh', '-c', 'printf ready >&3 && exec 3>&- && exec "$@"', 'sh');
  args.push(...options.commandPrefix, '/bin/sh', '-c', options.command);
  return args;
}
