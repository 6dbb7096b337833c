import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** One place a Docker-compatible daemon was looked for. */
export interface DockerEndpointProbe {
  /** `unix:///path` or `tcp://host:port`. */
  endpoint: string;
  /** The daemon answered `GET /_ping` with 200 OK. */
  ok: boolean;
  /** What happened, e.g. `answered OK`, `no socket`, `connect ECONNREFUSED`. */
  detail: string;
}

/**
 * The first Docker-compatible daemon that answers `GET /_ping`, looking at DOCKER_HOST, then the sockets of
 * rootless Docker, Docker Desktop, Colima, OrbStack, Rancher Desktop, Podman, and the system's Docker Engine. Every place
 * looked at is reported, so a diagnosis can say why none was found.
 */
export async function findDockerEndpoint(options: {
  /** Environment with DOCKER_HOST and XDG_RUNTIME_DIR. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The user's home directory. Default: env.HOME or the OS's. */
  home?: string;
  /** Milliseconds to wait for each daemon's answer. Default 2000. */
  timeoutMs?: number;
} = {}): Promise<{ endpoint: string | null; tried: DockerEndpointProbe[] }> {
  const env = options.env ?? process.env;
  const home = options.home ?? env.HOME ?? homedir();
  const tried: DockerEndpointProbe[] = [];
  for (const endpoint of candidates(env, home)) {
    const probe = await ping(endpoint, options.timeoutMs ?? 2000);
    tried.push(probe);
    if (probe.ok) return { endpoint, tried };
  }
  return { endpoint: null, tried };
}

function candidates(env: NodeJS.ProcessEnv, home: string): string[] {
  const runtime = env.XDG_RUNTIME_DIR ?? (process.getuid ? `/run/user/${process.getuid()}` : null);
  // The user's own runtimes come before the system daemon, so a test or a user can point at theirs.
  const sockets = [
    runtime && join(runtime, 'docker.sock'),
    join(home, '.docker/run/docker.sock'),
    join(home, '.docker/desktop/docker.sock'),
    join(home, '.colima/default/docker.sock'),
    join(home, '.colima/docker.sock'),
    join(home, '.orbstack/run/docker.sock'),
    join(home, '.rd/docker.sock'),
    runtime && join(runtime, 'podman/podman.sock'),
    join(home, '.local/share/containers/podman/machine/podman.sock'),
    join(home, '.local/share/containers/podman/machine/podman-machine-default/podman.sock'),
    join(home, '.local/share/containers/podman/machine/qemu/podman.sock'),
    '/var/run/docker.sock',
    '/run/podman/podman.sock',
  ];
  const all = [...(env.DOCKER_HOST ? [env.DOCKER_HOST] : []), ...sockets.filter((path): path is string => Boolean(path)).map((path) => `unix://${path}`)];
  return [...new Set(all)];
}

function ping(endpoint: string, timeoutMs: number): Promise<DockerEndpointProbe> {
  const target = parseEndpoint(endpoint);
  if (!target) return Promise.resolve({ endpoint, ok: false, detail: 'unsupported address (only unix:// and tcp:// are probed)' });
  if ('socketPath' in target && !existsSync(target.socketPath)) return Promise.resolve({ endpoint, ok: false, detail: 'no socket' });
  return new Promise((resolve) => {
    const req = request({ ...target, path: '/_ping', method: 'GET', timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => {
        const ok = response.statusCode === 200 && body.trim() === 'OK';
        resolve({ endpoint, ok, detail: ok ? 'answered OK' : `answered ${response.statusCode ?? '?'} ${body.trim().slice(0, 80)}` });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ endpoint, ok: false, detail: error.message }));
    req.end();
  });
}

function parseEndpoint(endpoint: string): { socketPath: string } | { host: string; port: number } | null {
  if (endpoint.startsWith('unix://')) return { socketPath: endpoint.slice('unix://'.length) };
  const tcp = /^tcp:\/\/([^:/]+):(\d+)\/?$/.exec(endpoint);
  return tcp ? { host: tcp[1] ?? '', port: Number(tcp[2]) } : null;
}
