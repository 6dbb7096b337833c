import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { DockerUnavailableError, type DockerEndpointAttempt } from './DockerUnavailableError.js';

/** A Docker daemon that answered a ping. */
export interface DockerEndpoint {
  /** Client for it, without a request timeout (exec streams and builds run long). */
  docker: Dockerode;
  /** Endpoint as Docker writes it, e.g. `unix:///var/run/docker.sock`. */
  endpoint: string;
  /** Where it was found, e.g. `DOCKER_HOST`, `Docker Desktop`, `Colima`. */
  source: string;
}

interface Candidate {
  endpoint: string;
  source: string;
  /** Local socket file to look for before pinging; absent for named pipes and network addresses. */
  socketFile?: string;
  options: Dockerode.DockerOptions;
}

/**
 * Finds a running Docker-compatible daemon: `DOCKER_HOST`, then the current Docker context, then the sockets
 * that Docker Desktop, the system daemon, rootless Docker, Colima, OrbStack, Rancher Desktop and Podman create.
 * Each candidate that exists is pinged; the first that answers wins. Throws DockerUnavailableError listing every
 * attempt when none does.
 */
export async function discoverDockerEndpoint(options: {
  /** Environment to read (DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, XDG_RUNTIME_DIR). */
  env: Record<string, string | undefined>;
  /** The user's home directory, where per-user runtimes keep their sockets. */
  homeDir: string;
  /** `process.platform`: Windows uses named pipes instead of socket files. */
  platform: string;
  /** Directory that system-wide socket paths such as /var/run/docker.sock are looked up under. Default `/`. */
  rootDir?: string;
  /** How long one ping may take, in milliseconds. Default 3000. */
  pingTimeoutMs?: number;
}): Promise<DockerEndpoint> {
  const tried: DockerEndpointAttempt[] = [];
  const seen = new Set<string>();
  for (const candidate of listCandidates(options)) {
    if (seen.has(candidate.endpoint)) continue;
    seen.add(candidate.endpoint);
    if (candidate.socketFile !== undefined && !existsSync(candidate.socketFile)) {
      tried.push({ endpoint: candidate.endpoint, source: candidate.source, problem: 'no socket there' });
      continue;
    }
    const problem = await ping(candidate.options, options.pingTimeoutMs ?? 3000);
    if (problem === null) return { docker: new Dockerode(candidate.options), endpoint: candidate.endpoint, source: candidate.source };
    tried.push({ endpoint: candidate.endpoint, source: candidate.source, problem });
  }
  throw new DockerUnavailableError({ tried, platform: options.platform });
}

