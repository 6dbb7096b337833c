import { bubblewrapWorks } from './bubblewrapWorks.js';
import { findTestDocker } from './findTestDocker.js';

/**
 * The sandbox a level test runs in when the level needs nothing the Docker image alone installs: Docker when
 * a daemon answers, else bubblewrap, else null (the test is skipped and its name says why).
 */
export async function pickBenchSandbox(): Promise<{ sandbox: 'docker' | 'native' | null; note: string }> {
  const docker = await findTestDocker();
  const sandbox = docker.docker ? 'docker' : bubblewrapWorks() ? 'native' : null;
  return { sandbox, note: sandbox ? ` (${sandbox} sandbox)` : ' [SKIPPED: neither Docker nor bubblewrap works here]' };
}
