import { homedir } from 'node:os';
import type Dockerode from 'dockerode';
import { discoverDockerEndpoint } from '../../src/sandbox/docker/discoverDockerEndpoint.js';

/**
 * The Docker daemon tests run against, found the way Nightshift finds it, or null with the reason. Docker tests
 * skip only when this is null; a daemon that answers but misbehaves fails them.
 */
export async function findTestDocker(): Promise<{ docker: Dockerode; endpoint: string } | { docker: null; reason: string }> {
  try {
    const found = await discoverDockerEndpoint({ env: process.env, homeDir: homedir(), platform: process.platform });
    return { docker: found.docker, endpoint: found.endpoint };
  } catch (error) {
    return { docker: null, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Test name suffix and console line explaining a skip. */
export function dockerSkipNote(found: Awaited<ReturnType<typeof findTestDocker>>, what: string): string {
  if (found.docker) return what;
  const note = `${what} [SKIPPED: no Docker daemon is reachable: ${found.reason}]`;
  console.warn(note);
  return note;
}
