import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox, SandboxResult, SandboxRunOptions } from '../../shared/sandbox/Sandbox.js';
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './SandboxLimits.js';
import { SandboxUnavailableError } from './SandboxUnavailableError.js';
import { assertExposable } from './assertExposable.js';
import { commandCacheEnvironment } from '../commandCacheEnvironment.js';
import { dependencyEnvironment } from '../dependencyEnvironment.js';
import { findViteCacheDirs } from '../findViteCacheDirs.js';
import { SANDBOX_CACHE_DIR, SANDBOX_HOME, SANDBOX_UID, buildBubblewrapArgs, type HostEntry } from './buildBubblewrapArgs.js';
import { findCgroupLimiter } from './findCgroupLimiter.js';
import { findExecutable } from './findExecutable.js';
import { guessLimitHit } from './guessLimitHit.js';
import { isPathInside } from '../../shared/isPathInside.js';
import { resolveToolDirs } from './resolveToolDirs.js';
import { killRunning } from '../killRunning.js';
import { runSandboxedProcess } from '../runSandboxedProcess.js';
import { resolveRunDirs } from './resolveRunDirs.js';
import { sandboxEnvironment } from '../sandboxEnvironment.js';

/** A bubblewrap sandbox, with how it enforces its memory and process limits. */
export interface BubblewrapSandbox extends Sandbox {
  readonly kind: 'bubblewrap';
  /**
   * `cgroup-v1`/`cgroup-v2`: a control group per run, the kernel's own accounting, read back exactly.
   * `rlimit`: prlimit inside the sandbox's user namespace, limit hits recognised from the error messages.
   */
  readonly limitMethod: 'cgroup-v1' | 'cgroup-v2' | 'rlimit';
}

const SYSTEM_ENTRIES = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/**
 * Only what tools need from /etc: library lookup, certificates, time zone, name-service configuration for
 * localhost, and the alternatives and Python configuration that /usr links into. Never credentials, shadow
 * files or the host's package-manager settings.
 */
const ETC_ENTRIES = [
  'alternatives',
  'ca-certificates',
  'crypto-policies',
  'debian_version',
  'gai.conf',
  'gitconfig',
  'host.conf',
  'hosts',
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'localtime',
  'mime.types',
  'nsswitch.conf',
  'os-release',
  'pki',
  'protocols',
  'services',
  'ssl',
  'timezone',
];

/** Joins the run's control groups (one `cgroup.procs` file per argument after the count) before bwrap starts. */
const JOIN_CGROUPS = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; exec "$@"';

/**
 * Runs commands under bubblewrap (Linux): no network but a private loopback, no view of the host's processes,
 * read-only system directories and tool installs, nothing of the user's home, writes only to the run's
 * workspace, a private /tmp and the sandbox's cache folder (caches and Python bytecode, kept across runs),
 * and memory and process limits per run. The linked dependency folders are used as they are: node_modules/.bin
 * and a virtual environment's bin first on PATH, `.nightshift-deps` on PYTHONPATH (see dependencyEnvironment),
 * vite's folders inside node_modules private and writable.
 *
 * Limits: where this process can create control groups (root, or a delegated cgroup subtree) each run gets
 * its own memory and pids group. That is the only way that works for root: the kernel exempts the host's
 * root user from RLIMIT_NPROC even inside a user namespace, and a mapped uid does not change that. Otherwise
 * (an ordinary user) the limits are rlimits set inside the sandbox's fresh user namespace, where the kernel
 * counts RLIMIT_NPROC per namespace (Linux 5.14+), so the process limit covers the run and not the user's
 * whole session; memory is RLIMIT_DATA, which counts what a process actually allocates, unlike RLIMIT_AS that
 * V8 and the JVM exhaust with address-space reservations. Root without control groups is refused. A run
 * that hits a control-group limit is stopped at once and reported with `limitHit`.
 *
 * Started by root, the command's processes stay the host's uid 0 (a user namespace only renames it): they
 * hold no capabilities and cannot gain any (no setuid, no new user namespaces), every mount but the
 * workspace and /tmp is read-only, and /proc too, since uid 0 owns /proc/sys and could otherwise change the
 * host's kernel settings.
 */
