import { randomBytes } from 'node:crypto';
import { chown, lstat, mkdir, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { Sandbox, SandboxResult, SandboxRunOptions } from '../../shared/sandbox/Sandbox.js';
import { relativeInside } from '../../shared/relativeInside.js';
import { DockerSandboxError } from './DockerSandboxError.js';
import { commandCacheEnvironment } from '../commandCacheEnvironment.js';
import { createOutputCapture } from '../createOutputCapture.js';
import { dependencyEnvironment } from '../dependencyEnvironment.js';
import { findViteCacheDirs } from '../findViteCacheDirs.js';
import { WORKSPACE_SCRATCH_DIR } from '../../shared/WORKSPACE_SCRATCH_DIR.js';
import { discoverDockerEndpoint } from './discoverDockerEndpoint.js';
import { sandboxLabels } from './sandboxLabels.js';
import { createSerialQueue } from '../../shared/createSerialQueue.js';

/** Resource limits for one sandbox container; every command of the session shares them. */
export interface DockerSandboxLimits {
  /** Memory for everything in the container, /tmp included, in bytes; no swap on top. Default 2 GiB. */
  memoryBytes?: number;
  /** CPU cores, fractions allowed; capped at what the daemon has. Default 2. */
  cpus?: number;
  /** Processes and threads alive at once. Default 256. */
  pids?: number;
}

/** A Sandbox backed by one warm Docker container. */
export interface DockerSandbox extends Sandbox {
  readonly kind: 'docker';
  readonly isolated: true;
  /** Id of the session's container. */
  readonly containerId: string;
  /** `uid:gid` commands run as inside the container. */
  readonly user: string;
}

const WORKSPACE = '/workspace';
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Caches of the session's commands: in the container's /tmp, so they last as long as the container. */
const CACHE_DIR = '/tmp/.cache';
/** PID 1's `sleep infinity` runs as nobody, so a command's `kill -1` (same user only) cannot end the container. */
const KEEPER_USER = '65534:65534';
/** Appends the cgroup's OOM-kill and pids-limit counters (cgroup v2 and v1 names), tagged $1, with shell builtins only. */
const PRINT_COUNTERS = [
  'counters() {',
  '  for f in /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control /sys/fs/cgroup/pids.events /sys/fs/cgroup/pids/pids.events; do',
  '    [ -r "$f" ] && while read -r key value; do echo "$1 $f $key $value"; done < "$f"',
  '  done',
  '}',
].join('\n');
/**
 * Runs one command ($2) and then kills every process of the command user except itself: the container runs one
 * command at a time, so that is exactly what the command left behind, however it detached (setsid, double
 * fork). The watchdog is forked before the command can exhaust the pids limit, so a fork bomb cannot stop it;
 * it fires a second ($1) after the host's own timeout, as the backstop for a host-side kill that cannot start.
 * The limit counters are written to the file $3 before and after the command, in the same exec: reading them
 * afterwards needs no fork, so it works after a fork bomb too, and costs the host no second `docker exec`. The
 * command could write that file too, so it only ever informs `limitHit`; the exit code is Docker's own record.
 */
const WRAPPER = [
  PRINT_COUNTERS,
  'counters before 2>/dev/null >"$3"',
  '{ sleep "$1"; kill -s KILL -- -1; } </dev/null >/dev/null 2>&1 &',
  '/bin/sh -c "$2" </dev/null',
  'status=$?',
  'kill -s KILL -- -1 2>/dev/null',
  'counters after 2>/dev/null >>"$3"',
  'exit $status',
].join('\n');
const KILL_ALL = 'kill -s KILL -- -1';
/** Prints the counters once, for a run whose wrapper was killed before it could. */
const READ_COUNTERS = `${PRINT_COUNTERS}\ncounters after\ntrue`;
/** What shells, Python and Node print when fork/clone fails with EAGAIN; used where the cgroup counters are unreadable. */
const FORK_FAILURE = /Resource temporarily unavailable|fork: retry|[Cc]an(?:no|')t fork|spawn EAGAIN/;
/** How long past the host's timeout the in-container watchdog waits before it kills everything itself. */
const WATCHDOG_GRACE_MS = 1000;
/** How long to keep trying to end a timed-out command before giving its stream up. */
const GIVE_UP_AFTER_MS = 15_000;

interface LimitCounters {
  oomKills: number;
  pidsLimitHits: number;
}

/**
 * Creates the session's sandbox: one container, started now and kept warm (`sleep infinity` under an init
 * process), in which each `run()` is a `docker exec`. The container has no network but loopback (with the
 * /etc/hosts Docker writes, so `localhost` resolves), a read-only root file system with a private tmpfs at
 * /tmp, the workspace as the only writable host directory (at /workspace), no capabilities, no-new-privileges,
 * and memory, CPU and process limits. Commands run one at a time, as `user`, with a clean environment plus
 * writable cache locations (see commandCacheEnvironment) and the linked dependency folders on PATH and
 * PYTHONPATH (see dependencyEnvironment); vite's folders inside a linked node_modules get private tmpfs
 * mounts. Each run's leftover processes are killed when it ends. Docker reports a death by signal as exit
 * code 128+n, which is passed on as the exit code; `signal` is set (SIGKILL) only for the sandbox's own kills
 * on timeout and cancellation. `limitHit` comes from the container cgroup's OOM-kill and pids-limit counters,
 * which the run's own exec writes before and after the command into the workspace's scratch folder.
 */
export async function createDockerSandbox(options: {
  /** Docker client. Default: the first daemon discoverDockerEndpoint finds. */
  docker?: Dockerode;
  /** Image to run, e.g. from ensureSandboxImage. Needs /bin/sh, sleep and kill. */
  image: string;
  /** Host directory mounted read-write at /workspace: the only writable host path the container sees. */
  workspaceDir: string;
  /**
   * Host directories mounted read-only at their own paths, so the workspace's links to them (a project's
   * node_modules or .venv) resolve inside the container. Default none.
   */
  readOnlyDirs?: string[];
  /** Session the container serves; recorded in its labels and name. */
  sessionId: string;
  limits?: DockerSandboxLimits;
  /**
   * `uid:gid` inside the container. Default: the owner of `workspaceDir`, so the files commands write stay the
   * host user's; `0:0` on a rootless daemon, where container root is the host user. A root-owned workspace means
   * uid 0, still without any capability (it cannot bypass file permissions or signal other users).
   */
  user?: string;
}): Promise<DockerSandbox> {
  const docker = options.docker ?? (await discoverDockerEndpoint({ env: process.env, homeDir: homedir(), platform: process.platform })).docker;
  const workspaceDir = resolve(options.workspaceDir);
  const fail = (problem: string, hint: string, cause?: unknown) =>
    new DockerSandboxError({ image: options.image, workspaceDir, problem, hint, ...(cause === undefined ? {} : { cause }) });

  const workspace = await stat(workspaceDir).catch(() => null);
  if (!workspace?.isDirectory()) throw fail(`the workspace ${workspaceDir} is not a directory`, 'Create the workspace before the sandbox.');
  const info = (await docker.info()) as { NCPU?: number; SecurityOptions?: string[] };
  const rootless = (info.SecurityOptions ?? []).some((option) => option.includes('name=rootless'));
  const user = options.user ?? (rootless ? '0:0' : `${workspace.uid}:${workspace.gid}`);
  const memoryBytes = options.limits?.memoryBytes ?? 2 * 1024 ** 3;
  const cpus = Math.min(options.limits?.cpus ?? 2, info.NCPU ?? Number.POSITIVE_INFINITY);
  const pids = options.limits?.pids ?? 256;
  const readOnlyDirs = (options.readOnlyDirs ?? []).map((dir) => resolve(dir));
  const dependencies = dependencyEnvironment({ readOnlyDirs, path: PATH, runsOn: 'image' });
  const baseEnv = { PATH, HOME: '/tmp', LANG: 'C.UTF-8', ...commandCacheEnvironment({ cacheDir: CACHE_DIR }), ...dependencies.env };

  let container: Dockerode.Container;
  try {
    container = await docker.createContainer({
      name: `nightshift-sandbox-${options.sessionId.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 40)}-${randomBytes(3).toString('hex')}`,
      Image: options.image,
      Cmd: ['sleep', 'infinity'],
      User: KEEPER_USER,
      WorkingDir: WORKSPACE,
      Env: [],
      Labels: {
        [sandboxLabels.kind]: 'sandbox',
        [sandboxLabels.session]: options.sessionId,
        [sandboxLabels.pid]: String(process.pid),
        [sandboxLabels.host]: hostname(),
      },
      HostConfig: {
        Init: true,
        // Loopback only. NetworkDisabled must stay unset: it also leaves /etc/hosts empty, so localhost would not resolve.
        NetworkMode: 'none',
        ReadonlyRootfs: true,
        // Charged to the memory limit like any page, so `size` cannot let /tmp outgrow it.
        Tmpfs: Object.fromEntries(['/tmp', ...findViteCacheDirs({ readOnlyDirs })].map((dir) => [dir, `rw,nosuid,nodev,size=${memoryBytes},mode=1777`])),
        Mounts: [
          { Type: 'bind', Source: workspaceDir, Target: WORKSPACE, ReadOnly: false },
          ...readOnlyDirs.map((dir) => ({ Type: 'bind' as const, Source: dir, Target: dir, ReadOnly: true })),
        ],
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        IpcMode: 'private',
        Memory: memoryBytes,
        MemorySwap: memoryBytes,
        NanoCpus: Math.round(cpus * 1e9),
        PidsLimit: pids,
      },
    });
  } catch (error) {
    const missing = (error as { statusCode?: number }).statusCode === 404;
    throw fail(
      missing ? `the image ${options.image} is not present` : errorText(error),
      missing
        ? 'Build it with ensureSandboxImage, or run `npm run sandbox:build-offline` in the Nightshift directory.'
        : 'Check that the Docker daemon is running and that the workspace directory can be shared with it (Docker Desktop: Settings > Resources > File sharing).',
      error,
    );
  }
  try {
    await container.start();
  } catch (error) {
    await container.remove({ force: true }).catch(() => {});
    throw fail(errorText(error), 'Check the Docker daemon log; the workspace directory must be shareable with the daemon.', error);
  }
  const exec = createExecHelper(docker, container, user);
  const scratchDir = join(workspaceDir, WORKSPACE_SCRATCH_DIR);
  const ids = /^(\d+):(\d+)$/.exec(user);

  let disposed = false;
  const queue = createSerialQueue<'run'>();
  const runOne = async (run: SandboxRunOptions): Promise<SandboxResult> => {
    const started = Date.now();
    const early = (outcome: SandboxResult['outcome'], message: string): SandboxResult => ({
      outcome,
      exitCode: null,
      signal: null,
      stdout: '',
      stderr: message,
      truncated: false,
      durationMs: Date.now() - started,
    });
    if (disposed) return early('spawn-error', 'the sandbox was disposed');
    if (run.signal?.aborted) return early('cancelled', '');
    const hostDir = resolve(run.workspaceDir, run.cwd ?? '.');
    const inside = relativeInside({ path: hostDir, dir: workspaceDir });
    if (inside === null) {
      return early('spawn-error', `${hostDir} is outside the workspace mounted in the sandbox (${workspaceDir})`);
    }
    if (!(await lstat(hostDir).then((entry) => entry.isDirectory(), () => false))) {
      return early('spawn-error', `the working directory ${hostDir} does not exist`);
    }
    const workingDir = inside === '' ? WORKSPACE : posix.join(WORKSPACE, inside);
    const env = { ...baseEnv, ...run.env, CI: '1', NO_COLOR: '1', TERM: 'dumb' };
    const countersName = `sandbox-limits-${randomBytes(6).toString('hex')}`;
    const countersFile = (await prepareScratchDir()) ? join(scratchDir, countersName) : null;
    const watchdogSeconds = ((run.timeoutMs + WATCHDOG_GRACE_MS) / 1000).toFixed(3);

    const out = createOutputCapture({ limitBytes: run.outputLimitBytes });
    const err = createOutputCapture({ limitBytes: run.outputLimitBytes });
    let execution: Dockerode.Exec;
    let stream: NodeJS.ReadWriteStream;
    try {
      execution = await container.exec({
        Cmd: ['/bin/sh', '-c', WRAPPER, 'nightshift-sandbox', watchdogSeconds, run.command, countersFile ? posix.join(WORKSPACE, WORKSPACE_SCRATCH_DIR, countersName) : '/dev/null'],
        AttachStdout: true,
        AttachStderr: true,
        Env: Object.entries(env).map(([name, value]) => `${name}=${value}`),
        WorkingDir: workingDir,
        User: user,
      });
      stream = await execution.start({ hijack: true, stdin: false });
    } catch (error) {
      await removeCountersFile(countersFile);
      return early('spawn-error', `docker exec failed: ${errorText(error)}`);
    }
    let streamEnded = false;
    const ended = new Promise<void>((done) => {
      const end = () => {
        streamEnded = true;
        done();
      };
      stream.on('end', end);
      stream.on('close', end);
      stream.on('error', end);
    });
    docker.modem.demuxStream(stream, sink(out.push), sink(err.push));

    let outcome: SandboxResult['outcome'] = 'exited';
    let killing: Promise<void> = Promise.resolve();
    const stop = (why: 'timeout' | 'cancelled') => {
      if (outcome !== 'exited' || streamEnded) return;
      outcome = why;
      killing = (async () => {
        const deadline = Date.now() + GIVE_UP_AFTER_MS;
        // Under a fork bomb the kill's own exec may find no free pid; it retries, and the watchdog backs it up.
        while (!streamEnded && Date.now() < deadline) {
          await exec.run(KILL_ALL).catch(() => null);
          await Promise.race([ended, delay(250)]);
        }
        if (!streamEnded) (stream as unknown as { destroy(): void }).destroy();
      })();
    };
    const timer = setTimeout(() => stop('timeout'), run.timeoutMs);
    const onAbort = () => stop('cancelled');
    run.signal?.addEventListener('abort', onAbort, { once: true });
    await ended;
    clearTimeout(timer);
    run.signal?.removeEventListener('abort', onAbort);
    // A kill still in flight must not land on the next command.
    await killing;

    const report = countersFile === null ? '' : await readFile(countersFile, 'utf8').catch(() => '');
    await removeCountersFile(countersFile);
    const exitCode = await exec.exitCodeOf(execution);
    if (disposed) outcome = 'cancelled';
    const stderr = err.text();
    if (exitCode === null && outcome === 'exited') {
      return { ...early('spawn-error', `${stderr}the command's exit status was lost (did the container stop?)`), stdout: out.text(), truncated: out.truncated || err.truncated };
    }
    const counters = parseCounters(report);
    let limitHit: SandboxResult['limitHit'] = null;
    const before = counters.get('before');
    // The wrapper itself dies when the command is killed on timeout or cancellation; then one exec reads them.
    const after = counters.get('after') ?? (before && !disposed ? (await exec.readCounters()) : undefined);
    if (before && after) {
      if (after.oomKills > before.oomKills) limitHit = 'memory';
      else if (after.pidsLimitHits > before.pidsLimitHits) limitHit = 'pids';
    } else if (exitCode !== 0 && FORK_FAILURE.test(stderr)) {
      limitHit = 'pids';
    }
    const killed = outcome !== 'exited';
    return {
      outcome,
      exitCode: killed ? null : exitCode,
      signal: killed ? 'SIGKILL' : null,
      stdout: out.text(),
      stderr,
      truncated: out.truncated || err.truncated,
      limitHit,
      durationMs: Date.now() - started,
    };
  };

  /**
   * Makes the scratch folder the wrapper writes the counters into, writable by the command user; false when
   * that fails (the counters are then guessed from the output).
   */
  async function prepareScratchDir(): Promise<boolean> {
    try {
      await mkdir(scratchDir, { recursive: true });
      if (ids && !rootless) await chown(scratchDir, Number(ids[1]), Number(ids[2]));
      return true;
    } catch {
      return false;
    }
  }

  /** Removes the run's counters file, and the scratch folder when nothing else of the harness is in it. */
  async function removeCountersFile(file: string | null): Promise<void> {
    if (file === null) return;
    await unlink(file).catch(() => {});
    await rmdir(scratchDir).catch(() => {});
  }

  return {
    kind: 'docker',
    isolated: true,
    containerId: container.id,
    user,
    run(run) {
      return queue.run({ key: 'run', work: () => runOne(run) });
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await container.remove({ force: true }).catch((error: { statusCode?: number }) => {
        // Already gone, or already being removed.
        if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
      });
    },
  };
}

function createExecHelper(docker: Dockerode, container: Dockerode.Container, user: string) {
  const helper = {
    /** Runs a short shell script as the command user and returns its stdout, or null when it could not run. */
    async run(script: string): Promise<string | null> {
      const execution = await container.exec({ Cmd: ['/bin/sh', '-c', script], AttachStdout: true, AttachStderr: true, User: user, Env: [`PATH=${PATH}`] });
      const stream = await execution.start({ hijack: true, stdin: false });
      const out = createOutputCapture({ limitBytes: 64 * 1024 });
      docker.modem.demuxStream(stream, sink(out.push), sink(() => {}));
      await new Promise<void>((done) => {
        stream.on('end', done);
        stream.on('close', done);
        stream.on('error', () => done());
      });
      return (await helper.exitCodeOf(execution)) === 0 ? out.text() : null;
    },
    async readCounters(): Promise<LimitCounters | undefined> {
      const text = await helper.run(READ_COUNTERS).catch(() => null);
      return text === null ? undefined : parseCounters(text).get('after');
    },
    /** The exec's exit code once it has stopped; null if Docker no longer knows it. */
    async exitCodeOf(execution: Dockerode.Exec): Promise<number | null> {
      // The output stream can close a moment before Docker records the exit.
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const state = await execution.inspect().catch(() => null);
        if (state === null) return null;
        if (!state.Running) return state.ExitCode ?? null;
        await delay(20);
      }
      return null;
    },
  };
  return helper;
}

/** The counters of each tag (`before`, `after`) in PRINT_COUNTERS's output; a tag missing either counter is left out. */
function parseCounters(text: string): Map<string, LimitCounters> {
  const seen = new Map<string, { oomKills?: number; pidsLimitHits?: number }>();
  for (const line of text.split('\n')) {
    const [tag, file, key, value] = line.split(' ');
    if (tag === undefined || file === undefined || value === undefined) continue;
    const entry = seen.get(tag) ?? {};
    if (file.includes('/memory') && key === 'oom_kill') entry.oomKills = Number(value);
    if (file.endsWith('pids.events') && key === 'max') entry.pidsLimitHits = Number(value);
    seen.set(tag, entry);
  }
  const counters = new Map<string, LimitCounters>();
  for (const [tag, entry] of seen) {
    if (entry.oomKills !== undefined && entry.pidsLimitHits !== undefined) counters.set(tag, { oomKills: entry.oomKills, pidsLimitHits: entry.pidsLimitHits });
  }
  return counters;
}

function sink(push: (chunk: Buffer) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      push(chunk);
      done();
    },
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

function errorText(error: unknown): string {
  const json = (error as { json?: { message?: unknown } }).json;
  if (typeof json?.message === 'string') return json.message;
  return error instanceof Error ? error.message : String(error);
}
