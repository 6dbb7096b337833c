/** SIGKILLs every process in the group led by `pid` (started with `detached: true`); a group already gone is fine. */
export function killProcessGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
