import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isProcessAlive } from '../../node/isProcessAlive.js';

/** Makes one control group per run, so the run's processes share a memory and process budget. */
export interface CgroupLimiter {
  /** Which cgroup hierarchy the limits live in. */
  readonly version: 1 | 2;
  /** Creates the group for one run with these limits. */
  create(limits: { memoryBytes: number; pids: number }): CgroupRun;
}

/** The control group of one run. */
export interface CgroupRun {
  /** `cgroup.procs` files the run's first process writes its own pid into before starting the command. */
  readonly procsFiles: string[];
  /** The limit the group has hit so far: the kernel OOM-killed a member, or refused a fork. */
  limitHit(): 'memory' | 'pids' | null;
  /** SIGKILLs every process in the group. */
  killAll(): void;
  /** Kills what is left and removes the group. */
  dispose(): Promise<void>;
}

/**
 * A cgroup limiter when this process may create control groups with the memory and pids controllers (root,
 * or a delegated subtree), else null. Cgroup v1 (hybrid hosts) groups are made under this process's own
 * groups; cgroup v2 groups next to this process's own group (its parent already hands it memory and pids, and
 * a group holding processes may not hand controllers down). Leftover groups of processes that died are removed.
 */
export function findCgroupLimiter(options: {
  /** Contents of /proc/self/cgroup. Default: read from the file. */
  procSelfCgroup?: string;
  /** Contents of /proc/self/mountinfo. Default: read from the file. */
  mountInfo?: string;
} = {}): CgroupLimiter | null {
  let procSelfCgroup: string;
  let mountInfo: string;
  try {
    procSelfCgroup = options.procSelfCgroup ?? readFileSync('/proc/self/cgroup', 'utf8');
    mountInfo = options.mountInfo ?? readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return null;
  }
  const parents = findParents(procSelfCgroup, mountInfo);
  if (!parents) return null;
  const limiter = parents.version === 1 ? v1Limiter(parents.pids, parents.memory) : v2Limiter(parents.base);
  for (const dir of parents.version === 1 ? [parents.pids, parents.memory] : [parents.base]) removeStaleGroups(dir);
  try {
    void limiter.create({ memoryBytes: 64 * 1024 ** 2, pids: 16 }).dispose();
    return limiter;
  } catch {
    return null;
  }
}

type Parents = { version: 1; pids: string; memory: string } | { version: 2; base: string };

/** Where this process's run groups go, from its cgroup membership and the cgroup mounts. */
function findParents(procSelfCgroup: string, mountInfo: string): Parents | null {
  const membership = new Map<string, string>();
  for (const line of procSelfCgroup.split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!match) continue;
    for (const controller of (match[2] ?? '').split(',')) membership.set(controller, match[3] ?? '/');
  }
  const mounts = parseCgroupMounts(mountInfo);
  const v1Dir = (controller: string) => {
    const own = membership.get(controller);
    const mount = mounts.find((candidate) => candidate.type === 'cgroup' && candidate.options.includes(controller));
    return own !== undefined && mount ? hostDir(mount, own) : null;
  };
  const pids = v1Dir('pids');
  const memory = v1Dir('memory');
  if (pids && memory) return { version: 1, pids, memory };
  const unified = mounts.find((mount) => mount.type === 'cgroup2');
  const own = membership.get('');
  if (!unified || own === undefined) return null;
  const ownDir = hostDir(unified, own);
  if (!ownDir) return null;
  return { version: 2, base: own === unified.root ? ownDir : dirname(ownDir) };
}

interface CgroupMount {
  type: 'cgroup' | 'cgroup2';
  /** The hierarchy path mounted there. */
  root: string;
  mountPoint: string;
  options: string[];
}

function parseCgroupMounts(mountInfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountInfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (!before || !after) continue;
    const fields = before.split(' ');
    const [type, , superOptions] = after.split(' ');
    if ((type !== 'cgroup' && type !== 'cgroup2') || fields.length < 5) continue;
    mounts.push({ type, root: unescapeMount(fields[3] ?? '/'), mountPoint: unescapeMount(fields[4] ?? ''), options: (superOptions ?? '').split(',') });
  }
  return mounts;
}

