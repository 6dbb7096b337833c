import { spawnSync } from 'node:child_process';

/** The pid of a process that ran on this machine and has exited: what a killed Nightshift leaves in its locks. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('could not start a child process');
  return child.pid;
}
