import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { discoverDockerEndpoint } from '../../../../src/sandbox/docker/discoverDockerEndpoint.js';

/** Answers Docker's ping on a unix socket at `path`, as a daemon would; returns how many pings it saw. */
async function fakeDaemon(path: string): Promise<{ pings: () => number }> {
  mkdirSync(dirname(path), { recursive: true });
  let pings = 0;
  const server = createServer((request, response) => {
    if (request.url?.endsWith('/_ping')) pings += 1;
    response.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
  });
  await new Promise<void>((done) => server.listen(path, done));
  onTestFinished(() => new Promise<void>((done) => server.close(() => done())));
  return { pings: () => pings };
}

/** A fake home and an empty fake system root, so the machine's own daemon is not found. */
function fakeMachine() {
  const base = makeShortTempDir();
  const homeDir = join(base, 'h');
  const rootDir = join(base, 'r');
  mkdirSync(homeDir);
  mkdirSync(rootDir);
  return { homeDir, rootDir };
}

// Unix socket paths are limited to about 100 bytes, so these stay short.
function makeShortTempDir(): string {
  const dir = join('/tmp', `nsd-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir);
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('discoverDockerEndpoint', () => {
  it('finds Colima\'s socket in the home directory when nothing comes before it', async () => {
    const { homeDir, rootDir } = fakeMachine();
    const socket = join(homeDir, '.colima', 'default', 'docker.sock');
    const daemon = await fakeDaemon(socket);
    const found = await discoverDockerEndpoint({ env: {}, homeDir, platform: 'darwin', rootDir });
    expect(found).toMatchObject({ endpoint: `unix://${socket}`, source: 'Colima' });
    expect(daemon.pings()).toBe(1);
    await found.docker.ping();
    expect(daemon.pings()).toBe(2);
  });

  it('prefers DOCKER_HOST, and passes over a socket file that does not answer', async () => {
    const { homeDir, rootDir } = fakeMachine();
    const custom = join(rootDir, 'custom.sock');
    await fakeDaemon(custom);
    const desktop = await fakeDaemon(join(homeDir, '.docker', 'run', 'docker.sock'));
    expect(await discoverDockerEndpoint({ env: { DOCKER_HOST: `unix://${custom}` }, homeDir, platform: 'linux', rootDir })).toMatchObject({
      endpoint: `unix://${custom}`,
      source: 'DOCKER_HOST',
    });
    expect(desktop.pings()).toBe(0);

    // A stale socket path (here a plain file) does not answer; discovery moves on to OrbStack's.
    mkdirSync(join(rootDir, 'var', 'run'), { recursive: true });
    writeFileSync(join(rootDir, 'var', 'run', 'docker.sock'), '');
    const { homeDir: otherHome } = fakeMachine();
    const orb = join(otherHome, '.orbstack', 'run', 'docker.sock');
    await fakeDaemon(orb);
    expect(await discoverDockerEndpoint({ env: { DOCKER_HOST: `unix://${join(rootDir, 'gone.sock')}` }, homeDir: otherHome, platform: 'darwin', rootDir })).toMatchObject({
      endpoint: `unix://${orb}`,
      source: 'OrbStack',
    });
  });

  it('follows the current docker context', async () => {
    const { homeDir, rootDir } = fakeMachine();
    const socket = join(rootDir, 'ctx.sock');
    await fakeDaemon(socket);
    const meta = join(homeDir, '.docker', 'contexts', 'meta', createHash('sha256').update('work').digest('hex'));
    mkdirSync(meta, { recursive: true });
    writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: 'work', Endpoints: { docker: { Host: `unix://${socket}` } } }));
    writeFileSync(join(homeDir, '.docker', 'config.json'), JSON.stringify({ currentContext: 'work' }));
    expect(await discoverDockerEndpoint({ env: {}, homeDir, platform: 'linux', rootDir })).toMatchObject({ endpoint: `unix://${socket}`, source: 'Docker context "work"' });
  });

  it('finds Podman\'s rootless socket under XDG_RUNTIME_DIR', async () => {
    const { homeDir, rootDir } = fakeMachine();
    const runtime = join(rootDir, 'run-user');
    const socket = join(runtime, 'podman', 'podman.sock');
    await fakeDaemon(socket);
    expect(await discoverDockerEndpoint({ env: { XDG_RUNTIME_DIR: runtime }, homeDir, platform: 'linux', rootDir })).toMatchObject({ endpoint: `unix://${socket}`, source: 'Podman' });
  });

  it('throws DockerUnavailableError listing every place tried, with advice for the platform', async () => {
    const { homeDir, rootDir } = fakeMachine();
    mkdirSync(join(homeDir, '.rd'));
    writeFileSync(join(homeDir, '.rd', 'docker.sock'), '');
    const error = await discoverDockerEndpoint({ env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, homeDir, platform: 'darwin', rootDir }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'DockerUnavailableError', code: 'DOCKER_UNAVAILABLE', hint: expect.stringContaining('colima start') });
    const tried = (error as { context: { tried: Array<{ endpoint: string; source: string; problem: string }> } }).context.tried;
    expect(tried[0]).toEqual({ endpoint: 'unix:///nonexistent/docker.sock', source: 'DOCKER_HOST', problem: 'no socket there' });
    expect(tried.map((attempt) => attempt.source)).toEqual(
      expect.arrayContaining(['Docker Desktop', 'Docker', 'Colima', 'OrbStack', 'Rancher Desktop', 'Podman']),
    );
    const rancher = tried.find((attempt) => attempt.source === 'Rancher Desktop');
    expect(rancher?.problem).not.toBe('no socket there');
    expect((error as Error).message).toContain(join(homeDir, '.rd', 'docker.sock'));

    const onLinux = await discoverDockerEndpoint({ env: {}, homeDir, platform: 'linux', rootDir }).catch((caught: unknown) => caught);
    expect(onLinux).toMatchObject({ hint: expect.stringContaining('systemctl') });
  });
});
