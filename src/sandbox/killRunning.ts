import { killProcessGroup } from '../node/killProcessGroup.js';

/** Kills the process group of every run still in flight (runSandboxedProcess's `running`) and forgets them. */
export function killRunning(running: Set<number>): void {
  for (const pid of running) killProcessGroup(pid);
  running.clear();
}
