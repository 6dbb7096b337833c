import { mkdirSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { findDockerEndpoint } from '../../../../src/engine/sandbox/native/findDockerEndpoint.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

/** A fake daemon on a unix socket in a temp dir: nothing leaves the machine. */
async function fakeDaemon(status: number, body: string): Promise<string> {
  const socket = join(makeTempDir(), 'docker.sock');
  const server: Server = createServer((request, response) => {
    response.statusCode = request.url === '/_ping' ? status : 404;
    response.end(request.url === '/_ping' ? body : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return socket;
}

describe('findDockerEndpoint', () => {
  it('takes DOCKER_HOST first when its daemon answers the ping', async () => {
    const socket = await fakeDaemon(200, 'OK');
    const found = await findDockerEndpoint({ env: { DOCKER_HOST: `unix://${socket}` }, home: makeTempDir() });
    expect(found.endpoint).toBe(`unix://${socket}`);
    expect(found.tried).toEqual([{ endpoint: `unix://${socket}`, ok: true, detail: 'answered OK' }]);
  });

  it('reports a socket that answers wrongly, one that is missing, and an address it cannot probe', async () => {
    const socket = await fakeDaemon(500, 'broken');
    const wrong = await findDockerEndpoint({ env: { DOCKER_HOST: `unix://${socket}` }, home: makeTempDir() });
    expect(wrong.tried[0]).toEqual({ endpoint: `unix://${socket}`, ok: false, detail: 'answered 500 broken' });
    const missing = await findDockerEndpoint({ env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, home: makeTempDir() });
    expect(missing.tried[0]).toEqual({ endpoint: 'unix:///nonexistent/docker.sock', ok: false, detail: 'no socket' });
    const ssh = await findDockerEndpoint({ env: { DOCKER_HOST: 'ssh://me@host' }, home: makeTempDir() });
    expect(ssh.tried[0]?.detail).toMatch(/unsupported address/);
  });

  it("looks at the desktop runtimes' sockets in the home directory, before the system daemon", async () => {
    const home = makeTempDir();
    const socket = await fakeDaemon(200, 'OK');
    mkdirSync(join(home, '.rd'));
    symlinkSync(socket, join(home, '.rd/docker.sock'));
    const found = await findDockerEndpoint({ env: { XDG_RUNTIME_DIR: join(home, 'run') }, home });
    expect(found.endpoint).toBe(`unix://${join(home, '.rd/docker.sock')}`);
    const looked = found.tried.map((probe) => probe.endpoint);
    for (const path of ['run/docker.sock', '.docker/run/docker.sock', '.colima/default/docker.sock', '.orbstack/run/docker.sock']) {
      expect(looked).toContain(`unix://${join(home, path)}`);
    }
    expect(found.tried.slice(0, -1).every((probe) => probe.detail === 'no socket')).toBe(true);
  });
});
