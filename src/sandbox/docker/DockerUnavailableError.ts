import { EnvironmentUnavailableError } from '../../shared/EnvironmentUnavailableError.js';

/** One Docker endpoint that discovery tried, and why it was not used. */
export interface DockerEndpointAttempt {
  /** Endpoint as Docker writes it, e.g. `unix:///var/run/docker.sock`. */
  endpoint: string;
  /** Where it came from, e.g. `DOCKER_HOST` or `Colima`. */
  source: string;
  /** Why it was not used, e.g. `no socket there` or the ping's error. */
  problem: string;
}

/** No Docker (or Docker-compatible) daemon answered at any known place, so commands cannot be sandboxed. */
export class DockerUnavailableError extends EnvironmentUnavailableError {
  constructor(options: {
    /** Every endpoint tried, in order. */
    tried: DockerEndpointAttempt[];
    /** `process.platform` of the host, to give advice that fits it. */
    platform: string;
  }) {
    const list = options.tried.map((attempt) => `${attempt.endpoint} (${attempt.source}: ${attempt.problem})`).join('; ');
    super({
      component: 'sandbox',
      code: 'DOCKER_UNAVAILABLE',
      message: `No Docker daemon answered. Tried: ${list || 'nothing'}.`,
      hint: platformHint(options.platform),
      context: { tried: options.tried, platform: options.platform },
    });
  }
}

function platformHint(platform: string): string {
  const override = 'Or set DOCKER_HOST to the daemon\'s address (e.g. unix:///path/to/docker.sock).';
  if (platform === 'darwin') {
    return `Start a Docker runtime: Docker Desktop, OrbStack, Rancher Desktop, Colima (\`colima start\`) or Podman (\`podman machine start\`). ${override}`;
  }
  if (platform === 'win32') {
    return `Start Docker Desktop or Podman (\`podman machine start\`). ${override}`;
  }
  return (
    'Start the Docker daemon (`sudo systemctl start docker`, or `sudo dockerd &`) and make sure your user may use ' +
    '/var/run/docker.sock (`sudo usermod -aG docker $USER`, then log in again), or start Podman\'s socket ' +
    `(\`systemctl --user start podman.socket\`). ${override}`
  );
}