function listCandidates(options: {
  env: Record<string, string | undefined>;
  homeDir: string;
  platform: string;
  rootDir?: string;
}): Candidate[] {
  const { env, homeDir, platform } = options;
  const candidates: Candidate[] = [];
  const fromHost = (host: string, source: string) => {
    const candidate = candidateForHost(host, source, env, homeDir);
    if (candidate) candidates.push(candidate);
  };
  if (env.DOCKER_HOST) fromHost(env.DOCKER_HOST, 'DOCKER_HOST');
  const context = currentContextHost(env, homeDir);
  if (context) fromHost(context.host, `Docker context "${context.name}"`);

  if (platform === 'win32') {
    fromHost('npipe:////./pipe/docker_engine', 'Docker Desktop');
    fromHost('npipe:////./pipe/podman-machine-default', 'Podman');
    return candidates;
  }
  const home = (...parts: string[]) => join(homeDir, ...parts);
  const system = (path: string) => join(options.rootDir ?? '/', path);
  const sockets: Array<[string, string]> = [
    [home('.docker', 'run', 'docker.sock'), 'Docker Desktop'],
    [home('.docker', 'desktop', 'docker.sock'), 'Docker Desktop'],
    [system('/var/run/docker.sock'), 'Docker'],
    ...(env.XDG_RUNTIME_DIR ? [[join(env.XDG_RUNTIME_DIR, 'docker.sock'), 'rootless Docker'] as [string, string]] : []),
    [home('.colima', 'default', 'docker.sock'), 'Colima'],
    [home('.colima', 'docker.sock'), 'Colima'],
    [home('.orbstack', 'run', 'docker.sock'), 'OrbStack'],
    [home('.rd', 'docker.sock'), 'Rancher Desktop'],
    [home('.local', 'share', 'containers', 'podman', 'machine', 'podman.sock'), 'Podman'],
    ...(env.XDG_RUNTIME_DIR ? [[join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock'), 'Podman'] as [string, string]] : []),
    [system('/run/podman/podman.sock'), 'Podman'],
  ];
  for (const [path, source] of sockets) fromHost(`unix://${path}`, source);
  return candidates;
}

/** Client options for one Docker host string (`unix://`, `npipe://`, `tcp://`, `ssh://`), or null if unsupported. */
function candidateForHost(host: string, source: string, env: Record<string, string | undefined>, homeDir: string): Candidate | null {
  // docker-modem fills unset options from process.env (DOCKER_HOST and friends); explicit undefined values keep
  // the host's environment from overriding the candidate being tried.
  const blank = { host: undefined, port: undefined, socketPath: undefined, ca: undefined, cert: undefined, key: undefined };
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    return { endpoint: host, source, socketFile: socketPath, options: { ...blank, socketPath, protocol: 'http' } };
  }
  if (host.startsWith('npipe://')) {
    return { endpoint: host, source, options: { ...blank, socketPath: host.slice('npipe://'.length), protocol: 'http' } };
  }
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    return null;
  }
  if (url.protocol === 'ssh:') {
    return {
      endpoint: host,
      source,
      options: { ...blank, protocol: 'ssh', host: url.hostname, port: url.port || 22, username: url.username || undefined, sshOptions: { agent: env.SSH_AUTH_SOCK } },
    };
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const tls = url.protocol === 'https:' || isSet(env.DOCKER_TLS_VERIFY) || isSet(env.DOCKER_TLS) || url.port === '2376';
  const certDir = env.DOCKER_CERT_PATH || configDir(env, homeDir);
  const pem = (name: string) => (tls && existsSync(join(certDir, name)) ? readFileSync(join(certDir, name)) : undefined);
  return {
    endpoint: host,
    source,
    options: { ...blank, protocol: tls ? 'https' : 'http', host: url.hostname, port: url.port || (tls ? 2376 : 2375), ca: pem('ca.pem'), cert: pem('cert.pem'), key: pem('key.pem') },
  };
}

/** The host of the context `docker context use` selected, read the way the docker CLI stores it. */
function currentContextHost(env: Record<string, string | undefined>, homeDir: string): { name: string; host: string } | null {
  const dir = configDir(env, homeDir);
  let name = env.DOCKER_CONTEXT;
  if (!name) {
    const config = readJson(join(dir, 'config.json'));
    name = typeof config?.currentContext === 'string' ? config.currentContext : undefined;
  }
  if (!name || name === 'default') return null;
  const id = createHash('sha256').update(name).digest('hex');
  const meta = readJson(join(dir, 'contexts', 'meta', id, 'meta.json'));
  const endpoints = meta?.Endpoints as Record<string, { Host?: unknown }> | undefined;
  const host = endpoints?.docker?.Host;
  return typeof host === 'string' && host !== '' ? { name, host } : null;
}

function configDir(env: Record<string, string | undefined>, homeDir: string): string {
  return env.DOCKER_CONFIG || join(homeDir, '.docker');
}

function readJson(path: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0';
}

/** Null when the daemon answered, else why not. */
async function ping(options: Dockerode.DockerOptions, timeoutMs: number): Promise<string | null> {
  try {
    await new Dockerode({ ...options, timeout: timeoutMs }).ping();
    return null;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  }
}
