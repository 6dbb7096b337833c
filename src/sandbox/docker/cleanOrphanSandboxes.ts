import { hostname } from 'node:os';
import type Dockerode from 'dockerode';
import { sandboxLabels } from './sandboxLabels.js';
import { isProcessAlive } from '../../node/isProcessAlive.js';

/**
 * Removes sandbox containers that a Nightshift process on this machine created and can no longer dispose of
 * because it is gone (killed, crashed, machine rebooted). Call it at start-up. Containers of live processes, and
 * of processes on other machines sharing the daemon, are left alone. Returns the ids removed.
 */
export async function cleanOrphanSandboxes(options: {
  docker: Dockerode;
  /** Whether a process id on this machine is alive. Default: isProcessAlive. */
  isAlive?: (pid: number) => boolean;
}): Promise<string[]> {
  const isAlive = options.isAlive ?? isProcessAlive;
  const here = hostname();
  const containers = await options.docker.listContainers({ all: true, filters: { label: [`${sandboxLabels.kind}=sandbox`] } });
  const removed: string[] = [];
  for (const info of containers) {
    const labels = info.Labels ?? {};
    const host = labels[sandboxLabels.host];
    if (host !== undefined && host !== here) continue;
    const pid = Number(labels[sandboxLabels.pid]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
    try {
      await options.docker.getContainer(info.Id).remove({ force: true });
      removed.push(info.Id);
    } catch (error) {
      // Another Nightshift starting at the same moment may have removed it first.
      if ((error as { statusCode?: number }).statusCode !== 404 && (error as { statusCode?: number }).statusCode !== 409) throw error;
    }
  }
  return removed;
}