function hostDir(mount: CgroupMount, own: string): string | null {
  if (mount.root === '/') return join(mount.mountPoint, own);
  if (own !== mount.root && !own.startsWith(`${mount.root}/`)) return null;
  return join(mount.mountPoint, own.slice(mount.root.length));
}

/** mountinfo writes space, tab, newline and backslash as three octal digits after a backslash. */
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

let sequence = 0;

function groupName(): string {
  sequence += 1;
  return `nightshift-${process.pid}-${sequence}`;
}

function v1Limiter(pidsParent: string, memoryParent: string): CgroupLimiter {
  return {
    version: 1,
    create(limits) {
      const name = groupName();
      const pids = join(pidsParent, name);
      const memory = join(memoryParent, name);
      const dirs: string[] = [];
      try {
        mkdirSync(pids);
        dirs.push(pids);
        writeFileSync(join(pids, 'pids.max'), String(limits.pids));
        mkdirSync(memory);
        dirs.push(memory);
        writeFileSync(join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
        // Without this a host with swap pages the run out instead of stopping it at the limit.
        if (existsSync(join(memory, 'memory.memsw.limit_in_bytes'))) writeFileSync(join(memory, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
      } catch (error) {
        for (const dir of dirs.reverse()) tryRmdir(dir);
        throw error;
      }
      return groupRun({
        dirs,
        limitHit: () => {
          if (counter(join(memory, 'memory.oom_control'), 'oom_kill') > 0) return 'memory';
          return counter(join(pids, 'pids.events'), 'max') > 0 ? 'pids' : null;
        },
      });
    },
  };
}

function v2Limiter(base: string): CgroupLimiter {
  return {
    version: 2,
    create(limits) {
      const dir = join(base, groupName());
      mkdirSync(dir);
      try {
        const controllers = readFileSync(join(dir, 'cgroup.controllers'), 'utf8').split(/\s+/);
        if (!controllers.includes('memory') || !controllers.includes('pids')) throw new Error(`${dir} lacks the memory or pids controller`);
        writeFileSync(join(dir, 'pids.max'), String(limits.pids));
        writeFileSync(join(dir, 'memory.max'), String(limits.memoryBytes));
        if (existsSync(join(dir, 'memory.swap.max'))) writeFileSync(join(dir, 'memory.swap.max'), '0');
      } catch (error) {
        tryRmdir(dir);
        throw error;
      }
      return groupRun({
        dirs: [dir],
        limitHit: () => {
          if (counter(join(dir, 'memory.events'), 'oom_kill') > 0) return 'memory';
          return counter(join(dir, 'pids.events'), 'max') > 0 ? 'pids' : null;
        },
      });
    },
  };
}

function groupRun(options: { dirs: string[]; limitHit: () => 'memory' | 'pids' | null }): CgroupRun {
  const killAll = () => {
    for (const dir of options.dirs) {
      for (const pid of members(dir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  };
  return {
    procsFiles: options.dirs.map((dir) => join(dir, 'cgroup.procs')),
    limitHit: options.limitHit,
    killAll,
    async dispose() {
      // A group can only be removed once empty; killed processes take a moment to be reaped.
      for (let attempt = 0; attempt < 50; attempt += 1) {
        killAll();
        if (options.dirs.every((dir) => tryRmdir(dir))) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

function members(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** The number after `key` in a flat-keyed cgroup file such as `pids.events`; 0 when absent. */
function counter(file: string, key: string): number {
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [name, value] = line.trim().split(/\s+/);
      if (name === key) return Number(value) || 0;
    }
  } catch {
    // The group is gone.
  }
  return 0;
}

/** True when the directory no longer exists. */
function tryRmdir(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** Groups named after a process that no longer runs (a crash skipped their removal). */
function removeStaleGroups(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const match = /^nightshift-(\d+)-\d+$/.exec(name);
    if (match && !isProcessAlive(Number(match[1]))) tryRmdir(join(parent, name));
  }
}