export function createBubblewrapSandbox(options: {
  /**
   * The directory commands may write to: each run's `workspaceDir` must be it or lie inside it, and only the
   * run's own workspace is mounted (read-write). It must not be `/`, the home directory or hold it.
   */
  workspaceDir: string;
  /** Memory, process and CPU limits per run. Default: 4 GiB, 1024 processes and threads, no CPU limit. */
  limits?: SandboxLimits;
  /**
   * Host directories shown read-only at their own paths, e.g. the project's node_modules or .venv that the
   * workspace links to. Default none.
   */
  readOnlyDirs?: string[];
  /** Programs whose install directories are shown read-only. Default `node`, `python3`, `python`. */
  tools?: string[];
  /**
   * Host environment: PATH finds bwrap, prlimit and the tools and is passed on; HOME is the directory kept
   * hidden. Default process.env.
   */
  env?: NodeJS.ProcessEnv;
}): BubblewrapSandbox {
  const env = options.env ?? process.env;
  const home = env.HOME ?? homedir();
  const searchPath = env.PATH ?? '/usr/bin:/bin';
  const root = assertExposable({ path: options.workspaceDir, home });
  const bwrap = findExecutable({ name: 'bwrap', searchPath });
  if (!bwrap) {
    throw new SandboxUnavailableError({
      kind: 'bubblewrap',
      reason: 'the bwrap program is not installed',
      hint: 'Install bubblewrap (apt-get install bubblewrap, dnf install bubblewrap, pacman -S bubblewrap) or use the Docker sandbox.',
    });
  }
  const limits = { ...DEFAULT_SANDBOX_LIMITS, ...options.limits };
  const limiter = findCgroupLimiter();
  if (!limiter && process.getuid?.() === 0) {
    throw new SandboxUnavailableError({
      kind: 'bubblewrap',
      reason: 'running as root without a writable cgroup, so the process limit cannot be enforced (the kernel exempts root from RLIMIT_NPROC)',
      hint: 'Run Nightshift as an ordinary user, give it a writable cgroup (memory and pids controllers), or use the Docker sandbox.',
    });
  }
  const prlimit = findExecutable({ name: 'prlimit', searchPath });
  if (!prlimit && (!limiter || limits.cpuSeconds !== undefined)) {
    throw new SandboxUnavailableError({
      kind: 'bubblewrap',
      reason: 'the prlimit program (util-linux) is not installed, so resource limits cannot be set',
      hint: 'Install util-linux, or use the Docker sandbox.',
    });
  }
  const systemEntries = hostEntries(SYSTEM_ENTRIES);
  const etcEntries = hostEntries(listEtc());
  const systemDirs = systemEntries.filter((entry) => entry.symlinkTarget === undefined).map((entry) => entry.path);
  const dependencyDirs = (options.readOnlyDirs ?? []).map((dir) => assertExposable({ path: dir, home }));
  const dependencies = dependencyEnvironment({ readOnlyDirs: dependencyDirs, path: searchPath, runsOn: 'host' });
  const readOnlyPaths = [
    // A linked virtual environment's base interpreter must be visible for the environment to start.
    ...resolveToolDirs({ tools: [...(options.tools ?? ['node', 'python3', 'python']), ...dependencies.interpreters], searchPath, home }),
    ...dependencyDirs,
  ].filter((path, index, all) => all.indexOf(path) === index && !systemDirs.some((dir) => isPathInside({ path, dir })));
  const privateDirs = findViteCacheDirs({ readOnlyDirs: dependencyDirs });
  const identityDir = mkdtempSync(join(tmpdir(), 'nightshift-bwrap-'));
  const identityFiles = { passwd: join(identityDir, 'passwd'), group: join(identityDir, 'group') };
  const cacheDir = join(identityDir, 'cache');
  mkdirSync(cacheDir);
  writeFileSync(identityFiles.passwd, `root:x:0:0:root:/root:/bin/sh\nnightshift:x:${SANDBOX_UID}:${SANDBOX_UID}:Nightshift sandbox:${SANDBOX_HOME}:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`);
  writeFileSync(identityFiles.group, `root:x:0:\nnightshift:x:${SANDBOX_UID}:\nnogroup:x:65534:\n`);
  const rlimits = [
    ...(limiter ? [] : [`--nproc=${limits.pids}`, `--data=${limits.memoryBytes}`]),
    ...(limits.cpuSeconds !== undefined ? [`--cpu=${limits.cpuSeconds}`] : []),
  ];
  const commandPrefix = prlimit && rlimits.length > 0 ? [prlimit, ...rlimits, '--'] : [];
  const running = new Set<number>();
  const limitMethod = limiter ? (`cgroup-v${limiter.version}` as const) : 'rlimit';

  const run = async (runOptions: SandboxRunOptions): Promise<SandboxResult> => {
    const { workspaceDir, cwd } = resolveRunDirs({ root, workspaceDir: runOptions.workspaceDir, ...(runOptions.cwd ? { cwd: runOptions.cwd } : {}) });
    const args = buildBubblewrapArgs({
      workspaceDir,
      cwd,
      systemEntries,
      etcEntries,
      identityFiles,
      readOnlyPaths: readOnlyPaths.filter((path) => !isPathInside({ path, dir: workspaceDir })),
      privateDirs: privateDirs.filter((path) => !isPathInside({ path, dir: workspaceDir })),
      cacheDir,
      commandPrefix,
      command: runOptions.command,
    });
    const group = limiter?.create({ memoryBytes: limits.memoryBytes, pids: limits.pids });
    try {
      const result = await runSandboxedProcess({
        argv: group ? ['/bin/sh', '-c', JOIN_CGROUPS, 'sh', String(group.procsFiles.length), ...group.procsFiles, bwrap, ...args] : [bwrap, ...args],
        env: sandboxEnvironment({
          runner: 'bubblewrap',
          hostEnv: env,
          runnerEnv: {
            // Identity and temp locations are the sandbox's own.
            HOME: SANDBOX_HOME,
            USER: 'nightshift',
            LOGNAME: 'nightshift',
            TMPDIR: '/tmp',
            SHELL: '/bin/sh',
            ...commandCacheEnvironment({ cacheDir: SANDBOX_CACHE_DIR }),
            ...dependencies.env,
          },
          ...(runOptions.env ? { commandEnv: runOptions.env } : {}),
        }),
        cwd: '/',
        timeoutMs: runOptions.timeoutMs,
        outputLimitBytes: runOptions.outputLimitBytes,
        readyFd: true,
        running,
        ...(group ? { watch: group } : {}),
        ...(runOptions.signal ? { signal: runOptions.signal } : {}),
      });
      const failed = result.outcome !== 'exited' || result.exitCode !== 0;
      return !group && !result.limitHit ? { ...result, limitHit: guessLimitHit({ ...result, failed }) } : result;
    } finally {
      await group?.dispose();
    }
  };

  return {
    kind: 'bubblewrap',
    isolated: true,
    limitMethod,
    run,
    async dispose() {
      killRunning(running);
      rmSync(identityDir, { recursive: true, force: true });
    },
  };
}

function hostEntries(paths: string[]): HostEntry[] {
  const entries: HostEntry[] = [];
  for (const path of paths) {
    try {
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) entries.push({ path, symlinkTarget: readlinkSync(path) });
      else entries.push({ path });
    } catch {
      // Not on this host.
    }
  }
  return entries;
}

function listEtc(): string[] {
  let names: string[];
  try {
    names = readdirSync('/etc');
  } catch {
    return [];
  }
  return names.filter((name) => ETC_ENTRIES.includes(name) || /^python\d/.test(name)).map((name) => `/etc/${name}`);
}
