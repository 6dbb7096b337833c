import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import type Dockerode from 'dockerode';
import { sandboxLabels } from './sandboxLabels.js';

const WORKSPACE = '/workspace';
const CACHE = '/cache';
/** How long output may keep arriving after the container has exited, in milliseconds. */
const STREAM_GRACE_MS = 2000;
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Runs a project's dependency install in a one-off container WITH network, the one step of Nightshift that
 * may reach the internet; session sandboxes never do. The project is mounted read-write at /workspace (the
 * install writes `.nightshift-deps` or `node_modules` there for later sessions to use offline) and the named
 * volume `cacheVolume` at /cache, where pip and npm keep their download caches between setups. The command
 * runs as the project directory's owner, so its files stay the user's. Every output line goes to `onLine`
 * and to `logPath`; the container is removed afterwards.
 */
export async function runDependencySetup(options: {
  docker: Dockerode;
  /** Image with the stack's toolchain, e.g. from ensureSandboxImage. */
  image: string;
  /** Project root, mounted read-write at /workspace. */
  projectDir: string;
  /** Shell command run with `/bin/sh -c` in /workspace. */
  command: string;
  /** Named volume mounted at /cache; created if missing. */
  cacheVolume: string;
  /** File every line is appended to (created with its directory). */
  logPath: string;
  /** Called with each output line, stdout and stderr interleaved as they arrive. */
  onLine: (line: string) => void;
  /** Docker network mode of the container. Default `bridge`. */
  networkMode?: string;
}): Promise<{ /** The command's exit code. */ exitCode: number; /** Wall-clock time, in milliseconds. */ durationMs: number }> {
  const { docker, image, cacheVolume } = options;
  const projectDir = resolve(options.projectDir);
  const owner = await stat(projectDir);
  const user = `${owner.uid}:${owner.gid}`;
  const started = Date.now();
  await mkdir(dirname(options.logPath), { recursive: true });
  const log = createWriteStream(options.logPath, { flags: 'a' });
  const emit = (line: string) => {
    log.write(`${line}\n`);
    options.onLine(line);
  };
  try {
    emit(`setup: ${options.command}`);
    emit(`image ${image}, project ${projectDir} at ${WORKSPACE}, cache volume ${cacheVolume} at ${CACHE}, user ${user}`);
    await docker.createVolume({ Name: cacheVolume, Labels: { [sandboxLabels.kind]: 'deps-cache' } });
    // A fresh volume belongs to root; the command runs as the project's owner and must be able to fill it.
    if (user !== '0:0') await runContainer(docker, { image, cmd: ['chown', user, CACHE], user: '0:0', capAdd: ['CHOWN'], networkMode: 'none', projectDir, cacheVolume }, emit);
    const exitCode = await runContainer(
      docker,
      { image, cmd: ['/bin/sh', '-c', options.command], user, networkMode: options.networkMode ?? 'bridge', projectDir, cacheVolume },
      emit,
    );
    emit(`setup: exit code ${exitCode} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { exitCode, durationMs: Date.now() - started };
  } finally {
    await new Promise<void>((done) => log.end(done));
  }
}

/** Runs one container to its end, passing its output on line by line; returns its exit code. */
async function runContainer(
  docker: Dockerode,
  spec: { image: string; cmd: string[]; user: string; networkMode: string; projectDir: string; cacheVolume: string; capAdd?: string[] },
  emit: (line: string) => void,
): Promise<number> {
  const container = await docker.createContainer({
    Image: spec.image,
    Cmd: spec.cmd,
    User: spec.user,
    WorkingDir: WORKSPACE,
    Env: [`PATH=${PATH}`, `HOME=/tmp`, 'LANG=C.UTF-8', `PIP_CACHE_DIR=${CACHE}/pip`, `npm_config_cache=${CACHE}/npm`, 'CI=1', 'NO_COLOR=1'],
    Labels: { [sandboxLabels.kind]: 'setup', [sandboxLabels.pid]: String(process.pid), [sandboxLabels.host]: hostname() },
    HostConfig: {
      Init: true,
      NetworkMode: spec.networkMode,
      Mounts: [
        { Type: 'bind', Source: spec.projectDir, Target: WORKSPACE, ReadOnly: false },
        { Type: 'volume', Source: spec.cacheVolume, Target: CACHE, ReadOnly: false },
      ],
      CapDrop: ['ALL'],
      CapAdd: spec.capAdd ?? [],
      SecurityOpt: ['no-new-privileges'],
    },
  });
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const merged = new PassThrough();
    docker.modem.demuxStream(stream, merged, merged);
    const finish = () => merged.end();
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
    const lines = createInterface({ input: merged });
    lines.on('line', emit);
    const closed = new Promise<void>((done) => lines.on('close', done));
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    // The attach stream can outlive the container by a moment, or on some daemons never end on its own.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise((done) => (timer = setTimeout(done, STREAM_GRACE_MS)))]);
    clearTimeout(timer);
    finish();
    return StatusCode;
  } finally {
    await container.remove({ force: true }).catch(() => {});
  }
}
