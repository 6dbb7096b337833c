/**
 * Whether a process id on this machine is alive: `kill(pid, 0)` succeeds, or fails with EPERM (alive, owned
 * by another user). Only ESRCH means dead.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
